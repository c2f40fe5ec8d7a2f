"""The IP rules engine's bases and reasons in the reader's language (decision 0808).

The engine (``ip_rules``, no Django) answers in English :class:`ip_rules.Text` that keep
their message and parameters; a recorded action keeps that English text, which
:func:`ip_rules.parse` reads back. Here both become catalogue messages (context
``"ip rule"``; a licence kind is its choice's label) rendered by ``core.reasons``; a contract
clause's own reference or text is shown as written.
"""

from __future__ import annotations

from typing import Any

from gongsheng.cooperation import ip_rules
from gongsheng.core.reasons import message, reason_text


def ip_message(value: Any) -> Any:
    """A basis or reason as a stored message (``core.reasons.message``), or as it is when it
    is not the engine's own words."""
    text = ip_rules.parse(value)
    if not isinstance(text, ip_rules.Text):
        return "" if value is None else str(value)
    params = {k: message(v) if k == "kind" else v for k, v in text.params.items()}
    return message(text.message, "ip rule", **params)


def ip_text(value: Any) -> str:
    """A basis or reason in the active language."""
    return reason_text(ip_message(value))
