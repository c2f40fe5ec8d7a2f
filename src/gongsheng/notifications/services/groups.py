"""Preferences and chat groups: the settings people make (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import is_system
from gongsheng.access.scope import access_object, check_saved
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, record_written, snapshot
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import check_version, save_versioned
from gongsheng.notifications import channels, events
from gongsheng.notifications.models import Channel, ChatChannel, ChatKind, Preference


# --- preferences --------------------------------------------------------------------------
@transaction.atomic
def preferences_set(*, actor: Any, choices: Mapping[tuple[str, str], bool]) -> list[Preference]:
    """Set the actor's own mail / chat choices per event (the inbox is always on)."""
    if not getattr(actor, "pk", None):
        raise ValidationFailed(_("Sign in to change your notification settings."))
    known = {k.key for k in events.all_kinds()}
    errors = [
        FieldError(f"{event}.{channel}", _("unknown event or channel"))
        for event, channel in choices
        if event not in known or channel not in Channel.values
    ]
    if errors:
        raise ValidationFailed(_("The notification settings could not be saved."), errors)
    current = {
        (p.event, p.channel): p for p in Preference.objects.select_for_update().filter(user=actor)
    }
    before = {f"{e}.{c}": p.enabled for (e, c), p in current.items()}
    changed: list[Preference] = []
    for (event, channel), enabled in choices.items():
        row = current.get((event, channel))
        if row is None:
            row = Preference.objects.create(
                user=actor, event=event, channel=channel, enabled=bool(enabled)
            )
            changed.append(row)
        elif row.enabled != bool(enabled):
            row.enabled = bool(enabled)
            row.save(update_fields=["enabled"])
            changed.append(row)
    if changed:
        after = dict(before) | {f"{p.event}.{p.channel}": p.enabled for p in changed}
        audit_record(
            actor=actor,
            event=EventType.NOTIFICATION_PREFERENCES_CHANGED,
            action=Action.UPDATE,
            obj=actor,
            before=before,
            after=after,
            object_repr=str(actor),
        )
    return changed


# --- chat groups --------------------------------------------------------------------------
_CHANNEL_FIELDS = {"name", "kind", "key", "secret", "events", "is_active", "unit_id"}


def _validate_channel(group: ChatChannel) -> None:
    errors: list[FieldError] = []
    if not group.name.strip():
        errors.append(FieldError("name", _("required")))
    if group.kind not in ChatKind.values:
        errors.append(FieldError("kind", _("choose WeCom, DingTalk or Feishu")))
    elif channels.webhook_key(group.kind, group.key) is None:
        errors.append(FieldError("key", _("not a webhook key or address of this kind of bot")))
    if group.secret and group.kind != ChatKind.DINGTALK:
        errors.append(FieldError("secret", _("only DingTalk robots sign their messages")))
    elif not channels.secret_ok(group.secret):
        errors.append(FieldError("secret", _("letters and digits only")))
    known = {k.key for k in events.all_kinds()}
    if not isinstance(group.events, list) or any(e not in known for e in group.events):
        errors.append(FieldError("events", _("unknown event")))
    if group.unit_id is not None and not (
        group.unit.memberships.filter(consortium_id=group.consortium_id).exists()
    ):
        errors.append(FieldError("unit", _("is not a member unit of this consortium")))
    if errors:
        raise ValidationFailed(_("The chat group could not be saved."), errors)


def _locked(actor: Any, channel_id: int, action: str) -> ChatChannel:
    rows = ChatChannel.objects.select_for_update()
    if is_system(actor):
        return rows.get(pk=channel_id)
    return access_object(actor, rows, channel_id, action)


def _channel_snapshot(group: ChatChannel) -> dict[str, Any]:
    data = snapshot(group)
    data["key"] = group.masked_key  # the audit log never holds the webhook key
    data["secret"] = "…" if group.secret else ""
    return data


@transaction.atomic
def chat_channel_create(*, actor: Any, consortium_id: int, **data: Any) -> ChatChannel:
    unknown = set(data) - _CHANNEL_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    group = ChatChannel(consortium_id=consortium_id, **data)
    group.key = group.key.strip()
    _validate_channel(group)
    group.save()
    check_saved(actor, [group], "add")
    record_written(
        actor, group, EventType.CHAT_CHANNEL_CREATED, after=_channel_snapshot(group),
        unit_id=group.unit_id,
    )  # fmt: skip
    return group


@transaction.atomic
def chat_channel_update(
    *, actor: Any, channel_id: int, version: int | None, **data: Any
) -> ChatChannel:
    """Change a chat group; an empty ``key`` or ``secret`` keeps the stored one."""
    group = _locked(actor, channel_id, "change")
    check_version(group, version)
    unknown = set(data) - _CHANNEL_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name in ("key", "secret"):
        if name in data and not str(data[name] or "").strip():
            data.pop(name)
    before = _channel_snapshot(group)
    fields = [n for n, v in data.items() if getattr(group, n) != v]
    if not fields:
        return group
    for name in fields:
        setattr(group, name, data[name])
    _validate_channel(group)
    save_versioned(group, fields)
    check_saved(actor, [group], "change")
    record_written(
        actor, group, EventType.CHAT_CHANNEL_CHANGED, before=before, after=_channel_snapshot(group),
        unit_id=group.unit_id,
    )  # fmt: skip
    return group


@transaction.atomic
def chat_channel_delete(*, actor: Any, channel_id: int) -> None:
    """Remove a chat group; its past deliveries stay in the log (naming it by address)."""
    group = _locked(actor, channel_id, "delete")
    record_written(
        actor, group, EventType.CHAT_CHANNEL_DELETED, Action.DELETE,
        before=_channel_snapshot(group), unit_id=group.unit_id, after=None,
    )  # fmt: skip
    group.delete()
