"""The one importer: all-or-nothing, every bad cell named by row, column and reason.

1. read the table and match its headers (Chinese label, English label or code name);
2. parse every cell of every row, collecting every error;
3. refuse duplicate natural keys; look up existing rows in one query, keeping only those the
   user may see (a row naming a record hidden from the user is read as naming none, so it
   gets the same answer as a key nobody has: no "you may not", no name); a row that updates a
   record needs the right to change *that* record (a user allowed only to add cannot
   overwrite by repeating a key);
4. only when nothing is wrong: apply every row through the owning app's services in ONE
   transaction (each service writes its own audit entry), plus one audit entry for the import;
   an error raised by a service is reported with its row and the whole import is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record
from gongsheng.core.context import current_request_id
from gongsheng.core.errors import (
    ApplicationError,
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from gongsheng.transfer.reading import read_table
from gongsheng.transfer.resources import CellError, Resource, RowContext


@dataclass
class ImportResult:
    resource: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    request_id: str = ""
    errors: list[FieldError] = field(default_factory=list)


class ImportFailed(ValidationFailed):
    """The file has problems; nothing was changed. ``errors`` lists each bad cell."""


def _match_headers(
    resource: Resource, header: list[str]
) -> tuple[dict[int, str], list[FieldError]]:
    lookup: dict[str, str] = {}
    for column in resource.columns:
        for heading in column.headers():
            lookup[heading] = column.name
    mapping: dict[int, str] = {}
    errors: list[FieldError] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(header):
        text = raw.strip().rstrip("*＊").strip()
        if not text:
            continue
        name = lookup.get(text.casefold())
        if name is None:
            errors.append(FieldError("header", _("unknown column"), row=1, column=raw))
            continue
        if name in seen:
            errors.append(
                FieldError(
                    name,
                    _("the column appears twice (also as “%(o)s”)") % {"o": seen[name]},
                    row=1,
                    column=raw,
                )
            )
            continue
        seen[name] = raw
        mapping[index] = name
    for column in resource.columns:
        if column.required and column.name not in seen:
            errors.append(
                FieldError(
                    column.name,
                    _("required column is missing"),
                    row=1,
                    column=column.header("zh-hans"),
                )
            )
    return mapping, errors


def run_import(
    resource: Resource,
    *,
    filename: str,
    data: bytes,
    context: RowContext,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import ``data`` into ``resource``; raises :class:`ImportFailed` and changes nothing when
    any cell is bad. ``dry_run`` checks everything, then rolls back."""
    if not resource.importable:
        raise ValidationFailed(_("This table cannot be imported."))
    check_import_right(resource, context)  # before a byte of the file is read
    table = read_table(filename, data)
    mapping, errors = _match_headers(resource, table.header)
    if errors:
        raise ImportFailed(_("The header row has problems; nothing was imported."), errors)
    header_of = {name: table.header[i] for i, name in mapping.items()}
    columns = {c.name: c for c in resource.columns}

    parsed: list[tuple[int, dict[str, Any]]] = []
    for row_no, cells in table.rows:
        values: dict[str, Any] = {}
        for index, name in mapping.items():
            column = columns[name]
            cell = cells[index] if index < len(cells) else None
            try:
                value = column.parse(cell)
            except CellError as exc:
                errors.append(FieldError(name, str(exc), row=row_no, column=header_of[name]))
                continue
            if column.required and value in ("", None):
                errors.append(
                    FieldError(
                        name, _("this cell must not be empty"), row=row_no, column=header_of[name]
                    )
                )
                continue
            values[name] = value
        parsed.append((row_no, values))

    key = resource.key
    first_row: dict[Any, int] = {}
    for row_no, values in parsed:
        k = values.get(key)
        if k in (None, ""):
            continue
        if k in first_row:
            errors.append(
                FieldError(
                    key,
                    _("the same key as row %(r)d") % {"r": first_row[k]},
                    row=row_no,
                    column=header_of.get(key),
                )
            )
        else:
            first_row[k] = row_no

    existing = _visible(resource.existing(list(first_row), context), context)
    changeable = resource.changeable(list(existing.values()), context) if existing else set()
    for row_no, values in parsed:
        obj = existing.get(values.get(key))
        if obj is not None and obj.pk not in changeable:
            errors.append(
                FieldError(
                    key,
                    _("this record exists and you may not change it"),
                    row=row_no,
                    column=header_of.get(key),
                )
            )
        for name, reason in resource.check_row(values, obj, context):
            errors.append(FieldError(name, reason, row=row_no, column=header_of.get(name, name)))
    if errors:
        raise ImportFailed(
            _("%(n)d problem(s) found; nothing was imported.") % {"n": len(errors)}, _sorted(errors)
        )

    result = ImportResult(resource=resource.name, rows=len(parsed))

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for done, (row_no, values) in enumerate(parsed, start=1):
                obj = existing.get(values.get(key))
                try:
                    with transaction.atomic():
                        if obj is None:
                            resource.create(values, context)
                            result.created += 1
                        elif resource.update(obj, values, context):
                            result.updated += 1
                        else:
                            result.unchanged += 1
                except ApplicationError as exc:
                    if exc.errors:
                        for e in exc.errors:
                            # services name the model's field (``licensor_id``), columns the
                            # thing (``licensor``): report the column the user wrote
                            name = e.field
                            if name not in columns and name.removesuffix("_id") in columns:
                                name = name.removesuffix("_id")
                            failed = columns.get(name)
                            errors.append(
                                FieldError(
                                    name,
                                    e.message,
                                    row=row_no,
                                    column=header_of.get(
                                        name, failed.header("zh-hans") if failed else name
                                    ),
                                )
                            )
                    else:
                        errors.append(
                            FieldError(key, str(exc.message), row=row_no, column=header_of.get(key))
                        )
                if progress:
                    progress(done, len(parsed))
            if errors:
                raise _Rollback
            audit_record(
                actor=context.actor,
                event=EventType.IMPORT_APPLIED,
                action=Action.IMPORT,
                consortium_id=context.consortium_id,
                object_repr=f"{resource.name}: {filename}",
                message=(
                    f"{filename}: {result.rows} rows, {result.created} created, "
                    f"{result.updated} updated, {result.unchanged} unchanged"
                ),
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        if errors:
            raise ImportFailed(
                _("%(n)d problem(s) found; nothing was imported.") % {"n": len(errors)},
                _sorted(errors),
            ) from None
    result.request_id = str(current_request_id())
    return result


def _visible(existing: dict[Any, Any], context: RowContext) -> dict[Any, Any]:
    """The found records the actor may see (one query per model and chunk): a hidden record is
    as if it did not exist (Trust issue, point 9)."""
    from gongsheng.access.scope import scope

    by_model: dict[Any, set[Any]] = {}
    for obj in existing.values():
        by_model.setdefault(obj._meta.concrete_model, set()).add(obj.pk)
    seen: set[tuple[Any, Any]] = set()
    for model, pks in by_model.items():
        ordered = sorted(pks)
        for start in range(0, len(ordered), _CHUNK):
            rows = model._default_manager.filter(pk__in=ordered[start : start + _CHUNK])
            seen.update((model, pk) for pk in scope(context.actor, rows, "view").values_list(
                "pk", flat=True))  # fmt: skip
    return {k: o for k, o in existing.items() if (o._meta.concrete_model, o.pk) in seen}


#: ids checked per query (well under SQLite's limit of bound parameters)
_CHUNK = 500


def check_import_right(resource: Resource, context: RowContext) -> None:
    """Only who may import into the consortium (its ``import`` move: the secretariat and unit
    admins) gets its file read; each row is still checked against the right to add or change
    that record. Without a consortium, platform admins only. The page and the API ask this
    before they read the upload."""
    from django.apps import apps

    from gongsheng.access.scope import can, context_for

    if context.consortium_id is None:
        if resource.needs_consortium or not context_for(context.actor).platform_admin:
            raise Forbidden(_("You may not import this table."))
        return
    consortium_model = apps.get_model("consortia", "Consortium")
    consortium = consortium_model.objects.filter(pk=context.consortium_id).first()
    if consortium is None or not can(context.actor, "view", consortium):
        raise NotFound()
    if not can(context.actor, "import", consortium):
        raise Forbidden(_("You may not import into this consortium."))


def _sorted(errors: list[FieldError]) -> list[FieldError]:
    """The problems in row and column order, the first ``IMPORT_MAX_PROBLEMS`` in full and the
    rest counted in a last line."""
    from django.conf import settings

    errors = sorted(errors, key=lambda e: (e.row or 0, e.column or ""))
    cap = settings.IMPORT_MAX_PROBLEMS
    if len(errors) <= cap:
        return errors
    more = len(errors) - cap
    return [
        *errors[:cap],
        FieldError("file", _("… and %(n)s more problems not listed.") % {"n": f"{more:,}"}),
    ]
