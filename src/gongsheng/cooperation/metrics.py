"""Cooperation's metrics: projects accepted and contracts signed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.cooperation.choices import ContractStatus
from gongsheng.cooperation.models import Contract, Project
from gongsheng.metrics.registry import count_metric

count_metric(
    name="projects_accepted",
    label=_("Projects accepted"),
    unit=pgettext_lazy("metric unit", "projects"),
    source=_("cooperation: projects by their acceptance date"),
    description=_(
        "The cooperation projects that passed acceptance (moved to acceptance or closed) in "
        "the year, by lead unit."
    ),
    records=lambda: Project.objects.filter(accepted_on__isnull=False),
    date_field="accepted_on",
    unit_field="lead_unit_id",
)

count_metric(
    name="contracts_signed",
    label=_("Contracts signed"),
    unit=pgettext_lazy("metric unit", "contracts"),
    source=_("cooperation: contracts by their signing date"),
    description=_(
        "The contracts signed in the year (any status but draft). A contract has several "
        "parties, so it counts for the consortium, not for one unit."
    ),
    records=lambda: Contract.objects.filter(signed_on__isnull=False).exclude(
        status=ContractStatus.DRAFT
    ),
    date_field="signed_on",
)
