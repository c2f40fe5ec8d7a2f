"""Which records take files, for which purposes, and which actions govern them.

An app declares its models (in its ``AppConfig.ready`` or ``rules.py``)::

    from gongsheng.attachments.registry import attachable

    attachable(LedgerEntry, purposes=("evidence",), change="attach")

Reading a record's files needs ``view`` on the record (``view_contents`` when its access
policy is confidential); adding and removing need ``change`` (or the action named, such as a
policy's ``attach`` move). Records are named ``<app_label>.<model>:<id>`` in forms and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from gongsheng.access.policies import policy_for
from gongsheng.core.errors import FieldError, NotFound, ValidationFailed

#: purposes every app may use; an app adds its own with ``purpose_add``
PURPOSES: dict[str, Any] = {
    "attachment": _("attachment"),
    "evidence": _("evidence"),
    "material": _("meeting material"),
}


@dataclass(frozen=True)
class Attachable:
    model: type[Model]
    purposes: tuple[str, ...]
    view: str
    change: str

    @property
    def key(self) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}"


_REGISTRY: dict[str, Attachable] = {}


def purpose_add(code: str, label: Any) -> None:
    """A new purpose (code up to 30 characters, label through gettext)."""
    if len(code) > 30:
        raise ValueError(f"purpose code {code!r} is longer than 30 characters")
    PURPOSES.setdefault(code, label)


def attachable(
    model: type[Model],
    *,
    purposes: tuple[str, ...] = ("attachment",),
    view: str | None = None,
    change: str = "change",
) -> Attachable:
    """Declare that ``model``'s records take files. ``view`` defaults to ``view_contents`` for
    a confidential policy and ``view`` otherwise."""
    unknown = [p for p in purposes if p not in PURPOSES]
    if unknown:
        raise ValueError(f"unknown purposes {unknown}; add them with purpose_add()")
    if view is None:
        policy = policy_for(model)
        view = "view_contents" if policy is not None and policy.confidential else "view"
    decl = Attachable(model=model, purposes=tuple(purposes), view=view, change=change)
    _REGISTRY[decl.key] = decl
    return decl


def declaration_for(model: type[Model]) -> Attachable | None:
    return _REGISTRY.get(f"{model._meta.app_label}.{model._meta.model_name}")


def declarations() -> list[Attachable]:
    return list(_REGISTRY.values())


def ref_of(record: Model) -> str:
    return f"{record._meta.app_label}.{record._meta.model_name}:{record.pk}"


def parse_ref(ref: str) -> tuple[Attachable, int]:
    """``"ledger.ledgerentry:12"`` -> (declaration, 12); a clear 422 for anything else, and
    ``NotFound`` for a type that takes no files (the same as a record that does not exist)."""
    key, _sep, raw = (ref or "").strip().rpartition(":")
    try:
        pk = int(raw)
    except ValueError:
        pk = 0
    if not key or pk <= 0:
        raise ValidationFailed(
            _("The record must be given as <type>:<id>, e.g. ledger.ledgerentry:12."),
            [FieldError("record", _("not of the form <type>:<id>"))],
        )
    decl = _REGISTRY.get(key.lower())
    if decl is None:
        raise NotFound()
    return decl, pk


def record_of(attachment: Any) -> tuple[Attachable, Model]:
    """The declaration and the record a file is on; ``NotFound`` when the record's type takes
    no files (any more) or the record is gone. Whether the user may see it is the caller's
    question."""
    model = attachment.content_type.model_class()
    decl = declaration_for(model) if model is not None else None
    if decl is None:
        raise NotFound()
    record = decl.model._default_manager.filter(pk=attachment.object_id).first()
    if record is None:
        raise NotFound()
    return decl, record
