"""The metric registry: named, documented numbers per unit, per consortium and per year.

An app defines its metrics in ``<app>/metrics.py`` (loaded when the apps are ready)::

    @metric(
        name="contracts_signed",
        label=_("Contracts signed"),
        unit=_("contracts"),
        source=_("cooperation: contracts by their signing date"),
        description=_("…"),
    )
    def contracts_signed(*, user, consortium_ids, year_from, year_to):
        qs = scope(user, Contract.objects.all(), "view")  # only what the user may see
        ...
        return qs.values_list("consortium_id", None, "year", "n")  # aggregate rows

A definition returns rows ``(consortium_id, unit_id or None, year, value)`` from aggregate
queries (GROUP BY, never a query per row) over rows scoped to the user. Rows are disjoint
parts: a consortium's value in a year is the sum of its rows (a row with ``unit_id=None`` is
a part that belongs to no one unit). Callers use :func:`compute`, which checks the window
and returns a :class:`MetricResult`. A count of records by the year of a date is one
:func:`count_metric` call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from gongsheng.access.scope import scope
from gongsheng.core.errors import FieldError, NotFound, ValidationFailed

#: the widest window one call may ask for, in years
MAX_YEARS = 30
YEAR_MIN, YEAR_MAX = 1990, 2100

Definition = Callable[..., Iterable[tuple[int, int | None, int, Any]]]


@dataclass(frozen=True)
class Metric:
    name: str
    label: Any
    unit: Any
    source: Any
    description: Any
    func: Definition = field(repr=False, compare=False)


@dataclass(frozen=True)
class Row:
    consortium_id: int
    unit_id: int | None
    year: int
    value: Decimal


@dataclass(frozen=True)
class MetricResult:
    """One metric's numbers for a set of consortia and a window of years."""

    metric: Metric
    year_from: int
    year_to: int
    rows: tuple[Row, ...]

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def by_unit(self) -> dict[tuple[int, int, int], Decimal]:
        """``{(consortium_id, unit_id, year): value}`` for the rows that belong to a unit."""
        out: dict[tuple[int, int, int], Decimal] = defaultdict(Decimal)
        for r in self.rows:
            if r.unit_id is not None:
                out[(r.consortium_id, r.unit_id, r.year)] += r.value
        return dict(out)

    @property
    def by_consortium(self) -> dict[tuple[int, int], Decimal]:
        """``{(consortium_id, year): value}``: the sum of the consortium's rows."""
        out: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for r in self.rows:
            out[(r.consortium_id, r.year)] += r.value
        return dict(out)

    @property
    def by_year(self) -> dict[int, Decimal]:
        """``{year: value}`` over every consortium asked for, every year of the window."""
        out = {y: Decimal(0) for y in self.years}
        for r in self.rows:
            out[r.year] += r.value
        return out

    def value(
        self,
        *,
        consortium_id: int | None = None,
        year: int | None = None,
        unit_id: int | None = None,
    ) -> Decimal:
        """The sum of the rows that match (0 when none does)."""
        return sum(
            (
                r.value
                for r in self.rows
                if (consortium_id is None or r.consortium_id == consortium_id)
                and (year is None or r.year == year)
                and (unit_id is None or r.unit_id == unit_id)
            ),
            Decimal(0),
        )


_REGISTRY: dict[str, Metric] = {}


def metric(*, name: str, label: Any, unit: Any, source: Any, description: Any = "") -> Callable:
    """Register the decorated function as the metric ``name`` (unique across the platform)."""

    def wrap(func: Definition) -> Definition:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"metric {name!r} is already registered by {existing.func!r}")
        _REGISTRY[name] = Metric(name, label, unit, source, description, func)
        return func

    return wrap


