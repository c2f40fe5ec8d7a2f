"""The demo as a whole: the consortia and units (``consortia.demo``) and, on top of them, what
each app above contributes. Apps are loaded bottom-up and removed top-down."""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction

from gongsheng.consortia import demo as core

#: apps above consortia that contribute demo data, in loading order
CONTRIBUTORS: list[str] = [
    "gongsheng.cooperation.demo",
    "gongsheng.sharing.demo",
]


def _modules() -> list[Any]:
    return [importlib.import_module(name) for name in CONTRIBUTORS]


def load(
    *,
    scale: tuple[int, int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> core.DemoSummary:
    """Reset every app's demo data and load it afresh (deterministic)."""
    modules = _modules()
    with transaction.atomic():
        for module in reversed(modules):
            module.remove_demo_data()
        summary = core.load_demo(scale=scale, progress=progress)
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
    return summary
