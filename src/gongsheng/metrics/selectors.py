"""Reads of the metric registry for pages and the API: the catalogue and one consortium's
table. The numbers come only from rows the user may see (each definition scopes them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone

from gongsheng.access.scope import access_object
from gongsheng.metrics.registry import (
    YEAR_MAX,
    YEAR_MIN,
    Metric,
    MetricResult,
    check_window,
    compute,
    registered,
)


def catalogue() -> list[Metric]:
    return registered()


def default_window(year_from: Any = None, year_to: Any = None) -> tuple[int, int]:
    """The last five calendar years unless given; checked (``ValidationFailed``)."""
    this_year = timezone.localdate().year
    year_to = this_year if year_to in (None, "") else year_to
    if year_from in (None, ""):
        try:
            year_from = int(year_to) - 4
        except (TypeError, ValueError):
            year_from = this_year - 4
        if not YEAR_MIN <= year_from <= YEAR_MAX:  # a bad year_to is reported as such
            year_from = this_year - 4
    return check_window(year_from, year_to)


@dataclass(frozen=True)
class ConsortiumTable:
    consortium: Any
    years: list[int]
    results: list[MetricResult]

    def rows(self) -> list[tuple[Metric, list[Decimal]]]:
        out = []
        for r in self.results:
            totals = r.by_consortium
            out.append(
                (r.metric, [totals.get((self.consortium.pk, y), Decimal(0)) for y in self.years])
            )
        return out


def consortium_metrics(
    *,
    user: Any,
    consortium_id: int,
    year_from: Any = None,
    year_to: Any = None,
    names: list[str] | None = None,
) -> ConsortiumTable:
    """Every metric (or those named) for one consortium the user may see."""
    # the consortium model by name: metrics sits below the apps (layers contract)
    consortium_model = apps.get_model("consortia", "Consortium")
    consortium = access_object(user, consortium_model.objects.all(), consortium_id, "view")
    lo, hi = default_window(year_from, year_to)
    metrics = registered() if not names else [m for m in registered() if m.name in names]
    results = [
        compute(m, user=user, consortium_ids=[consortium.pk], year_from=lo, year_to=hi)
        for m in metrics
    ]
    return ConsortiumTable(consortium=consortium, years=list(range(lo, hi + 1)), results=results)
