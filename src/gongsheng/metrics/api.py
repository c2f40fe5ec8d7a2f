"""API: the metric catalogue and one consortium's numbers by year and unit (thin)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from gongsheng.metrics import selectors
from gongsheng.metrics.registry import Metric

router = Router(tags=["metrics"])


class MetricOut(Schema):
    name: str
    label: str
    unit: str
    source: str
    description: str


class UnitValue(Schema):
    unit_id: int
    year: int
    value: float


class MetricValues(MetricOut):
    by_year: dict[int, float]
    by_unit: list[UnitValue]


class ConsortiumMetricsOut(Schema):
    consortium_id: int
    year_from: int
    year_to: int
    metrics: list[MetricValues]


class WindowQuery(Schema):
    year_from: str | None = None
    year_to: str | None = None
    metric: list[str] | None = None


def _describe(m: Metric) -> dict:
    return {
        "name": m.name,
        "label": str(m.label),
        "unit": str(m.unit),
        "source": str(m.source),
        "description": str(m.description),
    }


@router.get("/metrics", response=list[MetricOut])
def metric_list(request: HttpRequest):
    """Every registered metric with its label, unit, source and description."""
    return [_describe(m) for m in selectors.catalogue()]


@router.get("/consortia/{consortium_id}/metrics", response=ConsortiumMetricsOut)
def consortium_metrics(request: HttpRequest, consortium_id: int, q: Query[WindowQuery]):
    """The consortium's value of each metric per year (``by_year``) and per unit
    (``by_unit``), from what the caller may see; ``?metric=`` picks metrics by name."""
    table = selectors.consortium_metrics(
        user=request.user,
        consortium_id=consortium_id,
        year_from=q.year_from,
        year_to=q.year_to,
        names=q.metric,
    )
    out = []
    for r in table.results:
        totals = r.by_consortium
        out.append(
            {
                **_describe(r.metric),
                "by_year": {y: float(totals.get((consortium_id, y), 0)) for y in table.years},
                "by_unit": [
                    {"unit_id": u, "year": y, "value": float(v)}
                    for (_c, u, y), v in sorted(r.by_unit.items())
                ],
            }
        )
    return {
        "consortium_id": consortium_id,
        "year_from": table.years[0],
        "year_to": table.years[-1],
        "metrics": out,
    }
