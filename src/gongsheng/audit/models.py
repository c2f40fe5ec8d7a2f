"""The audit log. Rows are written by services in the same transaction as the change they
describe, and can never be edited; only the retention prune removes rows older than the
retention period (at least 180 days). Each row is chained to the one before it by hash
(``gongsheng.audit.chain``, decision 0803); on PostgreSQL a trigger refuses UPDATE and DELETE
on the table except through the prune."""

from __future__ import annotations

import enum
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import user_fk


class Action(models.TextChoices):
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    LINK = "link", _("link")
    UNLINK = "unlink", _("unlink")
    IMPORT = "import", _("import")
    EXPORT = "export", _("export")
    GRANT = "grant", _("grant")
    REVOKE = "revoke", _("revoke")
    LOGIN = "login", _("login")
    READ = "read", _("read personal data")


class _AppEvents(enum.EnumType):
    """Looks a name up in the apps' own event enums when ``EventType`` lacks it."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return cls._member_map_[name]
        except KeyError:
            pass
        from gongsheng.core.registry import event_member

        member = event_member(name)
        if member is None:
            raise AttributeError(f"no audit event type {name!r} in any app's enum")
        return member


@enum.unique
class EventType(enum.IntEnum, metaclass=_AppEvents):
    """The old spelling of audit event types, kept so code written against it works.

    Each app owns its event types: an ``IntEnum`` in ``<app>/events.py`` inside the block of
    numbers its AppConfig declares (``events``, ``event_block``; audit's own are
    :class:`gongsheng.audit.events.AuditEvent`, 9xx). ``EventType.UNIT_CREATED`` resolves
    through the app registry to ``ConsortiaEvent.UNIT_CREATED`` (111). An app not yet moved
    may still add its members here, in its own block of a hundred; the registry test keeps
    them apart from every app's block.
    """


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:  # pragma: no cover - guarded
        raise PermissionError("Audit entries are never edited.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries are removed only by audit_prune().")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        if any(not o.hash for o in objs):
            raise PermissionError("Audit entries are written by audit_record() or audit_bulk().")
        return super().bulk_create(objs, *args, **kwargs)

    def _prune(self) -> tuple[int, dict[str, int]]:
        return super().delete()


#: the previous hash of a chain's first entry
GENESIS = "0" * 64


class AuditEntry(models.Model):
    # set under the chain's lock when the entry is appended (gongsheng.audit.chain.link)
    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = user_fk(_("actor"))
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request id"), db_index=True)
    event_type = models.PositiveSmallIntegerField(_("event type"), db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    related_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    related_object_id = models.BigIntegerField(null=True, blank=True)
    # scoping: which consortium and which unit the record belongs to (ids; no app import)
    consortium_id = models.BigIntegerField(_("consortium"), null=True, blank=True, db_index=True)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True, db_index=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    message = models.CharField(_("message"), max_length=500, blank=True)
    # the hash chain (decision 0803): the consortium's id, 0 for platform-wide entries
    chain = models.BigIntegerField(_("chain"), default=0)
    seq = models.BigIntegerField(_("position in chain"), default=0)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["consortium_id", "time"], name="audit_consortium_time_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit entries are never edited.")
        if not self.hash:
            raise PermissionError("Audit entries are written by audit_record() or audit_bulk().")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit entries are removed only by audit_prune().")

    @property
    def event_name(self) -> str:
        """The event's name, from the enum of the app whose block holds the number."""
        from gongsheng.core.registry import event_name

        name = event_name(self.event_type)
        if name == str(self.event_type):
            legacy = {int(m): m.name for m in EventType}
            return legacy.get(self.event_type, name)
        return name

    @property
    def event_title(self) -> str:
        """What happened, for people: the event's title (the action's label where the event
        has none)."""
        from gongsheng.audit.titles import event_title

        return event_title(self.event_name) or str(self.get_action_display())

    def _model(self) -> type[models.Model] | None:
        if not self.content_type_id:
            return None
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    @property
    def object_type(self) -> str:
        """The record's kind by its model's name for people (单位, 项目 …)."""
        model = self._model()
        return str(model._meta.verbose_name) if model is not None else ""

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    #: bookkeeping fields left out of the summary people read
    NOISE = frozenset({"id", "created_at", "updated_at", "version"})

    def summary(self, limit: int = 6) -> list[tuple[str, Any, Any]]:
        """The changes worth reading: bookkeeping fields left out, at most ``limit`` rows; a
        creation or deletion shows only its non-empty fields."""
        rows = [
            (k, old, new)
            for k, old, new in self.changed_fields()
            if k not in self.NOISE and not (old in (None, "") and new in (None, ""))
        ]
        model = self._model()
        rows = [
            (_field_label(model, k), _value_label(model, k, old), _value_label(model, k, new))
            for k, old, new in rows
        ]
        if len(rows) > limit:
            rows = [*rows[:limit], ("…", None, f"+{len(rows) - limit}")]
        return rows


def _field(model: type[models.Model] | None, key: str) -> Any:
    """The model field a snapshot key names (its name or attname), or None."""
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:  # a key that is no field (parties, owners …)
            continue
    return None


def _field_label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    label = getattr(field, "verbose_name", None)
    return str(label) if label else str(_(key.replace("_", " ")))


def _value_label(model: type[models.Model] | None, key: str, value: Any) -> Any:
    """A value as people read it: 是/否 for booleans, a choice's label for its code."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    field = _field(model, key)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and not isinstance(value, list | dict):
        return choices.get(value, value)
    if isinstance(value, dict) or (isinstance(value, list) and not choices):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)  # as stored
    if isinstance(value, list):
        return "、".join(str(choices.get(v, v)) for v in value)
    return value


class AuditChainHead(models.Model):
    """The head of one hash chain: its last position and hash (appending locks this row), and
    the anchor the prune leaves behind (the last pruned entry's position and hash), from which
    ``gongsheng audit verify`` starts."""

    chain = models.BigIntegerField(_("chain"), unique=True)
    seq = models.BigIntegerField(_("last position"), default=0)
    hash = models.CharField(_("last hash"), max_length=64, default=GENESIS)
    anchor_seq = models.BigIntegerField(_("anchor position"), default=0)
    anchor_hash = models.CharField(_("anchor hash"), max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"chain {self.chain} @ {self.seq}"
