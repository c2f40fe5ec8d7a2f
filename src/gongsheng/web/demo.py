"""The demo as a whole: the consortia and units (``consortia.demo``) and, on top of them, what
each app above contributes. Apps are loaded bottom-up and removed top-down."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

from gongsheng.consortia import demo as core
from gongsheng.core import registry


def _modules() -> list[Any]:
    """The demo modules of the apps above consortia, in loading order: the app registry's
    ``GongshengAppConfig.demo`` ordered by ``demo_order``."""
    return registry.demo_modules()


def load(
    *,
    scale: tuple[int, int] | None = None,
    ledger_entries: int = 1_000_000,
    progress: Callable[[int, int], None] | None = None,
    ledger_progress: Callable[[int, int], None] | None = None,
) -> core.DemoSummary:
    """Reset every app's demo data and load it afresh (deterministic).

    With ``scale`` the bulk paths (demo only: one audit entry per batch) add the scale consortia
    and about ``ledger_entries`` ledger entries across them, for benchmarks.
    """
    if settings.PRODUCTION:
        raise core.DemoRefused("The demo does not run in production (GONGSHENG_ENV=production).")
    modules = _modules()
    with transaction.atomic():
        for module in reversed(modules):
            module.remove_demo_data()
        summary = core.load_demo(scale=None)
        if modules:
            from gongsheng.consortia.models import Consortium, Unit

            main = Consortium.objects.get(code="binjiang-wind", is_demo=True)
            units = {
                u.short_name: u
                for u in Unit.objects.filter(memberships__consortium=main, is_demo=True)
            }
            rng = random.Random(core.SEED + 7)
            for module in modules:
                module.load_demo_data(consortium=main, units=units, rng=rng)
    if scale:
        from gongsheng.ledger.demo import load_scale_ledger, scale_consortia

        extra = core.load_scale(scale, progress)
        summary = core.DemoSummary(
            consortia=summary.consortia + extra[0],
            units=summary.units + extra[1],
            memberships=summary.memberships + extra[2],
            users=summary.users,
            skipped=summary.skipped,
            roles_kept=summary.roles_kept,
            roles_lost=summary.roles_lost,
        )
        if ledger_entries:
            load_scale_ledger(
                scale_consortia(), ledger_entries, random.Random(core.SEED + 11), ledger_progress
            )
    return summary
