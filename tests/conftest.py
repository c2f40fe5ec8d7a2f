"""Test-wide configuration shared by every test package."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Property tests: enough examples to find counter-examples, few enough to keep CI fast.
settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "live_server",
    "client",
    "admin_client",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so CI can run exactly those on PostgreSQL."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & _DB_FIXTURES or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.db)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Skipped tests in one line, grouped by reason (``-rfE`` in pyproject lists failures only)."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons: dict[str, int] = {}
    for report in skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr or "")
        reason = reason.removeprefix("Skipped: ").strip() or "no reason given"
        reasons[reason] = reasons.get(reason, 0) + 1
    listed = "; ".join(f"{r} ({n})" if n > 1 else r for r, n in sorted(reasons.items()))
    terminalreporter.write_line(f"{len(skipped)} skipped: {listed}")


@pytest.fixture
def world(db):
    from tests.support.world import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _english_messages():
    """Service and validation messages are asserted in English; pages render Chinese by their
    own middleware. (Skipped when Django is not configured: the analytics tests need none.)"""
    try:
        from django.conf import settings as django_settings

        configured = django_settings.configured
    except ImportError:  # pragma: no cover
        configured = False
    if not configured:
        yield
        return
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached model runs are keyed by their inputs,
    which tests on the same world share (a run cached by one test is not another's result)."""
    try:
        from django.conf import settings as django_settings

        configured = django_settings.configured
    except ImportError:  # pragma: no cover
        configured = False
    if configured:
        from django.core.cache import caches

        for cache in caches.all():
            cache.clear()
    yield


@pytest.fixture(autouse=True)
def _seeded_rows(request):
    """Transactional tests (live server, races) flush the rows that data migrations seed; put
    the ledger's default categories back before any test that uses the database."""
    if {"db", "transactional_db", "live_server"} & set(request.fixturenames) or (
        request.node.get_closest_marker("django_db")
    ):
        request.getfixturevalue(
            "transactional_db"
            if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
            else "db"
        )
        from gongsheng.ledger.models import Category

        if not Category.objects.filter(consortium__isnull=True).exists():
            from tests.support.ledger_seed import ensure_default_categories

            ensure_default_categories()
    yield
