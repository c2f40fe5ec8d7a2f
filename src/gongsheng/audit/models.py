"""The audit log. Rows are written by services in the same transaction as the change they
describe, and can never be edited; only the retention prune removes rows older than the
retention period (at least 180 days)."""

from __future__ import annotations

import enum
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


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


@enum.unique
class EventType(enum.IntEnum):
    """What happened, in blocks of a hundred per app (Zulip's ``AuditLogEventType``)."""

    # 1xx consortia
    CONSORTIUM_CREATED = 101
    CONSORTIUM_CHANGED = 102
    CONSORTIUM_DELETED = 103
    UNIT_CREATED = 111
    UNIT_CHANGED = 112
    UNIT_DELETED = 113
    CONTACT_CREATED = 121
    CONTACT_CHANGED = 122
    CONTACT_DELETED = 123
    MEMBERSHIP_APPLIED = 131
    MEMBERSHIP_ADMITTED = 132
    MEMBERSHIP_CHANGED = 133
    MEMBERSHIP_WITHDRAWN = 134
    MEMBERSHIP_EXPELLED = 135
    MEMBERSHIP_DELETED = 136
    # 2xx access
    USER_CREATED = 201
    USER_CHANGED = 202
    ROLE_GRANTED = 211
    ROLE_REVOKED = 212
    TOKEN_CREATED = 221
    TOKEN_REVOKED = 222
    SHARE_GRANTED = 231
    SHARE_REVOKED = 232
    # 3xx transfer
    IMPORT_APPLIED = 301
    EXPORT_MADE = 302
    # 4xx alerts
    ALERT_RAISED = 401
    ALERT_ACKNOWLEDGED = 402
    # 5xx ledger
    LEDGER_ENTRY_POSTED = 501
    LEDGER_ENTRY_REVERSED = 502
    VALUATION_RULE_CREATED = 511
    CATEGORY_CREATED = 521
    CATEGORY_CHANGED = 522
    EVIDENCE_ADDED = 531
    LEDGER_ENTRY_CORRECTED = 541
    LEDGER_SCALE_BATCH = 551
    # 6xx cooperation: projects, contracts, IP (numbers 601-699)
    PROJECT_CREATED = 601
    PROJECT_CHANGED = 602
    PROJECT_MOVED = 603
    PROJECT_DETAIL_CHANGED = 604
    CONTRACT_CREATED = 611
    CONTRACT_CHANGED = 612
    OBLIGATION_CHANGED = 613
    IP_ASSET_CREATED = 621
    IP_ASSET_CHANGED = 622
    LICENCE_GRANTED = 631
    IP_ACTION_RECORDED = 632
    IP_OWNERS_CHANGED = 633
    # 7xx sharing: shared resources and bookings (numbers 701-799)
    RESOURCE_CREATED = 701
    RESOURCE_CHANGED = 702
    BOOKING_CREATED = 711
    BOOKING_MOVED = 712
    QUOTA_CREATED = 721
    QUOTA_DELETED = 722
    # 9xx platform
    DEMO_LOADED = 901
    AUDIT_PRUNED = 902
    # 8xx diagnosis: settings and refreshes (numbers 801-899)
    DIAGNOSIS_SETTINGS_CHANGED = 801
    DIAGNOSIS_REFRESHED = 802
    # 10xx environment: the register of policies and incentives (numbers 1001-1099)
    PUBLIC_POLICY_CREATED = 1001
    PUBLIC_POLICY_CHANGED = 1002
    PUBLIC_POLICY_WITHDRAWN = 1003
    PUBLIC_POLICY_DELETED = 1004
    PUBLIC_POLICY_EVIDENCE_SET = 1005
    # 11xx distribution: benefit-distribution studies
    DISTRIBUTION_STUDY_CREATED = 1101
    DISTRIBUTION_STUDY_CHANGED = 1102
    DISTRIBUTION_VALUES_SET = 1103
    DISTRIBUTION_FACTORS_SET = 1104
    DISTRIBUTION_COMPUTED = 1105
    DISTRIBUTION_SAVED_TO_CONTRACT = 1106
    DISTRIBUTION_STUDY_DELETED = 1107
    # 12xx modelling: saved dynamics and game scenarios (numbers 1201-1299)
    SCENARIO_SAVED = 1201
    SCENARIO_CHANGED = 1202
    SCENARIO_DELETED = 1203
    # 14xx jobs: background jobs (numbers 1401-1499)
    JOB_STARTED = 1401
    JOB_FAILED = 1402
    JOB_RESUMED = 1403
    JOBS_PRUNED = 1404
    JOB_RETRIED = 1405


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:  # pragma: no cover - guarded
        raise PermissionError("Audit entries are never edited.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries are removed only by audit_prune().")

    def _prune(self) -> tuple[int, dict[str, int]]:
        return super().delete()


class AuditEntry(models.Model):
    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["consortium_id", "time"], name="audit_consortium_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit entries are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit entries are removed only by audit_prune().")

    @property
    def event_name(self) -> str:
        try:
            return EventType(self.event_type).name
        except ValueError:
            return str(self.event_type)

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
        if len(rows) > limit:
            rows = [*rows[:limit], ("…", None, f"+{len(rows) - limit}")]
        return rows
