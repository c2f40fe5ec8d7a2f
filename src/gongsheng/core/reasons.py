"""The analytics' reasons in the request's language (decision 0808).

The platform's one renderer of :class:`gongsheng.analytics.reasons.Reason`: Django's
``pgettext`` over the same catalogue that the workbook report and the command line read
with Python's ``gettext`` (``gongsheng.workbook.texts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, pgettext

from gongsheng.analytics.reasons import Reason, render


def reason_text(value: Any) -> str:
    """A reason (or its stored dict form) in the active language; an old stored English
    line, from before reasons had codes, as it is.

    Besides the analytics' codes, a stored message of the catalogue itself renders too:
    ``{"msgid": …, "context": …, "params": {…}}`` (see :func:`message`), whose parameters
    may be such messages in turn."""
    if isinstance(value, Mapping) and "msgid" in value:
        params = {
            k: reason_text(v) if isinstance(v, Mapping) else v
            for k, v in (value.get("params") or {}).items()
        }
        context = value.get("context")
        text = pgettext(context, value["msgid"]) if context else gettext(value["msgid"])
        return text % params if params else text
    return render(value, pgettext)


def message(msgid: str, context: str | None = None, **params: Any) -> dict[str, Any]:
    """A catalogue message with its parameters, stored to be rendered when read (mark
    ``msgid`` for ``makemessages`` where it is written, e.g. with ``gettext_noop``)."""
    return {"msgid": msgid, "context": context, "params": params}


def reason_code(value: Any) -> dict[str, Any] | None:
    """The stored form of a reason (``{"code", "params"}``), None for an old plain line."""
    value = Reason.load(value)
    return value.as_dict() if isinstance(value, Reason) else None
