"""The application's own exceptions. Pages and the API map them to one error format.

Every error carries a human message and, where it concerns input, a list of field errors
(``{"field": ..., "row": ..., "message": ...}``), so the API can answer with RFC 9457
problem details and a page can put each message beside its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

# the pages translate these defaults and titles when they show them (core.pages.page_errors)
_TITLES = (
    gettext_noop("Bad request"),
    gettext_noop("Validation failed"),
    gettext_noop("Forbidden"),
    gettext_noop("Conflict"),
    gettext_noop("Not found."),
    gettext_noop("You may not do this."),
)


@dataclass
class FieldError:
    """One bad field: which field (and row, for imports) and why."""

    field: str
    message: str
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "message": str(self.message)}
        if self.row is not None:
            data["row"] = self.row
        if self.column is not None:
            data["column"] = self.column
        return data


@dataclass
class ApplicationError(Exception):
    """Base class: a message for people plus optional field errors."""

    message: str
    errors: list[FieldError] = field(default_factory=list)
    status: int = 400
    title: str = "Bad request"

    def __post_init__(self) -> None:
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class ValidationFailed(ApplicationError):
    """Input that breaks a rule; nothing was changed."""

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message, errors or [], 422, "Validation failed")


class NotFound(ApplicationError):
    """Missing, or not yours: the same answer, so nothing leaks about what exists."""

    def __init__(self, message: str | None = None) -> None:
        # translated when raised, like Forbidden's default
        super().__init__(
            gettext("Not found.") if message is None else message, [], 404, "Not found"
        )


class Forbidden(ApplicationError):
    """The user may see the record but not do this to it."""

    def __init__(self, message: str | None = None) -> None:
        # translated when raised, in the language of the request (or job) that raised it
        super().__init__(
            gettext("You may not do this.") if message is None else message, [], 403, "Forbidden"
        )


class Conflict(ApplicationError):
    """Someone else changed the record since it was read; nothing was overwritten."""

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(message, [], 409, "Conflict")
        self.current_version = current_version


def from_django_validation(exc: Any, *, row: int | None = None) -> list[FieldError]:
    """Turn a Django ``ValidationError`` into field errors."""
    if hasattr(exc, "error_dict"):
        return [
            FieldError(
                field=name, message=" ".join(str(m) for e in errs for m in e.messages), row=row
            )
            for name, errs in exc.error_dict.items()
        ]
    return [FieldError(field="__all__", message=" ".join(str(m) for m in exc.messages), row=row)]
