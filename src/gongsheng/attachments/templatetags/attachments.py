"""``{% attachments_panel record %}``: the files of a record, for any detail page.

Shows nothing to a user who may not see the record's files, and the upload form and remove
buttons only to one who may change them.
"""

from __future__ import annotations

from typing import Any

from django import template

from gongsheng.attachments.selectors import panel

register = template.Library()


@register.inclusion_tag("attachments/panel.html", takes_context=True)
def attachments_panel(context: dict[str, Any], record: Any, title: str = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "p": panel(user, record),
        "title": title,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
