"""The standard writes of a declared model: create, update, delete.

Each runs in one transaction: lock the row (``select_for_update``; IMMEDIATE transactions on
SQLite) → version check (``Conflict``) → apply the allowed fields → field checks and the
declaration's ``check()`` (every bad field in one ``ValidationFailed``, nothing written) →
save → audit entry with before/after snapshots → ``check_saved`` (rolls back a record moved
out of the actor's reach). An update that changes nothing writes nothing. ``actor`` is a user
or :data:`gongsheng.access.actors.SYSTEM` (demo loader, migrations): no access check.

An app keeps its named services (``policy_create`` …) as one-line calls of these, so
callers and tests name the entity; lifecycle moves stay explicit services of the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, check_saved
from gongsheng.attachments.services import attachments_delete_for
from gongsheng.audit.models import Action
from gongsheng.audit.services import record_written
from gongsheng.core.errors import FieldError, ValidationFailed, from_django_validation
from gongsheng.core.services import apply_changes, check_version, save_versioned
from gongsheng.declare.declaration import Declaration


def _unit_id(decl: Declaration, obj: Model) -> int | None:
    if not decl.unit_field:
        return None
    if decl.unit_field == "pk":  # the record is a unit
        return obj.pk
    return getattr(obj, f"{decl.unit_field}_id", None)


def _consortium_id(decl: Declaration, obj: Model) -> int | None:
    return decl.consortium_of(obj)


def _audit_extra(decl: Declaration, obj: Model) -> dict[str, Any]:
    return {"confidential": decl.audit_confidential, "related": decl.related(obj)}


def validate(decl: Declaration, obj: Model, extra: dict[str, Any]) -> None:
    """The field checks, then the rules across fields; every bad field in one error."""
    errors: list[FieldError] = []
    try:
        obj.full_clean(
            exclude=list(decl.clean_exclude), validate_constraints=decl.validate_constraints
        )
    except ValidationError as exc:
        errors.extend(from_django_validation(exc))
    errors.extend(decl.check(obj, extra))
    if errors:
        raise ValidationFailed(str(decl.invalid_message), errors)


def lock(decl: Declaration, actor: Actor, pk: Any, action: str) -> Any:
    """Read the row under a lock, within the actor's reach for ``action``."""
    qs = decl.model._default_manager.select_for_update(of=("self",))
    if is_system(actor):
        return qs.get(pk=pk)
    return access_object(actor, qs, pk, action)


def _blanks(decl: Declaration, data: dict[str, Any]) -> dict[str, Any]:
    """``None`` for a text field that stores no NULL means empty text (a JSON ``null``)."""
    out = dict(data)
    for name, value in data.items():
        if value is None and name in decl.fields:
            field = decl.model._meta.get_field(name)
            if not field.null and field.empty_strings_allowed:
                out[name] = ""
    return out


@transaction.atomic
def create(
    decl: Declaration, *, actor: Actor, consortium_id: int | None = None, **data: Any
) -> Any:
    """Make a record (version 1) from the declared fields (and the extra inputs it splits)."""
    fields, extra = decl.split(data)
    # model fields a service sets but people do not edit (``is_demo``, a parent's id)
    names = {f.name for f in decl.model._meta.concrete_fields}
    names |= {f.attname for f in decl.model._meta.concrete_fields}
    fixed = {k: fields.pop(k) for k in list(fields) if k not in decl.fields and k in names}
    obj = decl.model(**fixed)
    if decl.consortium_field and consortium_id is not None:
        setattr(obj, f"{decl.consortium_field}_id", consortium_id)
    apply_changes(obj, _blanks(decl, decl.prepare(fields)), set(decl.fields))
    extra = decl.prepare_extra(obj, extra)
    validate(decl, obj, extra)
    obj.save()
    decl.save_extra(obj, extra)
    decl.after_save(obj, extra, actor=actor, created=True)
    check_saved(actor, [obj], "add")
    record_written(
        actor, obj, decl.events.created, after=decl.snapshot(obj),
        consortium_id=_consortium_id(decl, obj), unit_id=_unit_id(decl, obj),
        **_audit_extra(decl, obj),
    )  # fmt: skip
    return obj


