"""Standard tests generated for every declared model (after NetBox's ``ViewTestCases`` and
``APIViewTestCases``).

A model's test module gives only data and the rights it expects::

    class TestPolicies(StandardTests):
        data = StandardData(model=PublicPolicy, make=..., form=..., api_create=...,
                            api_patch=..., moves={"withdraw": ...}, rights=RIGHTS)

``rights`` is a literal table, role × where → the actions allowed, written by hand in the test
module and never read from the policy under test. ``where`` is one of:

* ``own``: a record of consortium A owned by (or aimed at) the unit ``ent`` — the own unit of
  ``unit_admin`` and ``unit_member``;
* ``other``: a record of consortium A owned by another unit (``other``);
* ``b``: a record of consortium B (unit ``x``, ``other_consortium``'s own unit).

``add`` under a ``where`` means making a record there. For each role the generated tests walk
the pages and the API through view, list, add, change, each named move and delete, and check
the status (allowed: 200/201/204/302; denied: 403 when the role may see the record, else 404;
the add form opens where the role may add anything in that consortium),
one audit entry per write with its before/after snapshots, nothing written when refused; then
409 on a stale version, a constant query count on the list page and endpoint, and an export
that re-imports unchanged with Chinese and English headers.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import Model
from django.utils import translation

from gongsheng.audit.models import AuditEntry
from gongsheng.declare.declaration import declaration_for

#: every role of ``tests.support.world``; a rights table names each of them
ROLES = (
    "admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member",
    "school_admin", "other_consortium", "nobody",
)  # fmt: skip
WHERE = ("own", "other", "b")

#: the models whose standard data a test module has supplied (read by the coverage test)
SUPPLIED: dict[type[Model], StandardData] = {}


@dataclass
class StandardData:
    """What a declared model's standard tests need; nothing else."""

    model: type[Model]
    #: make(world, where) -> a stored record at ``where`` (made by the system actor)
    make: Callable[[Any, str], Model]
    #: form(world, where) -> the edit form's POST data for a record at ``where``
    form: Callable[[Any, str], dict[str, Any]]
    #: api_create(world, where) -> the JSON body that creates a record at ``where``
    api_create: Callable[[Any, str], dict[str, Any]]
    #: api_patch(world, where) -> a JSON body that changes a record
    api_patch: Callable[[Any, str], dict[str, Any]]
    #: role -> (own, other, b): the actions allowed there, a literal table
    rights: dict[str, tuple[set[str], set[str], set[str]]]
    #: move name -> data(world) for the move's form and API body (without the version)
    moves: dict[str, Callable[[Any], dict[str, Any]]] = field(default_factory=dict)
    #: roles whose add form opens in consortium A though the table lets them add none of the
    #: three records (a unit admin may add for its own unit's records: a literal list)
    add_form_also: set[str] = field(default_factory=set)
    #: parent(world, where) -> the record a list and a new record belong to, for models
    #: that belong to one (a unit's contacts; ``Declaration.parent_field``)
    parent: Callable[[Any, str], Model] | None = None
    #: (role, where) pairs whose refused API add answers 404, not 403: the consortium the
    #: body names is out of the role's sight (a literal list; modelling's saved scenarios)
    add_hidden: set[tuple[str, str]] = field(default_factory=set)
    #: move name -> ready(world, record): bring the record (by the system actor) into a state
    #: the move accepts before it is tried, for lifecycles where one move's result is not the
    #: next one's start (a membership: admit and refuse both start from an application)
    move_from: dict[str, Callable[[Any, Model], None]] = field(default_factory=dict)
    #: before_move(world, record) -> put the record back where each move starts from, for
    #: moves that exclude each other (a booking is approved *or* rejected)
    before_move: Callable[[Any, Model], None] | None = None

    def __post_init__(self) -> None:
        SUPPLIED[self.model] = self

    def allowed(self, role: str, where: str, action: str) -> bool:
        return action in self.rights[role][WHERE.index(where)]


