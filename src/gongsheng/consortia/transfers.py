"""The import/export tables of units and memberships: the resources of their declarations
(``consortia.declarations``), keyed by the credit code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import can, scope
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


def status_here(unit: Unit) -> str:
    """The unit's membership status in the consortium listed (prefetched as ``here``)."""
    here = getattr(unit, "here", None)
    return here[0].status if here else ""


UNIT_COLUMNS = [
    Column("credit_code", gettext_lazy("Credit code"), required=True, parse=parse_credit_code,
           help=gettext_lazy("18 characters, with its check character")),
    Column("name", gettext_lazy("Name"), required=True),
    Column("short_name", gettext_lazy("Short name")),
    Column("type", gettext_lazy("Type"), required=True, parse=choice_parser(UnitType),
           choices=UnitType),
    Column("status", gettext_lazy("Status"), parse=choice_parser(MembershipStatus),
           choices=MembershipStatus, export=lambda u: status_here(u),
           help=gettext_lazy("empty for a new row: an application")),
    Column("province", gettext_lazy("Province")),
    Column("city", gettext_lazy("City")),
    Column("address", gettext_lazy("Address")),
    Column("website", gettext_lazy("Website")),
    Column("description", gettext_lazy("Description")),
]  # fmt: skip


def may_admit(context: RowContext) -> bool:
    """Whether the importer may admit members here (asked once per import)."""
    if "may_admit" not in context.extra:
        context.extra["may_admit"] = can(
            context.actor, "admit", Membership, consortium_id=context.consortium_id
        )
    return context.extra["may_admit"]


def status_problems(status: str, context: RowContext) -> list[tuple[str, str]]:
    """A new membership is an application unless the importer may admit (then the row may say
    admitted, or record a past membership)."""
    if status != MembershipStatus.APPLIED and not may_admit(context):
        return [("status", _("you may only apply: leave it empty or “applied”"))]
    return []


class UnitResource(DeclaredResource):
    """Member units (the declaration's table, ``UnitDeclaration.resource``), keyed by the credit
    code across the platform. A known unit is updated; a unit new to the consortium applies
    to it (its membership follows the lifecycle as in the memberships table: an application,
    unless the importer may admit and the row says admitted; a changed status of a member is
    a move of the lifecycle). A unit registered in a consortium the importer does not see is
    treated as a new one — the same checks and the same answer — except that its record,
    not the importer's to change, is left as it is: only its membership here is made."""

    key = "credit_code"

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        found = {u.credit_code: u for u in Unit.objects.filter(credit_code__in=list(keys))}
        context.extra["registered"] = {code: u.pk for code, u in found.items()}
        context.extra["here"] = {
            m.unit_id: m
            for m in Membership.objects.filter(
                consortium_id=context.consortium_id, unit_id__in=[u.pk for u in found.values()]
            )
        }
        return found  # the importer keeps the ones the actor may see

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        here = context.extra["here"].get(existing.pk) if existing is not None else None
        if here is None:  # a new membership
            return status_problems(values.get("status") or MembershipStatus.APPLIED, context)
        return []

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        status = values.get("status") or MembershipStatus.APPLIED
        data = self.data(values, context)
        unit_id = context.extra["registered"].get(values["credit_code"])
        if unit_id is None:
            return services.unit_create(
                actor=context.actor, consortium_id=context.consortium_id, status=status, **data
            )
        # registered where the importer does not look: checked as a new unit would be, then
        # only its membership here is made
        from gongsheng.core.services import apply_changes, full_clean_or_raise

        candidate = Unit()
        apply_changes(candidate, data, set(self.fields))
        full_clean_or_raise(
            candidate, message=_("The unit could not be saved."), exclude=["credit_code"]
        )
        return self._join(unit_id, status, context)

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        changed = super().update(obj, values, context)
        here = context.extra["here"].get(obj.pk)
        status = values.get("status")
        if here is None:
            self._join(obj.pk, status or MembershipStatus.APPLIED, context)
            return True
        if status and status != here.status:
            services.membership_transition(
                actor=context.actor, membership_id=here.pk, to_status=status
            )
            return True
        return changed

    def _join(self, unit_id: int, status: str, context: RowContext) -> Model:
        return services.membership_create(
            actor=context.actor, consortium_id=context.consortium_id, unit_id=unit_id,
            status=status, joined_on=timezone.localdate(),
        )  # fmt: skip


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
        # who may add memberships here (the secretariat) names any registered unit by its
        # credit code, a public number, as on the application page; anyone else only units
        # they may see, so a unit of another consortium reads as one not registered at all
        units = Unit.objects.filter(credit_code__in=list(keys))
        if not can(context.actor, "add", Membership, consortium_id=context.consortium_id):
            units = scope(context.actor, units)
        context.extra["units"] = dict(units.values_list("credit_code", "pk"))
        return found

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = []
        if existing is None and values.get("credit_code") not in context.extra.get("units", {}):
            problems.append(
                ("credit_code", _("no unit has this credit code; import the unit first"))
            )
        unit_id = context.extra.get("units", {}).get(values.get("credit_code"))
        if existing is None and unit_id:
            problems += status_problems(values.get("status") or MembershipStatus.APPLIED, context)
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
