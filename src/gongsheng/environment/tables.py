"""Import and export of the policy register (registered with the generic transfer app).

The key is the register's own id: a row without one is a new policy, a row with one updates
that policy of the consortium (an id from another consortium or unknown is a bad cell). A
re-imported export changes nothing. Target groups are codes or labels separated by commas;
target units are credit codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from gongsheng.access.scope import scope
from gongsheng.consortia.credit_code import normalise
from gongsheng.environment import selectors, services
from gongsheng.environment.choices import (
    AmountBasis,
    Classification,
    Instrument,
    PolicyKind,
    PolicyLevel,
    TargetGroup,
)
from gongsheng.environment.models import PublicPolicy
from gongsheng.transfer.resources import (
    CellError,
    Column,
    Resource,
    RowContext,
    choice_parser,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    register,
)

_SPLIT = re.compile(r"[,，、;；\s]+")


def parse_groups(value: Any) -> str:
    """``学校、企业`` or ``schools, enterprises`` or codes -> ``school,enterprise``."""
    found: list[str] = []
    for part in _SPLIT.split(parse_text(value)):
        if not part:
            continue
        folded = part.casefold()
        match = None
        for member in TargetGroup:
            names = {member.value}
            for lang in ("zh-hans", "en"):
                with override(lang):
                    names.add(str(member.label).casefold())
            if folded in names:
                match = member.value
                break
        if match is None:
            allowed = "、".join(str(m.label) for m in TargetGroup)
            raise CellError(
                _("“%(v)s” is not one of: %(allowed)s.") % {"v": part, "allowed": allowed}
            )
        found.append(match)
    return ",".join(g for g in TargetGroup.values if g in found)


def parse_codes(value: Any) -> list[str]:
    return [normalise(p) for p in _SPLIT.split(parse_text(value)) if p]


def _units(policy: PublicPolicy) -> str:
    return ", ".join(sorted(u.credit_code for u in policy.target_units.all()))


@register
class PolicyResource(Resource):
    """The consortium's policies and incentives."""

    name = "policies"
    label = gettext_lazy("Policies and incentives")
    key = "id"
    needs_consortium = True
    columns = [
        Column("id", gettext_lazy("Register number"), parse=parse_int,
               help=gettext_lazy("empty for a new policy; keep it to update one")),
        Column("title", gettext_lazy("Title"), required=True),
        Column("number", gettext_lazy("Document number")),
        Column("issuer", gettext_lazy("Issuer"), required=True),
        Column("level", gettext_lazy("Level"), required=True, parse=choice_parser(PolicyLevel),
               choices=PolicyLevel),
        Column("kind", gettext_lazy("Kind"), required=True, parse=choice_parser(PolicyKind),
               choices=PolicyKind),
        Column("instrument", gettext_lazy("Instrument"), required=True,
               parse=choice_parser(Instrument), choices=Instrument),
        Column("target_groups", gettext_lazy("Target groups"), parse=parse_groups,
               help=gettext_lazy("school, enterprise, government, research; separated by commas")),
        Column("target_units", gettext_lazy("Target units"), parse=parse_codes, export=_units,
               help=gettext_lazy("credit codes of member units, separated by commas")),
        Column("issued_on", gettext_lazy("Issued on"), parse=parse_date),
        Column("effective_from", gettext_lazy("Effective from"), required=True, parse=parse_date),
        Column("effective_to", gettext_lazy("Effective to"), parse=parse_date),
        Column("withdrawn_on", gettext_lazy("Withdrawn on"), parse=parse_date),
        Column("amount", gettext_lazy("Amount"), parse=parse_decimal,
               help=gettext_lazy("CNY, or a percentage for the percentage basis")),
        Column("amount_basis", gettext_lazy("Amount is"), parse=choice_parser(AmountBasis),
               choices=AmountBasis),
        Column("quantity", gettext_lazy("Quantity per year"), parse=parse_decimal,
               help=gettext_lazy("units, students or projects per year; for a percentage the "
                                 "CNY base per year")),
        Column("classification", gettext_lazy("Classification"), required=True,
               parse=choice_parser(Classification), choices=Classification),
        Column("classification_reason", gettext_lazy("Reason for the classification")),
        Column("notes", gettext_lazy("Notes")),
    ]  # fmt: skip
    fields = [
        "title", "number", "issuer", "level", "kind", "instrument", "target_groups",
        "issued_on", "effective_from", "effective_to", "withdrawn_on", "amount", "amount_basis",
        "quantity", "classification", "classification_reason", "notes",
    ]  # fmt: skip

    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        return selectors.policy_list(user=user, consortium_id=context.consortium_id).order_by("pk")

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        from gongsheng.consortia.models import Unit

        qs = PublicPolicy.objects.filter(
            consortium_id=context.consortium_id, pk__in=[k for k in keys if k is not None]
        ).prefetch_related("target_units")
        found = {p.pk: p for p in qs}
        context.extra["missing_ids"] = {k for k in keys if k is not None and k not in found}
        context.extra["units"] = dict(
            Unit.objects.filter(memberships__consortium_id=context.consortium_id).values_list(
                "credit_code", "pk"
            )
        )
        return found

    def changeable(self, objs: list[Model], context: RowContext) -> set[Any]:
        qs = PublicPolicy.objects.filter(pk__in=[o.pk for o in objs])
        return set(scope(context.actor, qs, "change").values_list("pk", flat=True))

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = []
        if values.get("id") is not None and values["id"] in context.extra.get("missing_ids", ()):
            problems.append(("id", _("no policy of this consortium has this number")))
        units = context.extra.get("units", {})
        unknown = [c for c in values.get("target_units") or [] if c not in units]
        if unknown:
            problems.append(
                ("target_units", _("not a member unit: %(c)s") % {"c": ", ".join(unknown)})
            )
        start, end = values.get("effective_from"), values.get("effective_to")
        if start and end and end < start:
            problems.append(("effective_to", _("earlier than the date it takes effect")))
        return problems

    def _data(self, values: dict[str, Any], context: RowContext) -> dict[str, Any]:
        data = {k: values[k] for k in self.fields if k in values}
        if not data.get("amount_basis"):
            data["amount_basis"] = AmountBasis.PER_YEAR
        if "target_units" in values:
            units = context.extra["units"]
            data["target_unit_ids"] = [units[c] for c in values["target_units"]]
        return data

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        return services.policy_create(
            actor=context.actor,
            consortium_id=context.consortium_id,
            **self._data(values, context),
        )

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        before = obj.version
        policy = services.policy_update(
            actor=context.actor, policy_id=obj.pk, version=None, **self._data(values, context)
        )
        return policy.version != before
