"""Refreshing the diagnosis on request and raising its alerts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, can, require
from gongsheng.alerts.models import Alert as AlertRow
from gongsheng.alerts.services import alert_raise
from gongsheng.analytics.diagnosis import ALERT_KINDS
from gongsheng.analytics.reasons import Reason
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record
from gongsheng.consortia.models import Consortium
from gongsheng.core.errors import Forbidden
from gongsheng.core.reasons import reason_code, reason_text
from gongsheng.diagnosis.models import DiagnosisResult
from gongsheng.diagnosis.services.results import MEMBERS, diagnosis_results
from gongsheng.notifications import recipients as notified
from gongsheng.notifications.services import notify

#: alert titles per kind: reason codes (analytics.reasons), rendered in the reader's language
ALERT_TITLES = {kind: f"alert_title.{kind}" for kind in ALERT_KINDS}
ALERT_SOURCE = "diagnosis"


# --- refresh and alerts ---------------------------------------------------------------------
def refresh_check(actor: Actor, consortium_id: int) -> None:
    """Refuse unless ``actor`` sees the consortium and may refresh its diagnosis (secretariat,
    platform admins)."""
    access_object(actor, Consortium.objects.all(), consortium_id, "view")
    require(
        actor,
        "refresh",
        DiagnosisResult,
        consortium_id=consortium_id,
        message=_("Only the secretariat refreshes the diagnosis."),
    )


@transaction.atomic
def diagnosis_refresh(*, actor: Actor, consortium_id: int) -> DiagnosisResult:
    """Recompute a consortium's default-window diagnosis now and raise its alerts (kinds
    ``free_rider``, ``parasitic_pair``, ``inactive_member``, ``school_hot_enterprise_cold``,
    ``concentration``), never a second open alert for the same kind and units. Secretariat
    and platform admins (``actor=SYSTEM``: the system, e.g. the ``diagnose`` command)."""
    if not is_system(actor):
        refresh_check(actor, consortium_id)
    result = diagnosis_results(consortium_ids=[consortium_id], force=True)[consortium_id]
    # and the members' diagnosis, from the entries every member may see (decision 0804)
    diagnosis_results(consortium_ids=[consortium_id], force=True, audience=MEMBERS)
    raised = raise_alerts(actor=actor, consortium_id=consortium_id, result=result)
    audit_record(
        actor=actor,
        event=EventType.DIAGNOSIS_REFRESHED,
        action=Action.UPDATE,
        consortium_id=consortium_id,
        object_repr=result.payload.get("consortium_name", str(consortium_id)),
        message=f"diagnosis refreshed ({result.window_key}): {raised} new alert(s)",
    )
    return result


def raise_alerts(*, actor: Actor, consortium_id: int, result: DiagnosisResult) -> int:
    """Raise the result's alerts that are not already open (same kind, first unit and second
    unit); returns how many were raised."""
    d = result.payload["diagnosis"]
    names = {u["id"]: u["name"] for u in d["units"]}
    open_keys = set(
        AlertRow.objects.filter(
            consortium_id=consortium_id,
            source_type=ALERT_SOURCE,
            acknowledged_at__isnull=True,
        ).values_list("kind", "unit_id", "source_id")
    )
    raised = 0
    counts: dict[str, int] = {}
    for a in d["alerts"]:
        units = a["units"]
        first = units[0] if a["kind"] != "school_hot_enterprise_cold" and units else None
        second = units[1] if a["kind"] == "parasitic_pair" and len(units) > 1 else None
        key = (a["kind"], first, second)
        if key in open_keys:
            continue
        open_keys.add(key)
        label = " / ".join(names.get(u, str(u)) for u in units[:2])
        title = Reason(ALERT_TITLES[a["kind"]], units=label)
        reason = Reason.load(a.get("reason_code"), a["reason"])
        alert_raise(
            actor=actor,
            consortium_id=consortium_id,
            kind=a["kind"],
            title=reason_text(title)[:200],
            reason=reason_text(reason),
            title_code=title.as_dict(),
            reason_code=reason_code(reason),
            unit_id=first,
            severity="critical" if a["kind"] == "parasitic_pair" else "warning",
            source_type=ALERT_SOURCE,
            source_id=second,
        )
        raised += 1
        counts[a["kind"]] = counts.get(a["kind"], 0) + 1
    if counts:  # one digest per consortium and recompute, never a message per alert
        consortium = Consortium.objects.get(pk=consortium_id)
        people = notified.secretariat(consortium_id)
        notify(people, "diagnosis.digest", consortium, actor=actor, context={"counts": counts})
    return raised


def diagnosis_refresh_all(
    *,
    actor: Actor,
    consortium_ids: Iterable[int],
    force: bool = True,
    alerts: bool = True,
    progress: Callable[[int, int], None] | None = None,
    alert_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Recompute many consortia together (one gathering), then raise each one's alerts in its
    own transaction with an audit entry. For the ``diagnose`` command (``actor=SYSTEM``) and
    platform admins. Returns counts for the command's summary line."""
    ids = sorted(set(consortium_ids))
    if not all(can(actor, "refresh", DiagnosisResult, consortium_id=c) for c in ids):
        raise Forbidden(_("Only the secretariat refreshes the diagnosis."))
    started = time.perf_counter()
    before = {
        r.consortium_id: r.computed_at
        for r in DiagnosisResult.objects.filter(consortium_id__in=ids, audience="all").only(
            "consortium_id", "computed_at"
        )
    }
    results = diagnosis_results(consortium_ids=ids, force=force, progress=progress)
    # both audiences (decision 0804); alerts come from the full one
    diagnosis_results(consortium_ids=ids, force=force, audience=MEMBERS)
    recomputed = sum(1 for c, r in results.items() if before.get(c) != r.computed_at)
    raised = 0
    for k, c in enumerate(ids, start=1):
        if alerts:
            with transaction.atomic():
                n = raise_alerts(actor=actor, consortium_id=c, result=results[c])
                audit_record(
                    actor=actor,
                    event=EventType.DIAGNOSIS_REFRESHED,
                    action=Action.UPDATE,
                    consortium_id=c,
                    object_repr=results[c].payload.get("consortium_name", str(c)),
                    message=f"diagnosis refreshed ({results[c].window_key}): {n} new alert(s)",
                )
            raised += n
        if alert_progress:
            alert_progress(k, len(ids))
    return {
        "consortia": len(ids),
        "recomputed": recomputed,
        "pairs": sum(r.payload["diagnosis"]["pair_count"] for r in results.values()),
        "alerts": raised,
        "seconds": time.perf_counter() - started,
    }
