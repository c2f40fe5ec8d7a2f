from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gongsheng.access.actors import Actor
from gongsheng.access.scope import access_object
from gongsheng.alerts.models import Alert
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written, snapshot


@transaction.atomic
def alert_raise(
    *,
    actor: Actor,
    consortium_id: int,
    kind: str,
    title: str,
    reason: str = "",
    unit_id: int | None = None,
    severity: str = "warning",
    source_type: str = "",
    source_id: int | None = None,
    confidential: bool = False,
    title_code: dict[str, Any] | None = None,
    reason_code: dict[str, Any] | None = None,
) -> Alert:
    """Raise an alert. ``title`` and ``reason`` are the text as raised (the audit log's
    copy); with ``title_code`` / ``reason_code`` (a reason's stored form, see
    :mod:`gongsheng.core.reasons`) pages render them in each reader's language."""
    alert = Alert.objects.create(
        consortium_id=consortium_id,
        unit_id=unit_id,
        kind=kind,
        title=title,
        reason=reason,
        severity=severity,
        source_type=source_type,
        source_id=source_id,
        confidential=confidential,
        title_code=title_code,
        reason_code=reason_code,
    )
    record_written(
        actor, alert, EventType.ALERT_RAISED, consortium_id=consortium_id, unit_id=unit_id,
        confidential=confidential,
    )  # fmt: skip
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: Actor, alert_id: int) -> Alert:
    alert = access_object(actor, Alert.objects.select_for_update(), alert_id, "acknowledge")
    if alert.acknowledged_at is None:
        before = snapshot(alert)
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record_written(
            actor, alert, EventType.ALERT_ACKNOWLEDGED, before=before, unit_id=alert.unit_id
        )
    return alert
