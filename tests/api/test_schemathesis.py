"""schemathesis over the whole API, as the secretariat, a unit admin and an observer.

Every operation of ``/api/openapi.json`` gets generated requests — valid ones (positive) and
ones the schema forbids (negative) — sent through the WSGI application to the demo's data.
The run fails on any server error, a response that breaks its documented schema, a status
the operation does not document, or an invalid request the API accepted. Derandomized
(Hypothesis' fixed seed per operation, no example database), so CI is never flaky; the
budget per role is measured and bounded (docs/DEVELOPMENT.md, "The API fuzzing stage").
"""

from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

ROLES = ("secretariat", "enterprise_admin", "observer")
EXAMPLES = 25  # per operation and generation mode
BUDGET_SECONDS = 180  # the bound per role; the measured figure is in the docs


def _schema():
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from schemathesis.config import SchemathesisConfig

    from gongsheng.api import api

    config = SchemathesisConfig()
    schema = schemathesis.openapi.from_dict(
        api.get_openapi_schema(path_prefix="/api"), config=config
    )
    schema.app = get_wsgi_application()
    return schema


def _token(username: str) -> str:
    from gongsheng.access.models import User
    from gongsheng.access.services import token_create

    user = User.objects.get(username=username)
    return token_create(actor=user, user=user, name="schemathesis")[1]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's data, loaded once for the three roles and rolled back after them."""
    from django.core.management import call_command
    from django.db import transaction

    from gongsheng.ledger.models import Category
    from tests.support.ledger_seed import ensure_default_categories

    with django_db_blocker.unblock(), transaction.atomic():
        if not Category.objects.filter(consortium__isnull=True).exists():
            ensure_default_categories()  # a transactional test before flushed them
        started = time.monotonic()
        call_command("demo", verbosity=0)
        print(f"demo loaded in {time.monotonic() - started:.0f} s")
        yield
        transaction.set_rollback(True)


def _run_operation(operation, headers, mode) -> str | None:
    from hypothesis import HealthCheck, Phase, given, settings

    strategy = operation.as_strategy(generation_mode=mode)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        case.call_and_validate(headers=headers)

    try:
        run()
    except (
        Exception,
        BaseExceptionGroup,
    ) as exc:  # one operation's failure must not hide the others'
        return f"{operation.label} [{mode.value}]: {exc}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_the_api_holds_under_generated_requests(demo, role):
    from schemathesis import GenerationMode

    schema = _schema()
    headers = {"Authorization": f"Bearer {_token(role)}"}
    failures = []
    started = time.monotonic()
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        count += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _run_operation(operation, headers, mode)
            if failure:
                failures.append(failure)
    elapsed = time.monotonic() - started
    print(f"schemathesis as {role}: {count} operations in {elapsed:.0f} s")
    assert not failures, "\n\n".join(failures)
    assert elapsed < BUDGET_SECONDS
