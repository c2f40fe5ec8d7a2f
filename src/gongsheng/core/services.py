"""Helpers shared by the apps' services."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from gongsheng.core.errors import Conflict, ValidationFailed, from_django_validation

M = TypeVar("M", bound=Model)


def check_version(obj: Any, expected: int | None) -> None:
    """Refuse the write when the row moved on since the editor read it.

    ``obj`` must have been read under ``select_for_update()`` inside the write transaction
    (IMMEDIATE transactions do the same on SQLite).
    """
    if expected is None:
        return
    if int(expected) != obj.version:
        raise Conflict(
            _(
                "Someone else changed this record while you were editing it "
                "(your version %(yours)s, now %(now)s). Reload it and apply your changes again; "
                "nothing was overwritten."
            )
            % {"yours": expected, "now": obj.version},
            current_version=obj.version,
        )


def apply_changes(obj: M, data: dict[str, Any], allowed: set[str]) -> dict[str, tuple[Any, Any]]:
    """Set the allowed fields that differ; return ``{field: (old, new)}``."""
    unknown = set(data) - allowed
    if unknown:
        raise ValidationFailed(
            _("Unknown or read-only fields: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in data.items():
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        old = getattr(obj, attname)
        if old != value:
            changes[name] = (old, value)
            setattr(obj, attname, value)
    return changes


def full_clean_or_raise(obj: Model, *, message: str, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(message, from_django_validation(exc)) from exc


def save_versioned(obj: Any, fields: list[str]) -> None:
    """Save the changed fields and bump the version."""
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "updated_at"])