def _consortium(world: Any, where: str) -> Any:
    return world.b if where == "b" else world.a


def _events(obj_pk: Any, model: type[Model]) -> list[AuditEntry]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(model)
    return list(AuditEntry.objects.filter(content_type=ct, object_id=obj_pk).order_by("id"))


class StandardTests:
    """Mixin of the generated tests; a subclass named ``Test…`` sets ``data``."""

    data: StandardData

    @property
    def decl(self) -> Any:
        return declaration_for(self.data.model)

    # --- helpers ------------------------------------------------------------------------
    def _denied(self, role: str, where: str) -> int:
        return 403 if self.data.allowed(role, where, "view") else 404

    def _expect_write(self, before: int, obj: Any, event: Any, kind: str, ok: bool) -> None:
        entries = _events(obj.pk, self.data.model)
        if not ok:
            assert len(entries) == before, "a refused write left an audit entry"
            return
        assert len(entries) == before + 1, "a write leaves exactly one audit entry"
        entry = entries[-1]
        assert entry.event_type == int(event)
        assert (entry.before is not None) == (kind != "create")
        assert (entry.after is not None) == (kind != "delete")

    def _api_list(self, world: Any, where: str) -> str:
        """The API list (and create) URL of the records at ``where``."""
        decl = self.decl
        if decl.parent_field:
            parent = self.data.parent(world, where)
            return f"/api/{decl.parent_url}/{parent.pk}/{decl.name}"
        return f"/api/{decl.api_segment}?consortium={_consortium(world, where).pk}"

    def _ready(self, world: Any, obj: Any, move: str) -> None:
        if move in self.data.move_from:
            self.data.move_from[move](world, obj)

    def _needs(self, what: str) -> None:
        if not getattr(self.decl, what):
            pytest.skip(f"{self.decl.model.__name__} is declared without {what}")

    def _url(self, name: str, *args: Any) -> str:
        from django.urls import reverse

        from gongsheng.declare.views import url_name

        return reverse(url_name(self.decl, name), args=args)

    # --- pages --------------------------------------------------------------------------
    @pytest.mark.parametrize("role", ROLES)
    def test_pages(self, world: Any, client: Any, role: str) -> None:
        assert set(self.data.rights) == set(ROLES), "the rights table names every role"
        self._needs("pages")
        data, decl, model = self.data, self.decl, self.data.model
        client.force_login(world.users[role])
        for where in WHERE:
            obj = data.make(world, where)
            denied = self._denied(role, where)
            may = {a: data.allowed(role, where, a) for a in ("view", "change", "delete")}
            detail = client.get(self._url("detail", obj.pk))
            assert detail.status_code == (200 if may["view"] else 404), (role, where, "detail")
            listing = client.get(self._url("list", _consortium(world, where).pk))
            if listing.status_code == 200:
                shown = {o.pk for o in listing.context["page"].object_list}
                assert (obj.pk in shown) == may["view"], (role, where, "list")
            else:
                assert not may["view"] and listing.status_code == 404, (role, where, "list")
            edit = client.get(self._url("edit", obj.pk))
            assert edit.status_code == (200 if may["change"] else denied), (role, where, "edit")
            # change through the form
            n = len(_events(obj.pk, model))
            obj.refresh_from_db()
            post = client.post(
                self._url("edit", obj.pk), {**data.form(world, where), "version": obj.version}
            )
            want = 302 if may["change"] else denied
            assert post.status_code == want, (role, where, "change", post.content[:2000])
            self._expect_write(n, obj, decl.events.changed, "update", may["change"])
            # each named move
            for move in decl.moves:
                ok = data.allowed(role, where, move.name)
                if data.before_move is not None:
                    data.before_move(world, obj)
                self._ready(world, obj, move.name)
                n = len(_events(obj.pk, model))
                obj.refresh_from_db()
                body = {**data.moves[move.name](world), "version": obj.version}
                r = client.post(self._url(move.name, obj.pk), body)
                assert r.status_code == (302 if ok else denied), (role, where, move.name)
                self._expect_write(n, obj, move.event, "update", ok)
            # delete
            if decl.deletable:
                n = len(_events(obj.pk, model))
                obj.refresh_from_db()
                r = client.post(self._url("delete", obj.pk), {"version": obj.version})
                assert r.status_code == (302 if may["delete"] else denied), (role, where, "delete")
                assert model._default_manager.filter(pk=obj.pk).exists() != may["delete"]
                self._expect_write(n, obj, decl.events.deleted, "delete", may["delete"])
            # add: the form opens where the role may add anywhere in the consortium; the
            # record is made only where the table allows it
            ok = data.allowed(role, where, "add")
            opens = any(
                data.allowed(role, w, "add") for w in WHERE if (w == "b") == (where == "b")
            ) or (where != "b" and role in data.add_form_also)
            # refused: 403 where the role sees the consortium (its list opens), else 404
            refused = 403 if listing.status_code == 200 else 404
            url = self._url("create", _consortium(world, where).pk)
            assert client.get(url).status_code == (200 if opens else refused), (role, where, "add")
            count = model._default_manager.count()
            r = client.post(url, data.form(world, where))
            assert r.status_code == (302 if ok else refused), (role, where, "add", r.content[:2000])
            assert model._default_manager.count() == count + (1 if ok else 0)

    # --- API ----------------------------------------------------------------------------
    @pytest.mark.parametrize("role", ROLES)
    def test_api(self, world: Any, client: Any, role: str) -> None:
        data, decl, model = self.data, self.decl, self.data.model
        client.force_login(world.users[role])
        base = f"/api/{decl.api_segment}"
        for where in WHERE:
            obj = data.make(world, where)
            denied = self._denied(role, where)
            may = {a: data.allowed(role, where, a) for a in ("view", "change", "delete")}
            r = client.get(f"{base}/{obj.pk}")
            assert r.status_code == (200 if may["view"] else 404), (role, where, "detail")
            if may["view"]:
                assert r["ETag"] == f'W/"{obj.version}"'
            listed = client.get(self._api_list(world, where), {"limit": 1000})
            if listed.status_code == 404:  # a parent record the role may not see
                assert decl.parent_field and not may["view"], (role, where, "list")
            else:
                ids = {item["id"] for item in listed.json()["items"]}
                assert (obj.pk in ids) == may["view"], (role, where, "list")
            n = len(_events(obj.pk, model))
            obj.refresh_from_db()
            r = client.patch(
                f"{base}/{obj.pk}", json.dumps(data.api_patch(world, where)),
                content_type="application/json", headers={"If-Match": f'W/"{obj.version}"'},
            )  # fmt: skip
            want = 200 if may["change"] else denied
            assert r.status_code == want, (role, where, "patch", r.content)
            self._expect_write(n, obj, decl.events.changed, "update", may["change"])
            for move in decl.moves:
                ok = data.allowed(role, where, move.name)
                if data.before_move is not None:
                    data.before_move(world, obj)
                self._ready(world, obj, move.name)
                n = len(_events(obj.pk, model))
                obj.refresh_from_db()
                body = {**data.moves[move.name](world), "version": obj.version}
                r = client.post(
                    f"{base}/{obj.pk}/{move.name}", json.dumps(body),
                    content_type="application/json",
                )  # fmt: skip
                assert r.status_code == (200 if ok else denied), (role, where, move.name)
                self._expect_write(n, obj, move.event, "update", ok)
            if decl.deletable:
                n = len(_events(obj.pk, model))
                obj.refresh_from_db()
                r = client.delete(f"{base}/{obj.pk}", headers={"If-Match": f'W/"{obj.version}"'})
                assert r.status_code == (204 if may["delete"] else denied), (role, where, "del")
                self._expect_write(n, obj, decl.events.deleted, "delete", may["delete"])
            ok = data.allowed(role, where, "add")
            count = model._default_manager.count()
            url = self._api_list(world, where).split("?")[0]
            r = client.post(
                url, json.dumps(data.api_create(world, where)), content_type="application/json"
            )
            # refused: 403, or 404 when the parent record itself is out of sight
            refused = (403, 404) if decl.parent_field else (403,)
            if (role, where) in data.add_hidden:
                refused = (404,)
            assert r.status_code == 201 if ok else r.status_code in refused, (role, where, "add")
            assert model._default_manager.count() == count + (1 if ok else 0)
            if ok:
                created = _events(r.json()["id"], model)
                assert [e.event_type for e in created] == [int(decl.events.created)]

    # --- versions, query counts, round trip ---------------------------------------------
    def test_stale_version_is_refused(self, world: Any, client: Any) -> None:
        data, decl = self.data, self.decl
        obj = data.make(world, "own")
        client.force_login(world.users["admin"])
        stale = obj.version
        first = client.patch(
            f"/api/{decl.api_segment}/{obj.pk}", json.dumps(data.api_patch(world, "own")),
            content_type="application/json", headers={"If-Match": f'W/"{stale}"'},
        )  # fmt: skip
        assert first.status_code == 200
        n = len(_events(obj.pk, data.model))
        again = client.patch(
            f"/api/{decl.api_segment}/{obj.pk}", json.dumps(data.api_patch(world, "other")),
            content_type="application/json", headers={"If-Match": f'W/"{stale}"'},
        )  # fmt: skip
        assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
        assert len(_events(obj.pk, data.model)) == n, "a refused write changed nothing"
        if not decl.pages:
            return
        page = client.post(self._url("edit", obj.pk), {**data.form(world, "own"), "version": stale})
        assert page.status_code == 200 and "__all__" in page.context["form"].errors
        assert len(_events(obj.pk, data.model)) == n, "a refused write changed nothing"

    def test_list_query_counts_do_not_grow(self, world: Any, client: Any) -> None:
        from tests.support.queries import assert_constant_queries

        data, decl = self.data, self.decl
        client.force_login(world.users["admin"])
        a = world.a.pk

        def grow() -> None:
            for _ in range(3):
                data.make(world, "own")
                data.make(world, "other")

        grow()
        url = self._api_list(world, "own")
        assert_constant_queries(lambda: client.get(url), grow)
        if decl.pages:
            assert_constant_queries(lambda: client.get(self._url("list", a)), grow)
        if decl.pages and decl.transfer:
            assert_constant_queries(lambda: client.get(self._url("list", a) + "?export=xlsx"), grow)

    @pytest.mark.parametrize("lang", ["zh-hans", "en"])
    def test_export_reimports_unchanged(self, world: Any, lang: str) -> None:
        from gongsheng.core.context import request_scope
        from gongsheng.transfer.exporting import export_xlsx
        from gongsheng.transfer.importing import run_import
        from gongsheng.transfer.resources import RowContext, get_resource

        self._needs("transfer")
        data, decl = self.data, self.decl
        for where in ("own", "other"):
            data.make(world, where)
        user = world.users["admin"]
        resource = get_resource(decl.table)
        context = RowContext(actor=user, consortium_id=world.a.pk)
        rows = list(resource.export_queryset(user, context))
        before = {o.pk: o.version for o in rows}
        body = export_xlsx(resource, rows, lang=lang)
        with request_scope(), translation.override("en"):
            result = run_import(resource, filename="t.xlsx", data=body, context=context)
        assert (result.created, result.updated, result.unchanged) == (0, 0, len(rows))
        after = dict(data.model._default_manager.filter(pk__in=before).values_list("pk", "version"))
        assert after == before

    def test_export_headers_are_the_declared_columns(self, world: Any) -> None:
        from openpyxl import load_workbook

        from gongsheng.transfer.exporting import export_xlsx
        from gongsheng.transfer.resources import get_resource

        self._needs("transfer")
        resource = get_resource(self.decl.table)
        book = load_workbook(io.BytesIO(export_xlsx(resource, [], lang="en")))
        header = next(book.active.iter_rows(values_only=True))
        assert list(header) == [c.header("en") for c in self.decl.columns]
