import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.declare import services as declared
from gongsheng.declare.declaration import declaration_for
from tests.declare_example.models import Notice


def notice_close(*, actor: Any, notice_id: int, version: int | None, on: dt.date) -> Notice:
    """The lifecycle move: close a notice from a day on (once)."""

    def change(notice: Notice) -> list[str]:
        if notice.closed_on is not None:
            raise ValidationFailed(_("Already closed."), [FieldError("on", _("already closed"))])
        notice.closed_on = on
        return ["closed_on"]

    decl = declaration_for(Notice)
    return declared.perform(
        decl, "close", actor=actor, pk=notice_id, version=version, change=change
    )
