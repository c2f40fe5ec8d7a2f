"""schemathesis over the whole API, as the secretariat, a unit admin and an observer.

Every operation of ``/api/openapi.json`` gets generated requests — valid ones (positive) and
ones the schema forbids (negative) — sent through the WSGI application to the demo's data.
The run fails on any server error, a response that breaks its documented schema, a status
the operation does not document, or an invalid request the API accepted. Derandomized
(Hypothesis' fixed seed per operation, no example database), so CI is never flaky; the
budget per role is measured and bounded (docs/DEVELOPMENT.md, "The API fuzzing stage").
"""

from __future__ import annotations

import functools
import os
import time

import pytest

pytestmark = pytest.mark.schemathesis

ROLES = ("secretariat", "unit_admin", "observer")  # tests/support/world.py
#: examples per operation: valid requests, then requests the schema forbids (25 in all)
EXAMPLES = {"positive": 13, "negative": 12}
BUDGET_SECONDS = 180  # the bound per role; the measured figures: docs/DEVELOPMENT.md
ONLY = os.environ.get("GONGSHENG_SCHEMATHESIS_ONLY", "")  # "GET /api/units,…" while debugging


@functools.cache
def _schema():
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from schemathesis.config import SchemathesisConfig

    config = SchemathesisConfig()
    return schemathesis.openapi.from_wsgi(
        "/api/openapi.json", get_wsgi_application(), config=config
    )


@pytest.fixture
def records(world):
    """The small world plus a ledger entry, so that ledger ids and lists hold something."""
    import datetime as dt
    from decimal import Decimal

    from gongsheng.ledger.services import entry_create
    from gongsheng.ledger.services.values import Party

    entry_create(
        actor=world.users["secretariat"],
        consortium_id=world.a.pk,
        date=dt.date(2025, 3, 1),
        category="money",
        quantity=Decimal("100"),
        giver=Party.unit(world.units["ent"].pk),
        receiver=Party.unit(world.units["school"].pk),
    )
    return world


def _run_operation(operation, headers, mode) -> str | None:
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi import checks

    # the four: server errors, schema violations, undocumented statuses, accepted
    # invalid input. Not positive_data_acceptance: a valid request may still be refused by a
    # rule the schema does not carry (a unit of another consortium); nor the checks that
    # send more requests per example (ignored_auth, unsupported_method), which would double
    # the stage's time for what tests/api/test_api.py already asserts
    checked = [
        not_a_server_error,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
        checks.negative_data_rejection,
    ]

    @settings(
        max_examples=EXAMPLES[mode.value],
        derandomize=True,  # a fixed seed per operation: the same requests on every run
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers=headers, checks=checked)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # one failure must not hide the others
        return f"{operation.label} [{mode.value}]: {exc}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_the_api_holds_under_generated_requests(records, role):
    from schemathesis import GenerationMode

    from gongsheng.access.services import token_create

    user = records.users[role]
    headers = {"Authorization": f"Bearer {token_create(actor=user, user=user, name='st')[1]}"}
    failures, slow = [], []
    started, cpu = time.monotonic(), time.process_time()
    operations = [r.ok() for r in _schema().get_all_operations()]
    for operation in operations:
        if ONLY and operation.label not in ONLY.split(","):
            continue
        began = time.monotonic()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _run_operation(operation, headers, mode)
            if failure:
                failures.append(failure)
        slow.append((time.monotonic() - began, operation.label))
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    print(
        f"\nschemathesis as {role}: {len(operations)} operations in {elapsed:.0f} s"
        f" ({cpu:.0f} s of CPU); slowest:"
    )
    for seconds, label in sorted(slow, reverse=True)[:5]:
        print(f"  {seconds:5.1f} s  {label}")
    assert not failures, f"{len(failures)} failing:\n\n" + "\n\n".join(failures)
    # CPU seconds, not wall-clock ones: on a shared CI machine the others' load must not
    # fail the stage; what it spends itself must stay bounded
    assert cpu < BUDGET_SECONDS, f"{cpu:.0f} s of CPU, more than the {BUDGET_SECONDS} s budget"
