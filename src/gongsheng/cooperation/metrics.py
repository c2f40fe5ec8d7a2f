"""Cooperation's metrics: projects accepted and contracts signed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.access.scope import scope
from gongsheng.cooperation.choices import ContractStatus
from gongsheng.cooperation.models import Contract, Project
from gongsheng.metrics.registry import count_by_year, metric


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
    return count_by_year(
        qs, "accepted_on", consortium_ids=consortium_ids, year_from=year_from,
        year_to=year_to, unit_field="lead_unit_id",
    )  # fmt: skip


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
    return count_by_year(
        qs, "signed_on", consortium_ids=consortium_ids, year_from=year_from, year_to=year_to
    )