def registered() -> list[Metric]:
    """Every registered metric, by name."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get(name: str) -> Metric:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise NotFound(_("There is no metric called %(name)s.") % {"name": name}) from None


def count_by_year(
    qs: QuerySet,
    date_field: str,
    *,
    consortium_ids: list[int] | None,
    year_from: int,
    year_to: int,
    unit_field: str | None = None,
) -> list[tuple[int, int | None, int, Any]]:
    """A metric's rows for "how many records, by the year of ``date_field``": one GROUP BY
    over ``qs`` (already scoped to what the user may see), per consortium and, with
    ``unit_field``, per unit (else the unit is ``None``)."""
    if consortium_ids is not None:
        qs = qs.filter(consortium_id__in=consortium_ids)
    rows = (
        qs.order_by().annotate(y=ExtractYear(date_field)).filter(y__gte=year_from, y__lte=year_to)
    )
    if unit_field is None:
        grouped = rows.values_list("consortium_id", "y").annotate(n=Count("pk"))
        return [(c, None, y, n) for c, y, n in grouped]
    return list(rows.values_list("consortium_id", unit_field, "y").annotate(n=Count("pk")))


def count_metric(
    *,
    name: str,
    label: Any,
    unit: Any,
    source: Any,
    description: Any = "",
    records: Callable[[], QuerySet],
    date_field: str,
    unit_field: str | None = None,
) -> Metric:
    """Register the metric ``name`` that counts records by the year of ``date_field``.

    ``records()`` gives the records that count (``Project.objects.filter(accepted_on__isnull=
    False)``); each user counts only those of them ``scope(user, …, "view")`` lets them see,
    per consortium and, with ``unit_field``, per unit (:func:`count_by_year`).
    """

    def definition(
        *, user: Any, consortium_ids: list[int] | None, year_from: int, year_to: int
    ) -> list[tuple[int, int | None, int, Any]]:
        qs = scope(user, records(), "view")
        return count_by_year(
            qs, date_field, consortium_ids=consortium_ids, year_from=year_from,
            year_to=year_to, unit_field=unit_field,
        )  # fmt: skip

    definition.__qualname__ = f"count_metric:{name}"
    metric(name=name, label=label, unit=unit, source=source, description=description)(definition)
    return _REGISTRY[name]


def check_window(year_from: Any, year_to: Any) -> tuple[int, int]:
    """The window as two ints, or ``ValidationFailed`` naming the bad field."""
    out = []
    for fname, raw in (("year_from", year_from), ("year_to", year_to)):
        try:
            year = int(raw)
        except (TypeError, ValueError):
            year = None
        if year is None or not YEAR_MIN <= year <= YEAR_MAX:
            raise ValidationFailed(
                _("%(field)s must be a year between %(lo)s and %(hi)s.")
                % {"field": fname, "lo": YEAR_MIN, "hi": YEAR_MAX},
                [FieldError(fname, _("not a year"))],
            )
        out.append(year)
    lo, hi = out
    if lo > hi:
        raise ValidationFailed(
            _("year_from must not be after year_to."),
            [FieldError("year_from", _("after year_to"))],
        )
    if hi - lo + 1 > MAX_YEARS:
        raise ValidationFailed(
            _("Ask for at most %(n)s years at a time.") % {"n": MAX_YEARS},
            [FieldError("year_to", _("window too wide"))],
        )
    return lo, hi


def compute(
    name: str | Metric,
    *,
    user: Any,
    consortium_ids: Iterable[int] | None,
    year_from: Any,
    year_to: Any,
) -> MetricResult:
    """One metric for ``consortium_ids`` (``None``: every consortium the user reaches) over
    ``year_from``..``year_to``, computed only from rows the user may see."""
    m = name if isinstance(name, Metric) else get(name)
    lo, hi = check_window(year_from, year_to)
    ids = None if consortium_ids is None else sorted(set(consortium_ids))
    rows = []
    for consortium_id, unit_id, year, value in m.func(
        user=user, consortium_ids=ids, year_from=lo, year_to=hi
    ):
        if value is None or year is None or not lo <= int(year) <= hi:
            continue
        if ids is not None and consortium_id not in ids:
            continue
        rows.append(Row(consortium_id, unit_id, int(year), Decimal(value)))
    rows.sort(key=lambda r: (r.consortium_id, r.year, r.unit_id or 0))
    return MetricResult(metric=m, year_from=lo, year_to=hi, rows=tuple(rows))


def compute_all(
    *, user: Any, consortium_ids: Iterable[int] | None, year_from: Any, year_to: Any
) -> list[MetricResult]:
    """Every registered metric (one aggregate query or a few each)."""
    ids = None if consortium_ids is None else list(consortium_ids)
    return [
        compute(m, user=user, consortium_ids=ids, year_from=year_from, year_to=year_to)
        for m in registered()
    ]
