"""Licences and recorded IP actions, checked against the rules engine.

A recorded action (a licence granted, a sublicence, a transfer …) is a fact: it is stored with
the engine's verdict. When the verdict is *forbidden*, or *needs consent* and no consent was
obtained, the secretariat gets an ``ip_rule_breach`` alert naming the article or clause.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, can, check_saved
from gongsheng.alerts.services import alert_raise
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written
from gongsheng.cooperation import ip_rules
from gongsheng.cooperation.choices import IPAction, LicenceKind, PartyRole
from gongsheng.cooperation.ip_texts import ip_message, ip_text
from gongsheng.cooperation.models import IPAsset, IPOwner, IPRecordedAction, Licence
from gongsheng.core.errors import FieldError, Forbidden, ValidationFailed
from gongsheng.core.reasons import message, reason_text
from gongsheng.core.services import (
    apply_changes,
    full_clean_or_raise,
)
from gongsheng.notifications import recipients as notified
from gongsheng.notifications.services import notify

LICENCE_FIELDS = {
    "kind", "field_of_use", "territory", "starts_on", "ends_on", "may_sublicense",
    "may_transfer", "parent_id", "contract_id", "fee",
}  # fmt: skip


def facts_for(
    asset: IPAsset,
    *,
    unit_id: int,
    action: str,
    licence_kind: str = "general",
    on: dt.date | None = None,
    exclude_licence: int | None = None,
) -> ip_rules.Facts:
    """Gather the plain facts the engine needs about one asset (a handful of queries)."""
    on = on or timezone.localdate()
    owners = tuple(IPOwner.objects.filter(asset=asset).values_list("unit_id", flat=True))
    developers: tuple[int, ...] = ()
    commissioners: tuple[int, ...] = ()
    clauses: tuple[ip_rules.Clause, ...] = ()
    if asset.contract_id:
        parties = list(asset.contract.parties.values_list("unit_id", "role"))
        developers = tuple(
            u for u, r in parties if r in (PartyRole.DEVELOPER, PartyRole.CO_DEVELOPER)
        )
        commissioners = tuple(u for u, r in parties if r == PartyRole.COMMISSIONING)
        label = asset.contract.code or asset.contract.title
        clauses = tuple(
            ip_rules.Clause(
                action=c.action, outcome=c.outcome, ref=f"{label} {c.ref}", unit=c.unit_id,
                text=c.text,
            )
            for c in asset.contract.ip_clauses.all()
        )  # fmt: skip
    licences = Licence.objects.filter(asset=asset).exclude(pk=exclude_licence)
    held = tuple(
        ip_rules.Licence(
            ref=_("Licence #%(n)s") % {"n": lic.pk}, kind=lic.kind,
            may_sublicense=lic.may_sublicense, may_transfer=lic.may_transfer,
            starts_on=lic.starts_on, ends_on=lic.ends_on,
        )
        for lic in licences.filter(licensee_id=unit_id)
    )  # fmt: skip
    in_force = [
        lic.kind
        for lic in licences.exclude(licensee_id=unit_id).filter(parent__isnull=True)
        if lic.starts_on <= on and (lic.ends_on is None or on <= lic.ends_on)
    ]
    return ip_rules.Facts(
        unit=unit_id,
        action=action,
        asset_kind=asset.kind,
        origin=asset.origin,
        owners=owners,
        developers=developers,
        commissioners=commissioners,
        patented=asset.patented,
        delivered=asset.delivered,
        filing_refused_by=tuple(asset.filing_refused_by.values_list("pk", flat=True)),
        licences=held,
        granted_exclusive=LicenceKind.EXCLUSIVE in in_force,
        granted_sole=LicenceKind.SOLE in in_force,
        licence_kind=licence_kind,
        clauses=clauses,
        on=on,
    )


def _check_and_alert(
    actor: Actor, asset: IPAsset, rec: IPRecordedAction, verdict: ip_rules.Verdict
) -> None:
    if verdict.allowed or (verdict.outcome == ip_rules.CONSENT and rec.consent_obtained):
        return
    what = IPAction(rec.action).label
    with override(None):  # the label's msgid, for the reader's language
        what_msgid = str(what)
    title = message(
        gettext_noop("IP rule breach: %(what)s of “%(asset)s”"),
        what=message(what_msgid), asset=asset.title,
    )  # fmt: skip
    reason = message(
        gettext_noop("%(basis)s — %(reason)s"),
        basis=ip_message(verdict.basis), reason=ip_message(verdict.reason),
    )  # fmt: skip
    alert_raise(
        actor=actor,
        consortium_id=asset.consortium_id,
        kind="ip_rule_breach",
        title=reason_text(title)[:200],
        reason=reason_text(reason),
        title_code=title,
        reason_code=reason,
        unit_id=rec.unit_id,
        severity="critical" if verdict.outcome == ip_rules.FORBIDDEN else "warning",
        source_type="cooperation.iprecordedaction",
        source_id=rec.pk,
        confidential=True,
    )
    owners = asset.owners.values_list("unit_id", flat=True)
    people = notified.users(
        notified.secretariat(asset.consortium_id), notified.unit_admins(asset.consortium_id, owners)
    )
    notify(people, "ip.breach", asset, actor=actor,
           context={"what": what, "basis": ip_text(verdict.basis)})  # fmt: skip


def _record(
    actor: Actor,
    asset: IPAsset,
    *,
    unit_id: int,
    action: str,
    on: dt.date,
    counterparty_id: int | None,
    licence: Licence | None,
    consent_obtained: bool,
    note: str,
    licence_kind: str = "general",
) -> IPRecordedAction:
    verdict = ip_rules.decide(
        facts_for(asset, unit_id=unit_id, action=action, licence_kind=licence_kind, on=on,
                  exclude_licence=licence.pk if licence else None)
    )  # fmt: skip
    rec = IPRecordedAction.objects.create(
        asset=asset, unit_id=unit_id, action=action, counterparty_id=counterparty_id,
        licence=licence, on=on, consent_obtained=consent_obtained, outcome=verdict.outcome,
        basis=verdict.basis[:300], reason=verdict.reason[:300], note=note[:300],
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    record_written(
        actor, rec, EventType.IP_ACTION_RECORDED, consortium_id=asset.consortium_id,
        unit_id=unit_id, confidential=True,
    )  # fmt: skip
    _check_and_alert(actor, asset, rec, verdict)
    return rec


def _asset_for(
    actor: Actor, asset_id: int, move: str, *, acting_field: str, acting_unit_id: int
) -> IPAsset:
    """The asset, locked, when ``actor`` may perform ``move`` on it in the name of
    ``acting_unit_id``: the secretariat (who may change the asset) for any unit, a unit admin
    only for its own unit. An asset the actor cannot see is "not found"."""
    qs = IPAsset.objects.select_for_update()
    if is_system(actor):
        return qs.get(pk=asset_id)
    asset = access_object(actor, qs, asset_id, "view")
    if not can(actor, move, asset):
        raise Forbidden(_("Only the secretariat or an admin of an owning unit may record this."))
    if acting_unit_id != getattr(actor, "unit_id", None) and not can(actor, "change", asset):
        raise ValidationFailed(
            _("You may record this only in your own unit's name."),
            [FieldError(acting_field, _("must be your own unit"))],
        )
    return asset


def _check_members(asset: IPAsset, **unit_ids: int | None) -> None:
    """Every unit named must be an admitted member of the asset's consortium (a unit outside
    it would be shown the confidential asset through the licence or the record)."""
    from gongsheng.consortia.models import Membership

    wanted = {field: uid for field, uid in unit_ids.items() if uid is not None}
    members = set(
        Membership.objects.filter(
            consortium_id=asset.consortium_id,
            unit_id__in=set(wanted.values()),
            status="admitted",
        ).values_list("unit_id", flat=True)
    )
    errors = [
        FieldError(field, _("not a member of this consortium"))
        for field, uid in wanted.items()
        if uid not in members
    ]
    if errors:
        raise ValidationFailed(_("Only members of the consortium can be named."), errors)


@transaction.atomic
def licence_grant(
    *,
    actor: Actor,
    asset_id: int,
    licensor_id: int,
    licensee_id: int,
    consent_obtained: bool = False,
    note: str = "",
    **data: Any,
) -> Licence:
    """Record a licence (or, when the licensor is not an owner, a sublicence) and check it.

    The licensor is the actor's own unit (the secretariat may name any owner or licensee);
    licensor and licensee are members of the asset's consortium."""
    asset = _asset_for(
        actor, asset_id, "license", acting_field="licensor_id", acting_unit_id=licensor_id
    )
    _check_members(asset, licensor_id=licensor_id, licensee_id=licensee_id)
    lic = Licence(asset=asset, licensor_id=licensor_id, licensee_id=licensee_id)
    apply_changes(lic, data, LICENCE_FIELDS)
    full_clean_or_raise(lic, message=_("The licence could not be saved."))
    if lic.ends_on and lic.ends_on < lic.starts_on:
        raise ValidationFailed(
            _("The licence ends before it starts."), [FieldError("ends_on", _("before start"))]
        )
    is_owner = IPOwner.objects.filter(asset=asset, unit_id=licensor_id).exists()
    if not is_owner and lic.parent_id is None:
        lic.parent = (
            Licence.objects.filter(asset=asset, licensee_id=licensor_id).order_by("-id").first()
        )
    lic.save()
    check_saved(actor, [lic], "view")
    record_written(
        actor, lic, EventType.LICENCE_GRANTED, consortium_id=asset.consortium_id,
        unit_id=licensor_id, confidential=True,
    )  # fmt: skip
    _record(
        actor, asset, unit_id=licensor_id,
        action=IPAction.LICENSE if is_owner else IPAction.SUBLICENSE, on=lic.starts_on,
        counterparty_id=licensee_id, licence=lic, consent_obtained=consent_obtained, note=note,
        licence_kind=lic.kind,
    )  # fmt: skip
    return lic


@transaction.atomic
def ip_action_record(
    *,
    actor: Actor,
    asset_id: int,
    unit_id: int,
    action: str,
    on: dt.date,
    counterparty_id: int | None = None,
    consent_obtained: bool = False,
    note: str = "",
) -> IPRecordedAction:
    """Record a transfer, filing, publication or use that happened, with its verdict."""
    if action not in IPAction.values:
        raise ValidationFailed(_("Unknown IP action."), [FieldError("action", _("unknown"))])
    asset = _asset_for(
        actor, asset_id, "record_action", acting_field="unit_id", acting_unit_id=unit_id
    )
    _check_members(asset, unit_id=unit_id, counterparty_id=counterparty_id)
    return _record(
        actor, asset, unit_id=unit_id, action=action, on=on, counterparty_id=counterparty_id,
        licence=None, consent_obtained=consent_obtained, note=note,
    )  # fmt: skip
