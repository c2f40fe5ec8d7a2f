"""The policy register's declaration: fields, form, filters, columns, events, the withdraw move
and the checks across fields. Pages, API, import/export and the create / update / delete
services come from it (``gongsheng.declare``).

What does not fit the declaration stays explicit in the app: the evidence file (an
attachment, ``rules.py``; the ``policy_evidence_set`` shortcut), the before/after comparison
and the incentive amounts (reads of other apps' data), and the target units (a many-to-many
input, handled by the ``split`` / ``save_extra`` hooks below).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Model, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.audit.services import snapshot
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.declare.declaration import Declaration, Events, Move, register
from gongsheng.environment.choices import (
    QUANTITY_BASES,
    AmountBasis,
    Classification,
    Instrument,
    PolicyKind,
    PolicyLevel,
    TargetGroup,
)
from gongsheng.environment.filters import PolicyFilterSet
from gongsheng.environment.forms import PolicyForm, WithdrawForm
from gongsheng.environment.models import PublicPolicy
from gongsheng.environment.schemas import PolicyIn, PolicyOut, PolicyPatch, PolicyWithdrawIn
from gongsheng.environment.transfers import PolicyResource, parse_codes, parse_groups, units_of
from gongsheng.transfer.resources import (
    Column,
    choice_parser,
    parse_date,
    parse_decimal,
    parse_int,
)


def normalise_groups(value: Any) -> str:
    """``["school", "enterprise"]`` or ``"school, enterprise"`` -> ``"school,enterprise"`` (in the
    order of :class:`TargetGroup`); raises ``ValidationFailed`` naming an unknown group."""
    if value is None:
        return ""
    items = value.replace("，", ",").split(",") if isinstance(value, str) else list(value)
    names = {str(v).strip() for v in items if str(v).strip()}
    unknown = names - set(TargetGroup.values)
    if unknown:
        raise ValidationFailed(
            _("Unknown target group: %(g)s.") % {"g": ", ".join(sorted(unknown))},
            [
                FieldError(
                    "target_groups",
                    _("“%(g)s” is not one of: %(allowed)s")
                    % {"g": ", ".join(sorted(unknown)), "allowed": ", ".join(TargetGroup.values)},
                )
            ],
        )
    return ",".join(g for g in TargetGroup.values if g in names)


def check_units(consortium_id: int, unit_ids: list[int]) -> list[int]:
    """The target units, each a member of the consortium (else a ``target_units`` error)."""
    from gongsheng.consortia.models import Membership

    ids = sorted({int(u) for u in unit_ids})
    members = set(
        Membership.objects.filter(consortium_id=consortium_id, unit_id__in=ids).values_list(
            "unit_id", flat=True
        )
    )
    missing = [u for u in ids if u not in members]
    if missing:
        raise ValidationFailed(
            _("Target units must be members of the consortium."),
            [
                FieldError(
                    "target_units",
                    _("not a member unit of this consortium: %(ids)s")
                    % {"ids": ", ".join(map(str, missing))},
                )
            ],
        )
    return ids


def _number(data: dict[str, Any], name: str) -> None:
    if data.get(name) in ("", None):
        if name in data:
            data[name] = None
        return
    try:
        data[name] = Decimal(str(data[name]))
    except ArithmeticError:
        data[name] = None
        raise ValidationFailed(
            _("The policy could not be saved."), [FieldError(name, _("not a number"))]
        ) from None
    if not data[name].is_finite():
        raise ValidationFailed(
            _("The policy could not be saved."), [FieldError(name, _("not a number"))]
        )


def _units_prefetch() -> Prefetch:
    from gongsheng.consortia.models import Unit

    return Prefetch(
        "target_units",
        queryset=Unit.objects.only("pk", "name", "short_name", "type", "credit_code"),
    )


def _evidence_name() -> Coalesce:
    """The name of the policy's evidence file (its newest attachment with purpose ``evidence``
    not taken off), "" without one: one subquery for a whole listing."""
    from gongsheng.attachments.models import Attachment

    newest = Attachment.objects.filter(
        content_type__app_label="environment", content_type__model="publicpolicy",
        object_id=OuterRef("pk"), purpose="evidence", removed_at__isnull=True,
    ).order_by("-uploaded_at", "-pk")  # fmt: skip
    return Coalesce(Subquery(newest.values("name")[:1]), Value(""))


COLUMNS = [
    Column(
        "id",
        gettext_lazy("Register number"),
        parse=parse_int,
        help=gettext_lazy("empty for a new policy; keep it to update one"),
    ),
    Column("title", gettext_lazy("Title"), required=True),
    Column("number", gettext_lazy("Document number")),
    Column("issuer", gettext_lazy("Issuer"), required=True),
    Column(
        "level",
        gettext_lazy("Level"),
        required=True,
        parse=choice_parser(PolicyLevel),
        choices=PolicyLevel,
    ),
    Column(
        "kind",
        gettext_lazy("Kind"),
        required=True,
        parse=choice_parser(PolicyKind),
        choices=PolicyKind,
    ),
    Column(
        "instrument",
        gettext_lazy("Instrument"),
        required=True,
        parse=choice_parser(Instrument),
        choices=Instrument,
    ),
    Column(
        "target_groups",
        gettext_lazy("Target groups"),
        parse=parse_groups,
        help=gettext_lazy("school, enterprise, government, research; separated by commas"),
    ),
    Column(
        "target_units",
        gettext_lazy("Target units"),
        parse=parse_codes,
        export=units_of,
        help=gettext_lazy("credit codes of member units, separated by commas"),
    ),
    Column("issued_on", gettext_lazy("Issued on"), parse=parse_date),
    Column("effective_from", gettext_lazy("Effective from"), required=True, parse=parse_date),
    Column("effective_to", gettext_lazy("Effective to"), parse=parse_date),
    Column("withdrawn_on", gettext_lazy("Withdrawn on"), parse=parse_date),
    Column(
        "amount",
        gettext_lazy("Amount"),
        parse=parse_decimal,
        help=gettext_lazy("CNY, or a percentage for the percentage basis"),
    ),
    Column(
        "amount_basis",
        gettext_lazy("Amount is"),
        parse=choice_parser(AmountBasis),
        choices=AmountBasis,
    ),
    Column(
        "quantity",
        gettext_lazy("Quantity per year"),
        parse=parse_decimal,
        help=gettext_lazy(
            "units, students or projects per year; for a percentage the CNY base per year"
        ),
    ),
    Column(
        "classification",
        gettext_lazy("Classification"),
        required=True,
        parse=choice_parser(Classification),
        choices=Classification,
    ),
    Column("classification_reason", gettext_lazy("Reason for the classification")),
    Column("notes", gettext_lazy("Notes")),
]


@register
class PolicyDeclaration(Declaration):
    model = PublicPolicy
    name = "policies"
    namespace = "environment"
    label = gettext_lazy("Policies and incentives")
    id_name = "policy_id"
    fields = (
        "title", "number", "issuer", "level", "kind", "instrument", "target_groups", "issued_on",
        "effective_from", "effective_to", "withdrawn_on", "amount", "amount_basis", "quantity",
        "classification", "classification_reason", "notes",
    )  # fmt: skip
    events = Events(
        EventType.PUBLIC_POLICY_CREATED,
        EventType.PUBLIC_POLICY_CHANGED,
        EventType.PUBLIC_POLICY_DELETED,
    )
    moves = (
        Move(
            "withdraw",
            "gongsheng.environment.services.policy_withdraw",
            label=gettext_lazy("Withdraw"),
            form=WithdrawForm,
            schema=PolicyWithdrawIn,
            event=EventType.PUBLIC_POLICY_WITHDRAWN,
            done=gettext_lazy("Withdrawn."),
            invalid=gettext_lazy("Give the date the policy is withdrawn."),
            when=lambda p: p.withdrawn_on is None,  # policy_withdraw refuses a second one
        ),
    )
    form = PolicyForm
    filterset = PolicyFilterSet
    columns = COLUMNS
    resource = PolicyResource
    schema_out, schema_in, schema_patch = PolicyOut, PolicyIn, PolicyPatch
    api_tags = ["environment"]
    list_template = "environment/list.html"
    detail_template = "environment/detail.html"
    form_template = "environment/form.html"
    context_name = "p"
    table_id = "policy-table"
    nav = "environment"
    validate_constraints = False
    invalid_message = gettext_lazy("The policy could not be saved.")
    add_forbidden = gettext_lazy("You may not add policies in this consortium.")

    def base_queryset(self) -> Any:
        return (
            PublicPolicy.objects.select_related("consortium")
            .prefetch_related(_units_prefetch())
            .annotate(evidence_name=_evidence_name())
        )

    def split(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        data = dict(data)
        return data, {"unit_ids": data.pop("target_unit_ids", None)}

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        data = dict(data)
        if "target_groups" in data:
            data["target_groups"] = normalise_groups(data["target_groups"])
        for name in ("amount", "quantity"):
            _number(data, name)
        for name in ("number", "classification_reason", "notes"):
            if name in data and data[name] is None:
                data[name] = ""
        return data

    def prepare_extra(self, obj: Model, extra: dict[str, Any]) -> dict[str, Any]:
        unit_ids = extra.get("unit_ids")
        if unit_ids is None and obj.pk is None:
            unit_ids = []
        if unit_ids is not None:
            unit_ids = check_units(obj.consortium_id, unit_ids)
        return {"unit_ids": unit_ids}

    def check(self, obj: Model, extra: dict[str, Any]) -> list[FieldError]:
        errors: list[FieldError] = []
        unit_ids = extra.get("unit_ids")
        n_units = len(unit_ids) if unit_ids is not None else obj.target_units.count()
        if not obj.target_groups and n_units == 0:
            errors.append(FieldError("target_groups", _("name a target group or a target unit")))
        start, end = obj.effective_from, obj.effective_to
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            errors.append(FieldError("effective_to", _("earlier than the date it takes effect")))
        amount, quantity = obj.amount, obj.quantity
        if isinstance(amount, Decimal) and amount < 0:
            errors.append(FieldError("amount", _("must not be negative")))
        percentage = obj.amount_basis == AmountBasis.PERCENTAGE
        if percentage and isinstance(amount, Decimal) and amount > 100:
            errors.append(FieldError("amount", _("a percentage is at most 100")))
        if isinstance(quantity, Decimal) and quantity < 0:
            errors.append(FieldError("quantity", _("must not be negative")))
        if quantity is not None and obj.amount_basis not in QUANTITY_BASES:
            errors.append(
                FieldError(
                    "quantity",
                    _("only per-unit, per-student, per-project or percentage amounts take one"),
                )
            )
        reason = (obj.classification_reason or "").strip()
        if obj.classification != Classification.NEUTRAL and not reason:
            errors.append(
                FieldError("classification_reason", _("say why the policy is positive or negative"))
            )
        return errors

    def snapshot(self, obj: Model) -> dict[str, Any]:
        data = snapshot(obj)
        ids = obj.target_units.values_list("pk", flat=True) if obj.pk else []
        data["target_units"] = sorted(ids)
        return data

    def extra_changed(self, obj: Model, extra: dict[str, Any], before: dict[str, Any]) -> bool:
        ids = extra.get("unit_ids")
        return ids is not None and ids != before["target_units"]

    def save_extra(self, obj: Model, extra: dict[str, Any]) -> None:
        if extra.get("unit_ids") is not None:
            obj.target_units.set(extra["unit_ids"])

    def before_delete(self, obj: Model) -> None:
        obj.target_units.clear()  # its evidence files go with it (declare.services.delete)

    def form_kwargs(self, request: Any, consortium: Model) -> dict[str, Any]:
        from gongsheng.environment.selectors import member_units

        return {"units": member_units(user=request.user, consortium_id=consortium.pk)}

    def page_field(self, field: str) -> str:
        return {"target_groups": "groups", "target_units": "units"}.get(field, field)

    def page_context(self, request: Any, obj: Model | None) -> dict[str, Any]:
        if obj is None:
            return {
                "kinds": PolicyKind.choices,
                "instruments": Instrument.choices,
                "classifications": Classification.choices,
            }
        return {}