@transaction.atomic
def update(decl: Declaration, *, actor: Actor, pk: Any, version: int | None, **data: Any) -> Any:
    """Change a record; a stale ``version`` is refused, no change writes nothing."""
    obj = lock(decl, actor, pk, "change")
    check_version(obj, version)
    before = decl.snapshot(obj)
    fields, extra = decl.split(data)
    changes = apply_changes(obj, _blanks(decl, decl.prepare(fields)), set(decl.fields))
    extra = decl.prepare_extra(obj, extra)
    extra_changed = decl.extra_changed(obj, extra, before)
    if not changes and not extra_changed:
        return obj
    validate(decl, obj, extra)
    if extra_changed:
        decl.save_extra(obj, extra)
    save_versioned(obj, [obj._meta.get_field(name).attname for name in changes])
    decl.after_save(obj, extra, actor=actor, created=False)
    check_saved(actor, [obj], "change")
    record_written(
        actor, obj, decl.events.changed, before=before, after=decl.snapshot(obj),
        consortium_id=_consortium_id(decl, obj), unit_id=_unit_id(decl, obj),
        **_audit_extra(decl, obj),
    )  # fmt: skip
    return obj


@transaction.atomic
def delete(decl: Declaration, *, actor: Actor, pk: Any, version: int | None = None) -> None:
    """Delete a record (recorded by mistake); ``version`` is checked when given. Its
    attachments (rows and files) are deleted with it (``attachments_delete_for``)."""
    obj = lock(decl, actor, pk, "delete")
    check_version(obj, version)
    record_written(
        actor, obj, decl.events.deleted, Action.DELETE, before=decl.snapshot(obj), after=None,
        consortium_id=_consortium_id(decl, obj), unit_id=_unit_id(decl, obj),
        **_audit_extra(decl, obj),
    )  # fmt: skip
    decl.before_delete(obj)
    # the record's files (when it takes any) go with it, audited per file
    attachments_delete_for(actor=actor, record=obj)
    obj.delete()


def _service(name: Any) -> Any:
    if isinstance(name, str):
        from django.utils.module_loading import import_string

        return import_string(name)
    return name


def create_record(decl: Declaration, *, actor: Actor, **data: Any) -> Any:
    """The declaration's own create service (``create_service``), else :func:`create`."""
    if decl.create_service is None:
        return create(decl, actor=actor, **data)
    return _service(decl.create_service)(actor=actor, **data)


def update_record(
    decl: Declaration, *, actor: Actor, pk: Any, version: int | None, **data: Any
) -> Any:
    """The declaration's own update service (``update_service``), else :func:`update`."""
    if decl.update_service is None:
        return update(decl, actor=actor, pk=pk, version=version, **data)
    service = _service(decl.update_service)
    return service(actor=actor, **{decl.id_name: pk}, version=version, **data)


@transaction.atomic
def perform(
    decl: Declaration,
    move: str,
    *,
    actor: Any,
    pk: Any,
    version: int | None,
    change: Callable[[Any], list[str]],
    message: str = "",
) -> Any:
    """The frame of a simple lifecycle move, for the app's named service to call: lock the row
    within the actor's reach for ``move`` (``can(user, move, obj)``), refuse a stale version,
    let ``change(obj)`` check and set the fields (it raises ``ValidationFailed`` naming a field,
    and returns the fields it set), save them with the version bumped and write the move's
    audit entry. A move with more to do (ledger flows, other rows) writes its own service."""
    step = decl.move(move)
    obj = lock(decl, actor, pk, move)
    check_version(obj, version)
    before = decl.snapshot(obj)
    fields = change(obj)
    save_versioned(obj, fields)
    record_written(
        actor, obj, step.event, before=before, after=decl.snapshot(obj),
        consortium_id=_consortium_id(decl, obj), unit_id=_unit_id(decl, obj),
        message=message[:500], **_audit_extra(decl, obj),
    )  # fmt: skip
    return obj
