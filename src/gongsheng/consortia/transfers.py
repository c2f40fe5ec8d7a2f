"""The import/export tables of units and memberships: the resources of their declarations
(``consortia.declarations``), keyed by the credit code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import can
from gongsheng.consortia import services
from gongsheng.consortia.choices import MembershipStatus, Rank, UnitType
from gongsheng.consortia.credit_code import normalise, problem
from gongsheng.consortia.models import Membership, Unit
from gongsheng.declare.transfer import DeclaredResource
from gongsheng.transfer.resources import (
    CellError,
    Column,
    RowContext,
    choice_parser,
    parse_date,
)


def admitted_units(context: RowContext) -> dict[str, int]:
    """Credit code -> unit id of the consortium's admitted members: one query per import,
    kept in ``context.extra["units"]`` (the tables that name units by credit code)."""
    if "units" not in context.extra:
        context.extra["units"] = dict(
            Unit.objects.filter(
                memberships__consortium_id=context.consortium_id,
                memberships__status="admitted",
            ).values_list("credit_code", "pk")
        )
    return context.extra["units"]


def parse_credit_code(value: Any) -> str:
    code = normalise("" if value is None else str(value))
    if not code:
        return ""
    reason = problem(code)
    if reason:
        raise CellError(reason)
    return code


UNIT_COLUMNS = [
    Column("credit_code", gettext_lazy("Credit code"), required=True, parse=parse_credit_code,
           help=gettext_lazy("18 characters, with its check character")),
    Column("name", gettext_lazy("Name"), required=True),
    Column("short_name", gettext_lazy("Short name")),
    Column("type", gettext_lazy("Type"), required=True, parse=choice_parser(UnitType),
           choices=UnitType),
    Column("province", gettext_lazy("Province")),
    Column("city", gettext_lazy("City")),
    Column("address", gettext_lazy("Address")),
    Column("website", gettext_lazy("Website")),
    Column("description", gettext_lazy("Description")),
]  # fmt: skip


class UnitResource(DeclaredResource):
    """Member units (the declaration's table, ``UnitDeclaration.resource``), keyed by the credit
    code across the platform: a known unit is updated, a new one admitted to the consortium
    the import runs in."""

    key = "credit_code"

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        return {u.credit_code: u for u in Unit.objects.filter(credit_code__in=list(keys))}

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        return []

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        return services.unit_create(
            actor=context.actor, consortium_id=context.consortium_id, **self.data(values, context)
        )


MEMBERSHIP_COLUMNS = [
    Column("credit_code", gettext_lazy("Credit code"), required=True, parse=parse_credit_code,
           export=lambda m: m.unit.credit_code),
    Column("unit_name", gettext_lazy("Unit"), export=lambda m: m.unit.name,
           help=gettext_lazy("for reading only; the credit code decides")),
    Column("rank", gettext_lazy("Rank"), required=True, parse=choice_parser(Rank),
           choices=Rank),
    Column("status", gettext_lazy("Status"), parse=choice_parser(MembershipStatus),
           choices=MembershipStatus,
           help=gettext_lazy("empty for a new row: an application")),
    Column("applied_on", gettext_lazy("Applied on"), parse=parse_date),
    Column("joined_on", gettext_lazy("Joined on"), parse=parse_date),
    Column("left_on", gettext_lazy("Left on"), parse=parse_date),
    Column("note", gettext_lazy("Note")),
]  # fmt: skip


class MembershipResource(DeclaredResource):
    """Memberships of one consortium, keyed by the unit's credit code. They follow the
    lifecycle: a new row is an application unless the importer may admit (and then it may
    say admitted, or record a past membership); a changed status is a move of the lifecycle,
    refused with the current status and the allowed ones."""

    key = "credit_code"

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        qs = Membership.objects.filter(
            consortium_id=context.consortium_id, unit__credit_code__in=list(keys)
        ).select_related("unit")
        found = {m.unit.credit_code: m for m in qs}
        context.extra["units"] = dict(
            Unit.objects.filter(credit_code__in=list(keys)).values_list("credit_code", "pk")
        )
        return found

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = []
        if existing is None and values.get("credit_code") not in context.extra.get("units", {}):
            problems.append(
                ("credit_code", _("no unit has this credit code; import the unit first"))
            )
        status = values.get("status") or MembershipStatus.APPLIED
        unit_id = context.extra.get("units", {}).get(values.get("credit_code"))
        if existing is None and unit_id and status != MembershipStatus.APPLIED:
            may_admit = can(
                context.actor, "admit", Membership,
                consortium_id=context.consortium_id, owner_id=unit_id,
            )  # fmt: skip
            if not may_admit:
                problems.append(("status", _("you may only apply: leave it empty or “applied”")))
        joined, left = values.get("joined_on"), values.get("left_on")
        if joined and left and left < joined:
            problems.append(("left_on", _("earlier than the joining date")))
        return problems

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        return services.membership_create(
            actor=context.actor,
            consortium_id=context.consortium_id,
            unit_id=context.extra["units"][values["credit_code"]],
            rank=values["rank"],
            status=values.get("status") or MembershipStatus.APPLIED,
            applied_on=values.get("applied_on"),
            joined_on=values.get("joined_on"),
            left_on=values.get("left_on"),
            note=values.get("note", ""),
        )

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        before = obj.version
        if values.get("status") and values["status"] != obj.status:
            services.membership_transition(
                actor=context.actor,
                membership_id=obj.pk,
                to_status=values["status"],
                note=values.get("note", ""),
                on=values.get("left_on") or values.get("joined_on") or values.get("applied_on"),
            )
        data = {
            k: values[k]
            for k in ("rank", "applied_on", "joined_on", "left_on", "note")
            if k in values
        }
        m = services.membership_update(
            actor=context.actor, membership_id=obj.pk, version=None, **data
        )
        return m.version != before
