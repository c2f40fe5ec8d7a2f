"""The kinds of notification: what each says (a Chinese/English title template), where it links,
and whether mail and chat are on by default.

An event kind reads what it needs from the record it is about by attribute (``obj.unit``,
``obj.resource``), so this module imports no app above it. A new kind is one
:func:`register` call; apps call ``notify(recipients, "<key>", obj, actor=...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

Params = Callable[[Any, Mapping[str, Any]], dict[str, Any]]
Link = Callable[[Any], str]


@dataclass(frozen=True)
class EventKind:
    """One kind of notification.

    ``title`` is a lazy translatable template with ``%(name)s`` placeholders filled from the
    params stored with each notification, so the inbox shows it in the reader's language.
    ``body`` likewise (optional). ``params(obj, context)`` reads the names from the record when
    ``notify`` is called; ``link(obj)`` gives the page the inbox links to.
    """

    key: str
    label: Any
    title: Any
    params: Params
    link: Link | None = None
    body: Any = ""
    body_if: str = ""  # the param that must be non-empty for the body to show
    mail: bool = True
    chat: bool = True

    def render(self, params: Mapping[str, Any]) -> tuple[str, str]:
        """The title and body in the active language (placeholders filled)."""
        values = {k: _rendered_value(v) for k, v in params.items()}
        try:
            title = str(self.title) % values
        except (KeyError, TypeError, ValueError):
            title = str(self.label)
        show = self.body and (not self.body_if or values.get(self.body_if))
        try:
            body = str(self.body) % values if show else ""
        except (KeyError, TypeError, ValueError):
            body = ""
        if "counts" in params:
            body = "\n".join([body, *_count_lines(params["counts"])]).strip()
        return title, body


_REGISTRY: dict[str, EventKind] = {}


def register(kind: EventKind) -> EventKind:
    if kind.key in _REGISTRY:
        raise ValueError(f"notification event {kind.key!r} is declared twice")
    _REGISTRY[kind.key] = kind
    return kind


def get(key: str) -> EventKind:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise ValueError(
            f"unknown notification event {key!r}; expected one of {sorted(_REGISTRY)}"
        ) from None


def all_kinds() -> list[EventKind]:
    return list(_REGISTRY.values())


def _rendered_value(value: Any) -> Any:
    if isinstance(value, dict) and "zh" in value:  # a label kept in both languages
        from django.utils.translation import get_language

        return value["en"] if (get_language() or "").startswith("en") else value["zh"]
    return value


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the page's app is not installed
        return ""


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _status(obj: Any) -> dict[str, str]:
    """A status label in both languages, so the inbox shows the reader's own."""
    from django.utils import translation

    out = {}
    for lang, code in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(code):
            out[lang] = str(obj.get_status_display())
    return out


#: the diagnosis alert kinds as the digest names them
ALERT_KINDS = {
    "free_rider": pgettext_lazy("alert kind", "free riders"),
    "parasitic_pair": pgettext_lazy("alert kind", "parasitic pairs"),
    "inactive_member": pgettext_lazy("alert kind", "members without joint activity"),
    "school_hot_enterprise_cold": pgettext_lazy("alert kind", "schools hot, enterprises cold"),
    "concentration": pgettext_lazy("alert kind", "concentrated inputs"),
}


def _count_lines(counts: Mapping[str, int]) -> list[str]:
    return [f"· {ALERT_KINDS.get(k, k)}: {n}" for k, n in sorted(counts.items())]


def _membership(obj: Any, ctx: Mapping[str, Any]) -> dict[str, Any]:
    return {"unit": str(obj.unit), "consortium": str(obj.consortium), "status": _status(obj)}


def _booking(obj: Any, ctx: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "resource": str(obj.resource),
        "unit": str(obj.unit),
        "start": _when(obj.start),
        "end": _when(obj.end),
        "status": _status(obj),
        "reason": obj.reason or "",
    }


def _project(obj: Any, ctx: Mapping[str, Any]) -> dict[str, Any]:
    return {"project": str(obj), "status": _status(obj), "reason": ctx.get("reason", "")}


def _ip(obj: Any, ctx: Mapping[str, Any]) -> dict[str, Any]:
    return {"asset": str(obj), "what": str(ctx.get("what", "")), "basis": ctx.get("basis", "")}


def _digest(obj: Any, ctx: Mapping[str, Any]) -> dict[str, Any]:
    counts = {str(k): int(v) for k, v in ctx.get("counts", {}).items()}
    return {"consortium": str(obj), "total": sum(counts.values()), "counts": counts}


MEMBERSHIP_APPLIED = register(
    EventKind(
        key="membership.applied",
        label=_("A unit applies for membership"),
        title=_("%(unit)s applied to join %(consortium)s"),
        params=_membership,
        link=lambda m: _url("consortia:unit", m.unit_id),
    )
)
MEMBERSHIP_DECIDED = register(
    EventKind(
        key="membership.decided",
        label=_("A membership is admitted, refused, withdrawn or expelled"),
        title=_("The membership of %(unit)s in %(consortium)s is now: %(status)s"),
        params=_membership,
        link=lambda m: _url("consortia:unit", m.unit_id),
    )
)
BOOKING_REQUESTED = register(
    EventKind(
        key="booking.requested",
        label=_("A booking of your unit's resource is requested"),
        title=_("%(unit)s asks to book %(resource)s (%(start)s – %(end)s)"),
        params=_booking,
        link=lambda b: _url("sharing:queue", b.consortium_id),
    )
)
BOOKING_DECIDED = register(
    EventKind(
        key="booking.decided",
        label=_("A booking is approved, rejected or cancelled"),
        title=_("Booking of %(resource)s (%(start)s – %(end)s): %(status)s"),
        body=_("Reason: %(reason)s"),
        body_if="reason",
        params=_booking,
        link=lambda b: _url("sharing:mine", b.consortium_id),
    )
)
PROJECT_MOVED = register(
    EventKind(
        key="project.moved",
        label=_("A project you take part in moves to another status"),
        title=_("Project %(project)s is now: %(status)s"),
        body=_("Reason: %(reason)s"),
        body_if="reason",
        params=_project,
        link=lambda p: _url("cooperation:project", p.pk),
    )
)
IP_BREACH = register(
    EventKind(
        key="ip.breach",
        label=_("An IP rule breach is alerted"),
        title=_("IP rule breach: %(what)s of “%(asset)s”"),
        body=_("Basis: %(basis)s"),
        body_if="basis",
        params=_ip,
        link=lambda a: _url("cooperation:ip_asset", a.pk),
    )
)
DIAGNOSIS_DIGEST = register(
    EventKind(
        key="diagnosis.digest",
        label=_("New diagnosis alerts (one digest per recompute)"),
        title=_("%(total)s new diagnosis alerts in %(consortium)s"),
        params=_digest,
        link=lambda c: _url("diagnosis:consortium", c.pk),
    )
)


def _ledger_entry(obj: Any, ctx: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "giver": str(obj.giver_unit or ""),
        "receiver": str(obj.receiver_unit or obj.receiver_pool or ""),
        "category": str(obj.category),
        "value": f"{obj.value:,.2f}",
    }


LEDGER_CONFIRMATION_REQUESTED = register(
    EventKind(
        key="ledger.confirmation_requested",
        label=_("A flow posted in your unit's name awaits its confirmation"),
        title=_("%(receiver)s posted a flow from %(giver)s (%(category)s, %(value)s CNY): "
                "please confirm or decline it"),
        params=_ledger_entry,
        link=lambda e: _url("ledger:entry", e.pk),
    )
)  # fmt: skip
