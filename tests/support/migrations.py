"""For tests that migrate the test database back and forth (a data migration's test).

Migrating back to an app's old state also unapplies every later migration that depends on
it (of any app); migrating forward to the migration under test alone would leave those out,
and the tests that run after it in the same worker would meet a schema without them.
``latest_schema_after`` puts the whole project back on its leaf migrations after each test.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture(autouse=True)
def latest_schema_after():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
