"""Report builders that apps register: a name → a function from (user, parameters) to a
:class:`~gongsheng.documents.model.Document`.

An app registers its reports in its ``AppConfig.ready()``::

    from gongsheng.documents.registry import Report, register

    register(Report(
        name="consortium-brief",
        title=_("Consortium operations brief"),
        params=("consortium",),
        permits=lambda user, consortium: can(user, "report", Consortium,
                                             consortium_id=consortium),
        build=build_brief,          # build_brief(user, consortium=...) -> Document
    ))

``build`` reads through the app's selectors as ``user`` (so the document holds only what the
user may see) and ``permits`` answers who may ask for it (buttons, the render service and the
download view all ask it). Parameters are whole numbers named in ``params``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongsheng.core.errors import FieldError, NotFound, ValidationFailed
from gongsheng.documents.model import Document


@dataclass(frozen=True)
class Report:
    name: str
    title: Any  # a lazy translation
    build: Callable[..., Document]
    permits: Callable[..., bool]
    params: tuple[str, ...] = ()
    #: the parameter that names the report's consortium (kept on the rendered document)
    consortium_param: str | None = "consortium"

    def clean(self, raw: dict[str, Any]) -> dict[str, int]:
        """The report's parameters as whole numbers; ``ValidationFailed`` naming each bad or
        missing one. Unknown parameters are ignored."""
        out: dict[str, int] = {}
        errors = []
        for name in self.params:
            value = raw.get(name)
            if isinstance(value, list | tuple):
                value = value[0] if value else None
            try:
                number = int(str(value).strip())
                if number < 0 or number > 2**62:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append(
                    FieldError(name, _("Give %(name)s as a whole number.") % {"name": name})
                )
                continue
            out[name] = number
        if errors:
            raise ValidationFailed(_("The report's parameters are not valid."), errors)
        return out

    def allowed(self, user: Any, params: dict[str, int]) -> bool:
        try:
            return bool(self.permits(user, **params))
        except NotFound:
            return False

    def consortium_id(self, params: dict[str, int]) -> int | None:
        return params.get(self.consortium_param) if self.consortium_param else None


_REPORTS: dict[str, Report] = {}


def register(report: Report) -> Report:
    """Register (or re-register, on reload) a report builder under its name."""
    _REPORTS[report.name] = report
    return report


def get_report(name: str) -> Report:
    """The report named ``name``; ``NotFound`` for an unknown name."""
    try:
        return _REPORTS[name]
    except KeyError:
        raise NotFound() from None


def reports() -> list[Report]:
    return sorted(_REPORTS.values(), key=lambda r: r.name)
