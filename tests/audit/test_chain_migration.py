"""Entries written before the hash chain existed are chained by migration audit 0004, per
chain in the order they were written, and verify afterwards."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.support.migrations import latest_schema_after  # noqa: F401 (autouse)

BEFORE = [("audit", "0002_alter_auditentry_action")]
AFTER = [("audit", "0005_chain_constraint_and_guard")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_entries_are_chained_in_the_order_written(world):
    from gongsheng.audit.chain import verify
    from gongsheng.audit.models import AuditChainHead, AuditEntry

    try:
        old = _migrate(BEFORE)
        Entry = old.get_model("audit", "AuditEntry")
        t0 = dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)
        made = []
        for m, c in ((2, world.a.pk), (1, world.a.pk), (3, None)):
            pk = Entry.objects.create(
                actor_name="old", request_id=uuid.uuid4(), event_type=111, action="update",
                consortium_id=c, after={"n": m, "x": 1.5},
            ).pk  # fmt: skip
            # the time they were written (auto_now_add then): before everything else
            Entry.objects.filter(pk=pk).update(time=t0 + dt.timedelta(minutes=m))
            made.append(pk)
    finally:
        _migrate(AFTER)
    first, second, platform = (AuditEntry.objects.get(pk=pk) for pk in made)
    # chained by time, not by id: the entry written at minute 1 comes before minute 2's
    assert (second.chain, first.chain, platform.chain) == (world.a.pk, world.a.pk, 0)
    assert (second.seq, first.seq) == (1, 2) and first.prev_hash == second.hash
    head = AuditChainHead.objects.get(chain=world.a.pk)
    assert head.seq == AuditEntry.objects.filter(chain=world.a.pk).count()
    result = verify()
    assert result.ok, result.first_break
