"""Personal data: declared per model in its app's ``AppConfig.personal_data``, masked by default.

Who may read a record's personal fields in full is the model policy's ``view_personal``
action (by default the record's own unit and the secretariat; platform admins and the system;
not supervisors, observers, other units nor units it was shared with). Everyone else gets
masked values (``138****5678``, ``z***@example.com``) in API answers, exports and audit
snapshots. Every full read by someone outside the record's own unit (a detail page, an API
answer, an export) writes one audit entry (``PERSONAL_DATA_READ``), not one per field.

* :func:`mask_value` - one value, masked;
* :func:`visible_ids` - the pks of a model whose personal data the user may read (one query);
* :func:`masked` - copies of records with their personal fields masked where needed;
* :func:`mask_dict` - the same for a dict of field values (audit snapshots, declared rows);
* :func:`mask_entries` - audit entries' before/after snapshots, in memory;
* :func:`log_read` - the audit entry for a full read by someone outside the record's unit.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from gongsheng.access.policies import policy_for
from gongsheng.access.scope import context_for, scope
from gongsheng.core.registry import personal_fields

ACTION = "view_personal"
_CACHE_ATTR = "_gongsheng_personal_ids"

__all__ = [
    "ACTION",
    "log_read",
    "mask_dict",
    "mask_entries",
    "mask_value",
    "masked",
    "personal_fields",
    "visible_ids",
]


def mask_value(value: Any) -> Any:
    """``13812345678`` -> ``138****5678``; ``zhang@example.com`` -> ``z***@example.com``;
    anything else keeps its first character. Empty values stay empty."""
    if value in (None, ""):
        return value
    text = str(value)
    if "@" in text:
        local, _at, domain = text.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 3:
        return f"****{digits[-2:]}"
    return f"{text[:1]}***"


def visible_ids(user: Any, model: type[Model], pks: Iterable[Any] | None = None) -> set[Any]:
    """The pks (among ``pks``; all when ``None``, cached on the user for the request) whose
    personal data ``user`` may read in full (one query)."""
    if pks is None:
        cache = getattr(user, _CACHE_ATTR, None)
        if cache is None:
            cache = {}
            with contextlib.suppress(AttributeError):  # an immutable user stand-in
                setattr(user, _CACHE_ATTR, cache)
        if model not in cache:
            cache[model] = set(
                scope(user, model._default_manager.all(), ACTION).values_list("pk", flat=True)
            )
        return cache[model]
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return set()
    qs = model._default_manager.filter(pk__in=pks)
    return set(scope(user, qs, ACTION).values_list("pk", flat=True))


def mask_dict(data: dict[str, Any], model: type[Model], *, visible: bool) -> dict[str, Any]:
    """A copy of ``data`` with ``model``'s personal fields masked unless ``visible``."""
    fields = personal_fields(model)
    if visible or not fields:
        return dict(data)
    return {k: mask_value(v) if k in fields else v for k, v in data.items()}


def masked(user: Any, objs: Iterable[Model]) -> list[Model]:
    """The records, as shallow copies with their personal fields masked where ``user`` may
    not read them (records the user may read come back as they are)."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    fields = personal_fields(model)
    if not fields:
        return objs
    visible = visible_ids(user, model, [o.pk for o in objs])
    out = []
    for obj in objs:
        if obj.pk in visible:
            out.append(obj)
            continue
        shadow = copy.copy(obj)
        for name in fields:
            setattr(shadow, name, mask_value(getattr(obj, name)))
        shadow._personal_masked = True  # type: ignore[attr-defined]
        out.append(shadow)
    return out


def mask_entries(user: Any, entries: Iterable[Any]) -> None:
    """Mask, in memory, the personal fields in audit entries' ``before``/``after`` snapshots
    of records whose personal data ``user`` may not read (one query per model involved).
    The stored entries keep the full values."""
    by_model: dict[type[Model], list[Any]] = {}
    for entry in entries:
        ct = getattr(entry, "content_type", None)
        model = ct.model_class() if ct is not None else None
        if model is not None and personal_fields(model) and (entry.before or entry.after):
            by_model.setdefault(model, []).append(entry)
    if not by_model or context_for(user).platform_admin:
        return
    for model, group in by_model.items():
        visible = visible_ids(user, model, {e.object_id for e in group})
        for entry in group:
            if entry.object_id in visible:
                continue
            for side in ("before", "after"):
                data = getattr(entry, side)
                if data:
                    # snapshots store foreign keys by attname; personal fields are plain
                    setattr(entry, side, mask_dict(data, model, visible=False))


def _owner_unit(obj: Model) -> Any:
    policy = policy_for(type(obj))
    if policy is None or not policy.owners:
        return None
    path = policy.owners[0]
    if path == "pk":
        return obj.pk
    if "__" in path:
        return None
    field = obj._meta.get_field(path)
    return getattr(obj, getattr(field, "attname", path), None)


@transaction.atomic
def log_read(*, user: Any, objs: Iterable[Model], what: str) -> Any:
    """Record that ``user`` read these records' personal data in full (one audit entry for
    the whole read), unless nothing personal was shown or every record is the user's own
    unit's. Masked copies (from :func:`masked`) do not count. Returns the entry or None."""
    from gongsheng.access.events import AccessEvent
    from gongsheng.audit.models import Action
    from gongsheng.audit.services import audit_record

    objs = [o for o in objs if not getattr(o, "_personal_masked", False)]
    if not objs or not personal_fields(type(objs[0])):
        return None
    own = context_for(user).unit_id
    others = [o for o in objs if _owner_unit(o) is None or _owner_unit(o) != own]
    if not others:
        return None
    units = {_owner_unit(o) for o in others}
    model = type(others[0])
    fields = "、".join(
        str(getattr(model._meta.get_field(f), "verbose_name", f)) for f in personal_fields(model)
    )
    return audit_record(
        actor=user,
        event=AccessEvent.PERSONAL_DATA_READ,
        action=Action.READ,
        obj=others[0] if len(others) == 1 else None,
        object_repr=None if len(others) == 1 else f"{model._meta.verbose_name} ×{len(others)}",
        unit_id=units.pop() if len(units) == 1 else None,
        # in the language of the request that read them (Chinese on the pages)
        message=_("%(what)s: read %(fields)s of %(n)d %(kind)s record(s)")
        % {"what": what, "fields": fields, "n": len(others), "kind": model._meta.verbose_name},
    )
