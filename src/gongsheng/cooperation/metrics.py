"""Cooperation's metrics: projects accepted and contracts signed."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.access.scope import scope
from gongsheng.cooperation.choices import ContractStatus
from gongsheng.cooperation.models import Contract, Project
from gongsheng.metrics.registry import metric


@metric(
    name="projects_accepted",
    label=_("Projects accepted"),
    unit=pgettext_lazy("metric unit", "projects"),
    source=_("cooperation: projects by their acceptance date"),
    description=_(
        "The cooperation projects that passed acceptance (moved to acceptance or closed) in "
        "the year, by lead unit."
    ),
)
def projects_accepted(
    *, user: Any, consortium_ids: list[int] | None, year_from: int, year_to: int
) -> list[tuple[int, int | None, int, Any]]:
    qs = scope(user, Project.objects.all(), "view").filter(accepted_on__isnull=False)
    if consortium_ids is not None:
        qs = qs.filter(consortium_id__in=consortium_ids)
    return list(
        qs.order_by()
        .annotate(y=ExtractYear("accepted_on"))
        .filter(y__gte=year_from, y__lte=year_to)
        .values_list("consortium_id", "lead_unit_id", "y")
        .annotate(n=Count("pk"))
    )


@metric(
    name="contracts_signed",
    label=_("Contracts signed"),
    unit=pgettext_lazy("metric unit", "contracts"),
    source=_("cooperation: contracts by their signing date"),
    description=_(
        "The contracts signed in the year (any status but draft). A contract has several "
        "parties, so it counts for the consortium, not for one unit."
    ),
)
def contracts_signed(
    *, user: Any, consortium_ids: list[int] | None, year_from: int, year_to: int
) -> list[tuple[int, int | None, int, Any]]:
    qs = (
        scope(user, Contract.objects.all(), "view")
        .filter(signed_on__isnull=False)
        .exclude(status=ContractStatus.DRAFT)
    )
    if consortium_ids is not None:
        qs = qs.filter(consortium_id__in=consortium_ids)
    rows = (
        qs.order_by()
        .annotate(y=ExtractYear("signed_on"))
        .filter(y__gte=year_from, y__lte=year_to)
        .values_list("consortium_id", "y")
        .annotate(n=Count("pk"))
    )
    return [(c, None, y, n) for c, y, n in rows]
