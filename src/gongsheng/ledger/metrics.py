"""The ledger's metrics: inputs given by enterprises, schools and governments.

Until the ledger carries a cost per flow (another issue), an input's cost is its value.
Who sees which sums follows the ledger summaries (decision 0301): the secretariat and
supervisors every entry of their consortia, a member unit the entries it gives or receives
(and those shared with it), per unit; an observer only consortium-wide totals (no unit) of
the entries that are not confidential, so a total never reveals a confidential entry, and
only totals of at least ``GONGSHENG_MIN_GROUP_UNITS`` giving units. Flows still waiting for
their giver's confirmation are not counted (decision 0804). Reversals carry the negative
value and cancel what they reverse.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.access.roles import Role
from gongsheng.access.scope import context_for, scope
from gongsheng.consortia.choices import GOVERNMENT_TYPES, SCHOOL_TYPES, UnitType
from gongsheng.ledger.models import LedgerEntry, counted
from gongsheng.ledger.selectors.base import min_group_units
from gongsheng.metrics.registry import metric


def inputs_given(
    *,
    user: Any,
    unit_types: Iterable[str],
    consortium_ids: list[int] | None,
    year_from: int,
    year_to: int,
) -> list[tuple[int, int | None, int, Any]]:
    """(consortium, giving unit, year, sum of value) for units of the given types: one
    GROUP BY over the ledger's ``ledger_sum_given`` index over the entries the user sees, and
    for an observer one more over the consortium's entries that are not confidential (no
    unit: a total, as on the ledger's summaries page)."""
    base = LedgerEntry.objects.filter(
        giver_kind="unit",
        giver_unit__type__in=sorted(unit_types),
        year__gte=year_from,
        year__lte=year_to,
    )
    if consortium_ids is not None:
        base = base.filter(consortium_id__in=consortium_ids)
    base = counted(base, consortium_ids)  # not flows still waiting for their giver (0804)
    rows: list[tuple[int, int | None, int, Any]] = list(
        scope(user, base, "view")
        .order_by()
        .values_list("consortium_id", "giver_unit_id", "year")
        .annotate(total=Sum("value"))
    )
    ctx = context_for(user)
    if not ctx.platform_admin:
        entry_roles = (Role.SECRETARIAT, Role.SUPERVISOR, Role.UNIT_ADMIN, Role.UNIT_MEMBER)
        observed = ctx.consortia(Role.OBSERVER) - ctx.consortia(*entry_roles)
        if observed:
            wide = (
                base.filter(consortium_id__in=sorted(observed), confidential=False)
                .order_by()
                .values_list("consortium_id", "year")
                .annotate(total=Sum("value"), n=Count("giver_unit", distinct=True))
            )
            # a total of fewer units than GONGSHENG_MIN_GROUP_UNITS would be their own
            # figures: left out for observers (decision 0804)
            k = min_group_units()
            rows += [(c, None, y, v) for c, y, v, n in wide if n >= k]
    return rows


_NOTE = _(
    "Cost = value until the ledger carries a cost per flow: the sum of the values (CNY) of "
    "the ledger entries given by {who}, in the year of their date, reversals included. "
    "Observers see consortium totals of the entries that are not confidential."
)


@metric(
    name="enterprise_inputs",
    label=_("Enterprise inputs (at cost)"),
    unit=pgettext_lazy("metric unit", "CNY"),
    source=_("ledger: entries given by enterprise units"),
    description=format_lazy(_NOTE, who=_("enterprise units")),
)
def enterprise_inputs(**kw: Any) -> list[tuple[int, int | None, int, Any]]:
    return inputs_given(unit_types=[UnitType.ENTERPRISE], **kw)


@metric(
    name="school_inputs",
    label=_("School inputs (at cost)"),
    unit=pgettext_lazy("metric unit", "CNY"),
    source=_("ledger: entries given by schools"),
    description=format_lazy(_NOTE, who=_("schools")),
)
def school_inputs(**kw: Any) -> list[tuple[int, int | None, int, Any]]:
    return inputs_given(unit_types=SCHOOL_TYPES, **kw)


@metric(
    name="government_inputs",
    label=_("Government inputs (at cost)"),
    unit=pgettext_lazy("metric unit", "CNY"),
    source=_("ledger: entries given by government units and the park committee"),
    description=format_lazy(_NOTE, who=_("government units and the park management committee")),
)
def government_inputs(**kw: Any) -> list[tuple[int, int | None, int, Any]]:
    return inputs_given(unit_types=GOVERNMENT_TYPES, **kw)
