"""Import and export of projects (keyed by code within the consortium)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import scope
from gongsheng.consortia.models import Unit
from gongsheng.consortia.transfers import parse_credit_code
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.choices import (
    ProjectStatus,
    ProjectType,
)
from gongsheng.cooperation.models import Project
from gongsheng.transfer.resources import (
    Column,
    Resource,
    RowContext,
    choice_parser,
    parse_date,
    register,
)


@register
class ProjectResource(Resource):
    name = "projects"
    label = gettext_lazy("Cooperation projects")
    key = "code"
    needs_consortium = True
    columns = [
        Column("code", gettext_lazy("Code"), required=True),
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
    fields = ["name", "type", "starts_on", "ends_on", "description"]

    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        return selectors.project_list(user=user, consortium_id=context.consortium_id)

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        context.extra["units"] = dict(
            Unit.objects.filter(
                memberships__consortium_id=context.consortium_id,
                memberships__status="admitted",
            ).values_list("credit_code", "pk")
        )
        qs = Project.objects.filter(consortium_id=context.consortium_id, code__in=list(keys))
        return {p.code: p for p in qs}

    def changeable(self, objs: list[Model], context: RowContext) -> set[Any]:
        qs = Project.objects.filter(pk__in=[o.pk for o in objs])
        return set(scope(context.actor, qs, "change").values_list("pk", flat=True))

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        if values.get("lead_credit_code") not in context.extra.get("units", {}):
            return [("lead_credit_code", _("no admitted member has this credit code"))]
        return []

    def _data(self, values: dict[str, Any], context: RowContext) -> dict[str, Any]:
        data = {k: values[k] for k in self.fields if k in values}
        data["lead_unit_id"] = context.extra["units"][values["lead_credit_code"]]
        return data

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        return services.project_create(
            actor=context.actor, consortium_id=context.consortium_id, code=values["code"],
            **self._data(values, context),
        )  # fmt: skip

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        before = obj.version
        p = services.project_update(
            actor=context.actor, project_id=obj.pk, version=None, **self._data(values, context)
        )
        return p.version != before
