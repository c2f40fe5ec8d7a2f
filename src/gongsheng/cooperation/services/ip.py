"""IP assets and their owners: create, change, and a change of shares (a transfer, checked
against the rules engine through :mod:`~gongsheng.cooperation.services.ip_actions`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, check_saved
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written
from gongsheng.cooperation.choices import IPAction
from gongsheng.cooperation.models import IPAsset, IPOwner
from gongsheng.cooperation.services.ip_actions import _record
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import (
    check_version,
    save_versioned,
)
from gongsheng.declare import services as declared
from gongsheng.declare.declaration import declaration_for


def owner_rows(raw: list[Any]) -> list[tuple[int, Any]]:
    """Owners given as ``(unit id, share)`` pairs or ``{"unit_id", "share"}`` rows."""
    return [(o["unit_id"], o["share"]) if isinstance(o, dict) else tuple(o) for o in raw]


def _owner_problems(owners: list[tuple[int, Decimal]]) -> list[FieldError]:
    """What is wrong with a list of (unit id, share) owners, each problem naming its row."""
    errors: list[FieldError] = []
    seen: set[int] = set()
    total = Decimal(0)
    for i, (unit_id, share) in enumerate(owners, start=1):
        if unit_id in seen:
            errors.append(FieldError("owners", _("a unit is named twice"), row=i))
        seen.add(unit_id)
        try:
            share = Decimal(share)
        except (ArithmeticError, TypeError, ValueError):
            errors.append(FieldError("owners", _("the share is not a number"), row=i))
            continue
        if not Decimal(0) < share <= Decimal(1):
            errors.append(FieldError("owners", _("a share lies above 0 and at most 1"), row=i))
        total += share
    if not owners:
        errors.append(FieldError("owners", _("an IP asset has at least one owner")))
    elif not errors and total != 1:
        errors.append(
            FieldError(
                "owners",
                _("the shares add up to %(total)s %%, not 100 %%")
                % {"total": format((total * 100).normalize(), "f")},
            )
        )
    return errors


def ip_asset_create(
    *, actor: Actor, consortium_id: int, owners: list[tuple[int, Decimal]], **data: Any
) -> IPAsset:
    """Create an IP asset with its owners and shares (declared:
    ``cooperation.declarations.ip``)."""
    decl = declaration_for(IPAsset)
    return declared.create(decl, actor=actor, consortium_id=consortium_id, owners=owners, **data)


@transaction.atomic
def ip_asset_update(
    *,
    actor: Actor,
    asset_id: int,
    version: int | None,
    owners: list[Any] | None = None,
    consent_obtained: bool = False,
    **data: Any,
) -> IPAsset:
    """Change an IP asset's own fields (the declared update) and, when ``owners`` is given,
    its owners and shares (through :func:`ip_owners_set`, which checks the change against the
    IP rules); the edit page and ``PATCH /ip-assets/{id}`` call it."""
    if owners is not None:
        owners = owner_rows(owners)
        problems = _owner_problems(owners)
        if problems:  # before anything is written
            raise ValidationFailed(_("The owners are not valid."), problems)
    decl = declaration_for(IPAsset)
    asset = declared.update(decl, actor=actor, pk=asset_id, version=version, **data)
    if owners is None:
        return asset
    return ip_owners_set(
        actor=actor, asset_id=asset.pk, version=asset.version, owners=owners,
        consent_obtained=consent_obtained,
    )  # fmt: skip


@transaction.atomic
def ip_owners_set(
    *,
    actor: Actor,
    asset_id: int,
    version: int | None,
    owners: list[tuple[int, Decimal]],
    on: dt.date | None = None,
    consent_obtained: bool = False,
    note: str = "",
) -> IPAsset:
    """Replace an IP asset's owners and shares (they add up to 1).

    A change of shares is a transfer: every owner whose share shrinks (or who leaves) is
    recorded as transferring to the units that gain, and the rules engine checks it with the
    owners *before* the change (Civil Code Art. 860: the others' pre-emption right; Patent Law
    Art. 14: every co-owner's consent). A transfer that breaks the rules, without the consent
    recorded, raises an ``ip_rule_breach`` alert, as a transfer recorded on the page does.
    """
    qs = IPAsset.objects.select_for_update()
    asset = (
        qs.get(pk=asset_id) if is_system(actor) else access_object(actor, qs, asset_id, "change")
    )
    check_version(asset, version)
    owners = [(int(u), Decimal(s)) for u, s in owners]
    problems = _owner_problems(owners)
    if problems:
        raise ValidationFailed(_("The owners are not valid."), problems)
    old = dict(IPOwner.objects.filter(asset=asset).values_list("unit_id", "share"))
    new = dict(owners)
    if old == new:
        return asset
    on = on or timezone.localdate()
    losers = sorted(u for u, share in old.items() if new.get(u, Decimal(0)) < share)
    gainers = sorted(u for u, share in new.items() if share > old.get(u, Decimal(0)))
    for unit_id in losers:
        _record(
            actor, asset, unit_id=unit_id, action=IPAction.TRANSFER, on=on,
            counterparty_id=gainers[0] if len(gainers) == 1 else None, licence=None,
            consent_obtained=consent_obtained,
            note=note or _("owners' shares changed"),
        )  # fmt: skip
    IPOwner.objects.filter(asset=asset).delete()
    IPOwner.objects.bulk_create([IPOwner(asset=asset, unit_id=u, share=s) for u, s in owners])
    save_versioned(asset, [])
    check_saved(actor, [asset], "change")

    def shares(d: dict[int, Decimal]) -> dict[str, str]:
        return {str(u): str(s) for u, s in sorted(d.items())}

    record_written(
        actor, asset, EventType.IP_OWNERS_CHANGED, before={"owners": shares(old)},
        after={"owners": shares(new)}, confidential=True, message=note[:300],
    )  # fmt: skip
    return asset
