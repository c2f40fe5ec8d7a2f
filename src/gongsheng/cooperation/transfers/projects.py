"""Import and export of projects (keyed by code within the consortium): the columns and the
cells the declared table (``cooperation.declarations.projects``) cannot read by itself — the
lead unit by its credit code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.consortia.transfers import admitted_units, parse_credit_code
from gongsheng.cooperation.choices import (
    ProjectStatus,
    ProjectType,
)
from gongsheng.cooperation.models import Project
from gongsheng.cooperation.transfers.cells import (
    _number,
    by_code_or_number,
    code_or_number,
    unknown_number,
)
from gongsheng.declare.transfer import DeclaredResource
from gongsheng.transfer.resources import Column, RowContext, choice_parser, parse_date

COLUMNS = [
    Column("code", gettext_lazy("Code"), required=True, export=code_or_number("code"),
           help=gettext_lazy("#12 for project 12 when it has no code")),
    Column("name", gettext_lazy("Name"), required=True),
    Column("type", gettext_lazy("Type"), required=True, parse=choice_parser(ProjectType),
           choices=ProjectType),
    Column("lead_credit_code", gettext_lazy("Lead unit credit code"), required=True,
           parse=parse_credit_code, export=lambda p: p.lead_unit.credit_code),
    Column("lead_name", gettext_lazy("Lead unit"), export=lambda p: p.lead_unit.name,
           help=gettext_lazy("for reading only; the credit code decides")),
    Column("status", gettext_lazy("Status"), choices=ProjectStatus,
           help=gettext_lazy("for reading only; projects move through their lifecycle")),
    Column("starts_on", gettext_lazy("Starts on"), parse=parse_date),
    Column("ends_on", gettext_lazy("Ends on"), parse=parse_date),
    Column("description", gettext_lazy("Description")),
]  # fmt: skip


class ProjectResource(DeclaredResource):
    """Projects keyed by their code; the lead unit by the credit code of an admitted member."""

    key = "code"

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        admitted_units(context)  # read by check_row
        qs = Project.objects.filter(consortium_id=context.consortium_id)
        return by_code_or_number(qs, keys, "code")

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = unknown_number(values, "code", existing)
        if values.get("lead_credit_code") not in context.extra.get("units", {}):
            problems.append(("lead_credit_code", _("no admitted member has this credit code")))
        return problems

    def data(self, values: dict[str, Any], context: RowContext) -> dict[str, Any]:
        data = super().data(values, context)
        if _number(data.get("code")) is not None:  # ``#12``: the project's number, not a code
            data.pop("code")
        data["lead_unit_id"] = context.extra["units"][values["lead_credit_code"]]
        return data
