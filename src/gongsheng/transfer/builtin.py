"""Tables every installation has: the audit log (export only)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongsheng.audit.models import Action
from gongsheng.transfer.resources import Column, Resource, register


@register
class AuditResource(Resource):
    name = "audit"
    label = _("Audit log")
    key = "id"
    importable = False  # the log is written by the platform alone: it never round-trips
    columns = [
        Column("id", _("Entry")),
        # the consortium's local time (TIME_ZONE), as the page shows it, not the stored UTC
        Column(
            "time",
            _("Time"),
            export=lambda e: timezone.localtime(e.time).strftime("%Y-%m-%d %H:%M:%S"),
        ),
        Column("actor_name", _("Actor")),
        Column("action", _("Action"), choices=Action),
        Column("event_name", _("Event"), export=lambda e: e.event_title),
        Column("object_repr", _("Record")),
        Column("consortium_id", _("Consortium")),
        Column("message", _("Message")),
        Column("request_id", _("Request id"), export=lambda e: str(e.request_id)),
    ]

    def export_queryset(self, user: Any, context: Any) -> Any:
        from gongsheng.access.selectors import audit_list

        return audit_list(user=user)
