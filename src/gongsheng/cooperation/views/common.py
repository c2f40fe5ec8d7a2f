"""What the cooperation pages share: the consortium's units and ledger categories."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gongsheng.access.scope import scope
from gongsheng.consortia.models import Unit
from gongsheng.core.errors import ApplicationError, ValidationFailed
from gongsheng.core.pages import form_errors
from gongsheng.ledger.models import Category


def _units(user: Any, consortium_id: int) -> QuerySet[Unit]:
    return scope(
        user,
        Unit.objects.filter(
            memberships__consortium_id=consortium_id, memberships__status="admitted"
        ),
    ).order_by("name")


def _categories(consortium_id: int) -> list[tuple[str, str]]:
    return list(
        Category.objects.filter(Q(consortium__isnull=True) | Q(consortium_id=consortium_id))
        .filter(is_active=True)
        .order_by("code")
        .values_list("code", "name")
    )


def _row_errors(
    form: Any, rows: list[Any], exc: ApplicationError, *, name: str, row_field: str
) -> list[str]:
    """Put a service's problems with the ``name`` rows (parties, owners) beside the row they
    name and return those about the rows as a whole (shown above that table); problems with
    the record's own fields go beside those fields."""
    above: list[str] = []
    rest = []
    for err in exc.errors:
        if err.field == name and err.row is not None and 0 < err.row <= len(rows):
            rows[err.row - 1][0].add_error(row_field, err.message)
        elif err.field == name:
            above.append(str(err.message))
        else:
            rest.append(err)
    if rest or not exc.errors:
        form_errors(form, ValidationFailed(exc.message, rest) if rest else exc)
    elif not above:
        above.append(str(exc.message))
    return above
