"""The ledger beyond its core: selectors and summaries (against hand-computed numbers), scoping,
services (categories, evidence, corrections), API, pages, import/export, demo and scale data."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.access.scope import can, scope
from gongsheng.attachments.models import Attachment
from gongsheng.attachments.registry import declaration_for
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import Conflict, Forbidden, ValidationFailed
from gongsheng.ledger import selectors
from gongsheng.ledger.models import Category, LedgerEntry
from gongsheng.ledger.selectors import LedgerFilter
from gongsheng.ledger.services import (
    Party,
    category_create,
    category_update,
    entry_correct,
    entry_create,
    entry_reverse,
    evidence_add,
)
from tests.support.pools import project_pool
from tests.support.queries import assert_constant_queries

D = Decimal


@pytest.fixture
def ledger(world):
    """The hand-computed ledger of consortium A (money, valued 1:1) and one entry in B."""
    u = {k: v.pk for k, v in world.units.items()}
    sec = world.users["secretariat"]
    POOL = project_pool(world)  # the pool of a real project: ent, school, other

    def post(day, giver, receiver, qty, **kw):
        return entry_create(
            actor=sec if kw.pop("b", False) is False else SYSTEM,
            consortium_id=kw.pop("consortium", world.a.pk),
            date=dt.date.fromisoformat(day),
            category="money",
            quantity=D(qty),
            giver=giver,
            receiver=receiver,
            **kw,
        )

    e = {
        "es": post("2024-03-01", Party.unit(u["ent"]), Party.unit(u["school"]), "1000"),
        "se": post("2024-10-01", Party.unit(u["school"]), Party.unit(u["ent"]), "400"),
        "gs": post("2025-02-01", Party.unit(u["gov"]), Party.unit(u["school"]), "200"),
        "ep": post("2025-05-01", Party.unit(u["ent"]), Party.of_pool(POOL), "600"),
        "sp": post("2025-05-02", Party.unit(u["school"]), Party.of_pool(POOL), "300"),
        "op": post("2025-05-03", Party.unit(u["other"]), Party.of_pool(POOL), "100"),
        "pe": post("2025-06-01", Party.of_pool(POOL), Party.unit(u["ent"]), "500"),
        "xo": post("2026-01-01", Party.outside(), Party.unit(u["other"]), "50"),
        "eo": post(
            "2025-09-10",
            Party.unit(u["ent"]),
            Party.unit(u["other"]),
            "70",
            confidential=True,
            note="secret terms",
        ),
        "wrong": post("2025-01-01", Party.unit(u["ent"]), Party.unit(u["school"]), "999"),
        "bx": post(
            "2025-01-01", Party.unit(u["x"]), Party.outside(), "5000", consortium=world.b.pk, b=True
        ),
    }
    e["rev"] = entry_reverse(actor=sec, entry_id=e["wrong"].pk, note="typo")
    return e


def by_unit(rows):
    return {r.unit_id: (r.inputs, r.outputs) for r in rows}


class TestSummaries:
    def test_per_unit(self, world, ledger):
        u = world.units
        rows = selectors.summary_by_unit(user=world.users["secretariat"], consortium_id=world.a.pk)
        assert by_unit(rows) == {
            u["ent"].pk: (D("1670"), D("900")),
            u["school"].pk: (D("700"), D("1200")),
            u["gov"].pk: (D("200"), D("0")),
            u["other"].pk: (D("100"), D("120")),
        }
        ent = next(r for r in rows if r.unit_id == u["ent"].pk)
        assert ent.net == D("-770") and ent.as_dict()["net"] == D("-770")

    def test_per_pair_direct_and_through_pools(self, world, ledger):
        u = world.units
        rows = selectors.summary_by_pair(user=world.users["secretariat"], consortium_id=world.a.pk)
        pairs = {(r.a_id, r.b_id): r for r in rows}
        se = pairs[(u["school"].pk, u["ent"].pk)]
        assert (se.a_to_b, se.b_to_a) == (D("400"), D("1000"))
        # ent put 600, school 300, other 100 into the pool: ent's 600 split 300:100 between
        # school and other, school's 300 split 600:100, other's 100 split 600:300
        assert (se.a_to_b_pools, se.b_to_a_pools) == (D("257.14"), D("450.00"))
        eo = pairs[(u["ent"].pk, u["other"].pk)]
        assert (eo.a_to_b, eo.b_to_a) == (D("70"), D("0"))
        assert (eo.a_to_b_pools, eo.b_to_a_pools) == (D("150.00"), D("66.67"))
        so = pairs[(u["school"].pk, u["other"].pk)]
        assert (so.a_to_b, so.a_to_b_pools, so.b_to_a_pools) == (D("0"), D("42.86"), D("33.33"))
        gs = pairs[(u["gov"].pk, u["school"].pk)]
        assert (gs.a_to_b, gs.b_to_a, gs.in_a) == (D("200"), D("0"), D("200"))
        direct = selectors.summary_by_pair(
            user=world.users["secretariat"], consortium_id=world.a.pk, through_pools=False
        )
        assert (u["school"].pk, u["other"].pk) not in {(r.a_id, r.b_id) for r in direct}

    def test_pair_summary_needs_a_consortium_or_unit(self, world, ledger):
        with pytest.raises(ValidationFailed):
            selectors.summary_by_pair(user=world.users["admin"], consortium_id=None)

    def test_per_pool_source_and_category(self, world, ledger):
        sec = world.users["secretariat"]
        (pool,) = selectors.summary_by_pool(user=sec, consortium_id=world.a.pk)
        assert (pool.pool, pool.inputs, pool.outputs, pool.participants) == (
            ledger["ep"].receiver_pool, D("1000"), D("500"), 3
        )  # fmt: skip
        (manual,) = selectors.summary_by_source(user=sec, consortium_id=world.a.pk)
        assert (manual.source_type, manual.value, manual.entries) == ("", D("3220"), 11)
        (money,) = selectors.summary_by_category(user=sec, consortium_id=world.a.pk)
        assert (money.code, money.quantity, money.value, money.entries) == (
            "money", D("3220"), D("3220"), 11
        )  # fmt: skip

    def test_per_period_calendar_and_academic(self, world, ledger):
        sec = world.users["secretariat"]
        cal = selectors.summary_by_period(user=sec, consortium_id=world.a.pk)
        assert [(r.label, r.value, r.entries) for r in cal] == [
            ("2024", D("1400"), 2), ("2025", D("1770"), 8), ("2026", D("50"), 1)
        ]  # fmt: skip
        acad = selectors.summary_by_period(user=sec, consortium_id=world.a.pk, academic=True)
        assert [(r.label, r.value) for r in acad] == [
            ("2023–2024", D("1000")), ("2024–2025", D("2100")), ("2025–2026", D("120"))
        ]  # fmt: skip
        ent = selectors.summary_by_period(
            user=sec, consortium_id=world.a.pk, filters=LedgerFilter(unit=world.units["ent"].pk)
        )
        assert [(r.label, r.inputs, r.outputs) for r in ent] == [
            ("2024", D("1000"), D("400")), ("2025", D("670"), D("500"))
        ]  # fmt: skip

    def test_per_unit_type_and_filters(self, world, ledger):
        sec = world.users["secretariat"]
        rows = selectors.summary_by_unit_type(user=sec, consortium_id=world.a.pk)
        cell = {(r.year, r.unit_type): (r.inputs, r.outputs) for r in rows}
        assert cell[(2024, "enterprise")] == (D("1000"), D("400"))
        assert cell[(2024, "higher_vocational")] == (D("400"), D("1000"))
        rows = selectors.summary_by_unit(
            user=sec, consortium_id=world.a.pk, filters=LedgerFilter(year_from=2026)
        )
        assert by_unit(rows) == {world.units["other"].pk: (D("0"), D("50"))}

    def test_summaries_bundle(self, world, ledger):
        s = selectors.summaries(user=world.users["supervisor"], consortium_id=world.a.pk)
        assert not s.wide_only and s.by_unit and s.by_pair and s.by_pool


class TestSummaryScope:
    """A unit sees summaries of its own flows; supervisors everything with values; observers
    only consortium-wide totals of entries that are not confidential; others nothing."""

    def test_unit_sees_its_own_flows(self, world, ledger):
        u = world.units
        rows = selectors.summary_by_unit(user=world.users["unit_admin"], consortium_id=world.a.pk)
        assert by_unit(rows) == {
            u["ent"].pk: (D("1670"), D("900")),
            u["school"].pk: (D("400"), D("1000")),
            u["other"].pk: (D("0"), D("70")),
        }
        assert u["gov"].pk not in by_unit(rows)

    def test_supervisor_sees_values_of_confidential_entries(self, world, ledger):
        rows = selectors.summary_by_unit(user=world.users["supervisor"], consortium_id=world.a.pk)
        assert by_unit(rows)[world.units["other"].pk] == (D("100"), D("120"))

    def test_observer_sees_only_wide_totals(self, world, ledger):
        obs = world.users["observer"]
        (money,) = selectors.summary_by_category(user=obs, consortium_id=world.a.pk)
        assert money.value == D("3150")  # without the confidential 70
        assert selectors.summary_by_period(user=obs, consortium_id=world.a.pk)
        for fn in (selectors.summary_by_unit, selectors.summary_by_pair, selectors.summary_by_pool):
            with pytest.raises(Forbidden):
                fn(user=obs, consortium_id=world.a.pk)
        with pytest.raises(Forbidden):
            selectors.summary_by_period(
                user=obs, consortium_id=world.a.pk, filters=LedgerFilter(unit=world.units["ent"].pk)
            )
        assert selectors.summaries(user=obs, consortium_id=world.a.pk).wide_only

    @pytest.mark.parametrize("who", ["other_consortium", "nobody"])
    def test_outsiders_see_nothing(self, world, ledger, who):
        user = world.users[who]
        assert selectors.summary_by_category(user=user, consortium_id=world.a.pk) == []
        assert selectors.summary_by_unit(user=user, consortium_id=world.a.pk) == []

    def test_across_consortia_the_scope_decides(self, world, ledger):
        rows = selectors.summary_by_category(user=world.users["supervisor"], consortium_id=None)
        assert rows[0].value == D("3220")  # A only, not B's 5000
        rows = selectors.summary_by_category(user=world.users["admin"], consortium_id=None)
        assert rows[0].value == D("8220")


# --- access matrix -------------------------------------------------------------------------
ROLES = [
    "admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member",
    "school_admin", "other_consortium", "nobody",
]  # fmt: skip
MATRIX: dict[str, list[str]] = {
    #                         admin  sec    sup   obs  uadm  umem  sadm  othc  nobody
    "entry own":             ["VCW", "VC",  "VC", "",  "VC", "VC", "VC", "",   ""],
    "entry other":           ["VCW", "VC",  "VC", "",  "",   "",   "VC", "",   ""],
    "entry confidential":    ["VCW", "VC",  "V",  "",  "VC", "VC", "",   "",   ""],
    "entry other-c":         ["VCW", "",    "",   "",  "",   "",   "",   "VC", ""],
    # evidence is an attachment: a supervisor reads the files of entries whose contents it
    # sees (not confidential), a party's unit admin adds them (the entry's attach move)
    "evidence own":          ["VCW", "VCW", "VC", "",  "VCW", "VC", "VCW", "",  ""],
    "evidence confidential": ["VCW", "VCW", "V",  "",  "VCW", "VC", "",   "",   ""],
    "category own-c":        ["VCW", "VCW", "VC", "VC", "VC", "VC", "VC", "",  ""],
    "category platform":     ["VCW", "VC",  "VC", "VC", "VC", "VC", "VC", "VC", "VC"],
}  # fmt: skip


def _allowed(user, obj) -> str:
    if isinstance(obj, Attachment):
        # evidence files are attachments: access follows their entry (V: see the entry,
        # C: see its contents and so its files, W: add or remove files, the attach move)
        record = obj.record
        decl = declaration_for(type(record))
        return "".join(
            letter
            for letter, action in (("V", "view"), ("C", decl.view), ("W", decl.change))
            if can(user, action, record)
        )
    base = type(obj)._default_manager.filter(pk=obj.pk)
    return "".join(
        letter
        for letter, action in (("V", "view"), ("C", "view_contents"), ("W", "change"))
        if scope(user, base, action).exists()
    )


@pytest.fixture
def records(world, ledger, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    sec = world.users["secretariat"]
    return {
        "entry own": ledger["es"],
        "entry other": ledger["gs"],
        "entry confidential": ledger["eo"],
        "entry other-c": ledger["bx"],
        "evidence own": evidence_add(
            actor=sec, entry_id=ledger["es"].pk, name="a.pdf", data=b"%PDF-1.4 x"
        ),
        "evidence confidential": evidence_add(
            actor=sec, entry_id=ledger["eo"].pk, name="b.pdf", data=b"%PDF-1.4 y"
        ),
        "category own-c": category_create(
            actor=sec,
            consortium_id=world.a.pk,
            code="site_visits",
            name="Visits",
            quantity_unit="次",
        ),
        "category platform": Category.objects.get(consortium=None, code="money"),
    }


@pytest.mark.parametrize("record", list(MATRIX))
def test_access_matrix(world, records, record):
    got = [_allowed(world.users[role], records[record]) for role in ROLES]
    mismatches = [
        f"{role}: expected {exp or '-'}, got {g or '-'}"
        for role, exp, g in zip(ROLES, MATRIX[record], got, strict=True)
        if exp != g
    ]
    assert not mismatches, f"{record}: " + "; ".join(mismatches)


# --- lists ---------------------------------------------------------------------------------
class TestLists:
    def test_filters(self, world, ledger):
        sec = world.users["secretariat"]

        def ids(**kw):
            qs = selectors.entry_list(
                user=sec, consortium_id=world.a.pk, filters=LedgerFilter(**kw)
            )
            return set(qs.values_list("pk", flat=True))

        assert ids(unit=world.units["gov"].pk) == {ledger["gs"].pk}
        assert ids(year_from=2026) == {ledger["xo"].pk}
        assert ids(year_to=2024) == {ledger["es"].pk, ledger["se"].pk}
        assert ids(pool=ledger["ep"].receiver_pool) == {
            ledger[k].pk for k in ("ep", "sp", "op", "pe")
        }
        assert ids(q="secret") == {ledger["eo"].pk}
        assert ids(category="money", manual=True) == ids()
        assert ids(manual=False) == set()
        assert ids(source="cooperation.project:1") == set()
        assert len(ids(source="manual")) == 11

    def test_from_params(self):
        f = LedgerFilter.from_params({"unit": "3", "manual": "0", "year_from": "x", "q": " a "})
        assert (f.unit, f.manual, f.year_from, f.q) == (3, False, None, "a")

    def test_confidential_contents_are_flagged(self, world, ledger):
        rows = {
            e.pk: e
            for e in selectors.entry_list(user=world.users["supervisor"], consortium_id=world.a.pk)
        }
        assert rows[ledger["eo"].pk].show_contents is False
        assert rows[ledger["es"].pk].show_contents is True
        assert rows[ledger["wrong"].pk].is_reversed is True

    def test_entry_detail_chain(self, world, ledger):
        d = selectors.entry_detail(user=world.users["secretariat"], entry_id=ledger["rev"].pk)
        assert [e.pk for e in d.chain] == [ledger["wrong"].pk, ledger["rev"].pk]
        assert not d.can_reverse
        d = selectors.entry_detail(user=world.users["secretariat"], entry_id=ledger["es"].pk)
        assert d.can_reverse and d.contents
        d = selectors.entry_detail(user=world.users["supervisor"], entry_id=ledger["eo"].pk)
        assert not d.contents and not d.can_reverse and d.evidence == []

    def test_list_page_constant_queries(self, world, ledger, client):
        client.force_login(world.users["supervisor"])
        url = f"/consortia/{world.a.pk}/ledger/"

        def grow():
            for i in range(5):
                e = entry_create(
                    actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(2025, 3, i + 1),
                    category="money", quantity=D(10 + i), giver=Party.unit(world.units["ent"].pk),
                    receiver=Party.unit(world.units["other"].pk), confidential=i % 2 == 0,
                )  # fmt: skip
                if i == 1:
                    entry_reverse(actor=SYSTEM, entry_id=e.pk)

        assert_constant_queries(lambda: client.get(url), grow)

    def test_detail_page_constant_queries(self, world, ledger, client, settings, tmp_path):
        settings.MEDIA_ROOT = str(tmp_path)
        client.force_login(world.users["secretariat"])
        url = f"/ledger/entries/{ledger['es'].pk}/"

        def grow():
            for i in range(3):
                evidence_add(
                    actor=SYSTEM, entry_id=ledger["es"].pk, name=f"e{i}.png",
                    data=b"\x89PNG\r\n\x1a\n...",
                )  # fmt: skip

        assert_constant_queries(lambda: client.get(url), grow)

    def test_api_list_constant_queries(self, world, ledger, client):
        client.force_login(world.users["unit_admin"])

        def grow():
            for i in range(4):
                entry_create(
                    actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(2025, 4, i + 1),
                    category="money", quantity=D(5), giver=Party.unit(world.units["ent"].pk),
                    receiver=Party.of_pool(ledger["ep"].receiver_pool),
                )  # fmt: skip

        assert_constant_queries(lambda: client.get("/api/ledger/entries"), grow)


# --- services ------------------------------------------------------------------------------
class TestServices:
    def test_categories_create_rename_deactivate(self, world):
        sec = world.users["secretariat"]
        cat = category_create(
            actor=sec, consortium_id=world.a.pk, code="Site Visits", name="Visits",
            quantity_unit="次",
        )  # fmt: skip
        assert cat.code == "site_visits"
        with pytest.raises(ValidationFailed):
            category_create(
                actor=sec, consortium_id=world.a.pk, code="money", name="x", quantity_unit="元"
            )
        with pytest.raises(Forbidden):
            category_create(
                actor=world.users["unit_admin"], consortium_id=world.a.pk, code="y", name="y",
                quantity_unit="个",
            )  # fmt: skip
        cat = category_update(actor=sec, category_id=cat.pk, version=1, name="Site visits")
        assert (cat.name, cat.version) == ("Site visits", 2)
        with pytest.raises(Conflict):
            category_update(actor=sec, category_id=cat.pk, version=1, is_active=False)
        category_update(actor=sec, category_id=cat.pk, version=2, is_active=False)
        events = set(
            AuditEntry.objects.filter(object_id=cat.pk).values_list("event_type", flat=True)
        )
        assert {EventType.CATEGORY_CREATED, EventType.CATEGORY_CHANGED} <= events
        with pytest.raises(Forbidden):
            category_update(actor=sec, category_id=Category.objects.get(code="money").pk,
                            version=None, name="x")  # fmt: skip

    def test_deactivated_category_takes_no_entries(self, world):
        sec = world.users["secretariat"]
        cat = category_create(
            actor=sec, consortium_id=world.a.pk, code="visits", name="Visits", quantity_unit="次"
        )
        category_update(actor=sec, category_id=cat.pk, version=None, is_active=False)
        with pytest.raises(ValidationFailed, match="no ledger category"):
            entry_create(
                actor=sec, consortium_id=world.a.pk, date=dt.date(2025, 1, 1), category="visits",
                quantity=D(1), giver=Party.unit(world.units["ent"].pk), receiver=Party.outside(),
            )  # fmt: skip

    def test_correction_is_reverse_plus_new(self, world, ledger):
        sec = world.users["secretariat"]
        reversal, new = entry_correct(actor=sec, entry_id=ledger["es"].pk, quantity=D("1100"))
        assert reversal.reverses_id == ledger["es"].pk and reversal.value == D("-1000")
        assert new.value == D("1100") and new.manual
        rows = selectors.summary_by_unit(user=sec, consortium_id=world.a.pk)
        assert by_unit(rows)[world.units["ent"].pk][0] == D("1770")
        assert AuditEntry.objects.filter(event_type=EventType.LEDGER_ENTRY_CORRECTED).count() == 1
        with pytest.raises(ValidationFailed):
            entry_correct(actor=sec, entry_id=ledger["es"].pk, quantity=D("1"))
        with pytest.raises(Forbidden):
            entry_correct(actor=world.users["unit_admin"], entry_id=new.pk, quantity=D("1"))

    def test_reversal_chain_rules(self, world, ledger):
        sec = world.users["secretariat"]
        with pytest.raises(ValidationFailed, match="already been reversed"):
            entry_reverse(actor=sec, entry_id=ledger["wrong"].pk)
        with pytest.raises(ValidationFailed, match="cannot itself be reversed"):
            entry_reverse(actor=sec, entry_id=ledger["rev"].pk)

    def test_evidence_type_size_and_rights(self, world, ledger, settings, tmp_path):
        settings.MEDIA_ROOT = str(tmp_path)
        admin = world.users["unit_admin"]
        ev = evidence_add(actor=admin, entry_id=ledger["es"].pk, name="合同.pdf", data=b"%PDF-1")
        assert ev.name == "合同.pdf" and ev.file.storage.exists(ev.file.name)
        for name, data, match in [
            ("x.exe", b"MZ", "not accepted"),
            ("x.pdf", b"", "empty"),
            ("x.pdf", b"<html>", "not a .pdf file"),
        ]:
            with pytest.raises(ValidationFailed, match=match):
                evidence_add(actor=admin, entry_id=ledger["es"].pk, name=name, data=data)
        settings.UPLOAD_MAX_BYTES = 10
        with pytest.raises(ValidationFailed, match="larger"):
            evidence_add(actor=admin, entry_id=ledger["es"].pk, name="x.pdf", data=b"%PDF" * 9)
        with pytest.raises(Forbidden):
            evidence_add(actor=admin, entry_id=ledger["gs"].pk, name="x.pdf", data=b"%PDF")
        assert Attachment.objects.filter(purpose="evidence").count() == 1
        assert AuditEntry.objects.filter(event_type=EventType.ATTACHMENT_ADDED).count() == 1


# --- API -----------------------------------------------------------------------------------
class TestApi:
    def test_entries_list_detail_create_reverse(self, world, ledger, client):
        client.force_login(world.users["secretariat"])
        body = client.get(f"/api/ledger/entries?consortium={world.a.pk}&year_from=2026").json()
        assert body["count"] == 1 and body["items"][0]["value"] in ("50.00", 50.0, "50")
        r = client.post(
            "/api/ledger/entries",
            {
                "consortium_id": world.a.pk, "date": "2025-07-01", "category": "money",
                "quantity": "12.5", "giver": {"kind": "unit", "unit": world.units["gov"].pk},
                "receiver": {"kind": "outside"}, "reference": "V-1",
            },
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == 201, r.content
        new = r.json()
        assert new["manual"] and new["giver"]["unit_name"] == "Unit gov"
        r = client.post(f"/api/ledger/entries/{new['id']}/reverse", {"note": "x"},
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 201 and r.json()["reverses_id"] == new["id"]
        assert client.get(f"/api/ledger/entries/{new['id']}").json()["reversed"] is True

    def test_evidence_upload(self, world, ledger, client, settings, tmp_path):
        from django.core.files.uploadedfile import SimpleUploadedFile

        settings.MEDIA_ROOT = str(tmp_path)
        client.force_login(world.users["unit_admin"])
        url = f"/api/ledger/entries/{ledger['es'].pk}/evidence"
        r = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7")})
        assert r.status_code == 201 and r.json()["name"] == "a.pdf"
        r = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"MZ")})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"

    def test_no_rule_is_a_422_problem(self, world, client):
        client.force_login(world.users["secretariat"])
        r = client.post(
            "/api/ledger/entries",
            {
                "consortium_id": world.a.pk, "date": "2025-07-01", "category": "equipment",
                "quantity": "1", "giver": {"kind": "unit", "unit": world.units["gov"].pk},
                "receiver": {"kind": "outside"},
            },
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
        assert not LedgerEntry.objects.exists()

    def test_confidential_contents_hidden_and_other_consortium_404(self, world, ledger, client):
        client.force_login(world.users["supervisor"])
        body = client.get(f"/api/ledger/entries/{ledger['eo'].pk}").json()
        assert body["contents_hidden"] and body["note"] == "" and body["value"]
        assert client.get(f"/api/ledger/entries/{ledger['bx'].pk}").status_code == 404
        client.force_login(world.users["unit_admin"])
        r = client.post(f"/api/ledger/entries/{ledger['es'].pk}/reverse", {},
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 403

    def test_summaries(self, world, ledger, client):
        client.force_login(world.users["secretariat"])
        body = client.get(f"/api/ledger/summaries/unit?consortium={world.a.pk}").json()
        ent = next(i for i in body["items"] if i["unit_id"] == world.units["ent"].pk)
        assert D(str(ent["inputs"])) == D("1670") and D(str(ent["net"])) == D("-770")
        body = client.get(
            f"/api/ledger/summaries/period?consortium={world.a.pk}&academic=true"
        ).json()
        assert next(i["label"] for i in body["items"]) == "2023–2024"
        for dim in ("pair", "pool", "source", "category", "unit-type"):
            r = client.get(f"/api/ledger/summaries/{dim}?consortium={world.a.pk}")
            assert r.status_code == 200 and r.json()["count"] >= 1, dim
        assert client.get("/api/ledger/summaries/nope").status_code == 422
        client.force_login(world.users["observer"])
        assert client.get(f"/api/ledger/summaries/unit?consortium={world.a.pk}").status_code == 403
        assert client.get(f"/api/ledger/summaries/category?consortium={world.a.pk}").json()["count"]

    def test_categories_and_rules(self, world, client):
        client.force_login(world.users["secretariat"])
        r = client.post(
            "/api/ledger/categories",
            {
                "consortium_id": world.a.pk,
                "code": "visits",
                "name": "Visits",
                "quantity_unit": "次",
            },
            content_type="application/json",
        )
        assert r.status_code == 201
        cat = r.json()
        r = client.patch(f"/api/ledger/categories/{cat['id']}",
                         {"name": "Site visits", "version": 1}, content_type="application/json")  # fmt: skip
        assert r.status_code == 200 and r.json()["version"] == 2 and r["ETag"] == 'W/"2"'
        r = client.patch(f"/api/ledger/categories/{cat['id']}",
                         {"is_active": False, "version": 1}, content_type="application/json")  # fmt: skip
        assert r.status_code == 409
        r = client.post(
            "/api/ledger/rules",
            {"category_id": cat["id"], "consortium_id": world.a.pk,
             "effective_from": "2025-01-01", "unit_value": "80"},
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == 201 and r.json()["version"] == 1
        codes = {
            c["code"]
            for c in client.get(f"/api/ledger/categories?consortium={world.a.pk}").json()["items"]
        }
        assert {"money", "visits"} <= codes
        assert client.get(f"/api/ledger/rules?consortium={world.a.pk}").json()["count"] >= 1


# --- pages ---------------------------------------------------------------------------------
class TestPages:
    def test_pages_render(self, world, ledger, client):
        client.force_login(world.users["secretariat"])
        a = world.a.pk
        for url in (f"/consortia/{a}/ledger/", f"/consortia/{a}/ledger/summaries/",
                    f"/consortia/{a}/ledger/summaries/?academic=1", f"/consortia/{a}/ledger/rules/",
                    f"/consortia/{a}/ledger/new/", f"/ledger/entries/{ledger['rev'].pk}/"):  # fmt: skip
            r = client.get(url)
            assert r.status_code == 200, url
        r = client.get(
            f"/consortia/{a}/ledger/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="entry-table"
        )
        assert b"<h1>" not in r.content and b"entry-table" in r.content
        assert client.get(f"/consortia/{a}/ledger/summaries/?export=xlsx")[
            "Content-Type"
        ].startswith("application/vnd.openxml")
        assert client.get(f"/consortia/{a}/ledger/?export=xlsx").status_code == 200

    def test_observer_summaries_page_and_hidden_entries(self, world, ledger, client):
        client.force_login(world.users["observer"])
        r = client.get(f"/consortia/{world.a.pk}/ledger/summaries/")
        assert r.status_code == 200 and b"by-unit" not in r.content
        assert client.get(f"/ledger/entries/{ledger['es'].pk}/").status_code == 404

    def test_manual_entry_form_with_evidence(self, world, client, settings, tmp_path):
        from django.core.files.uploadedfile import SimpleUploadedFile

        settings.MEDIA_ROOT = str(tmp_path)
        client.force_login(world.users["unit_admin"])
        data = {
            "date": "2025-03-01", "category": "money", "quantity": "300", "giver_kind": "unit",
            "giver_unit": world.units["ent"].pk, "receiver_kind": "unit",
            "receiver_unit": world.units["school"].pk, "note": "scholarship",
            "evidence": SimpleUploadedFile("proof.pdf", b"%PDF-1.4"),
        }  # fmt: skip
        r = client.post(f"/consortia/{world.a.pk}/ledger/new/", data)
        assert r.status_code == 302, r.content
        entry = LedgerEntry.objects.get()
        evidence = Attachment.objects.get(object_id=entry.pk, purpose="evidence")
        assert entry.manual and evidence.record == entry
        r = client.get(f"/attachments/{evidence.pk}/")
        assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4"
        data["giver_unit"] = world.units["gov"].pk
        data["evidence"] = SimpleUploadedFile("proof.pdf", b"%PDF-1.4")
        r = client.post(f"/consortia/{world.a.pk}/ledger/new/", data)
        assert r.status_code == 200 and "只能登记本单位" in r.content.decode()
        assert LedgerEntry.objects.count() == 1

    def test_reverse_and_rules_pages_post(self, world, ledger, client):
        client.force_login(world.users["secretariat"])
        r = client.post(f"/ledger/entries/{ledger['es'].pk}/reverse/", {"note": "x"})
        assert r.status_code == 302
        cat = Category.objects.get(code="equipment", consortium=None)
        r = client.post(f"/consortia/{world.a.pk}/ledger/rules/", {
            "what": "rule", "category": cat.pk, "effective_from": "2024-01-01",
            "unit_value": "40000", "basis": "depreciation"})  # fmt: skip
        assert r.status_code == 302
        r = client.post(f"/consortia/{world.a.pk}/ledger/rules/", {
            "what": "category", "cat-code": "visits", "cat-name": "Visits",
            "cat-quantity_unit": "次"})  # fmt: skip
        assert r.status_code == 302 and Category.objects.filter(code="visits").exists()


# --- import / export -----------------------------------------------------------------------
def _csv(rows):
    return ("\n".join(",".join(map(str, r)) for r in rows) + "\n").encode()


HEADER = ["reference", "date", "giver", "receiver", "category", "quantity", "note"]


def _import(world, data, name="ledger.csv"):
    from gongsheng.core.context import request_scope
    from gongsheng.transfer.importing import run_import
    from gongsheng.transfer.resources import RowContext, get_resource

    with request_scope():
        return run_import(
            get_resource("ledger_entries"),
            filename=name,
            data=data,
            context=RowContext(actor=world.users["secretariat"], consortium_id=world.a.pk),
        )


class TestImportExport:
    def test_rows_create_manual_entries_and_reimport_creates_nothing(self, world):
        ent, school = world.units["ent"].credit_code, world.units["school"].credit_code
        pool = project_pool(world)
        data = _csv([HEADER, ["V1", "2025-01-02", ent, school, "money", "100", "a"],
                     ["V2", "2025-01-03", ent, pool, "资金", "50", ""],
                     ["V3", "2025-01-04", "outside", school, "money", "7", ""]])  # fmt: skip
        result = _import(world, data)
        assert result.created == 3
        e = LedgerEntry.objects.get(source_key="V2")
        assert e.manual and e.receiver_pool == pool
        assert _import(world, data).created == 0
        # the export re-imports as nothing new either
        from gongsheng.transfer.exporting import export_csv
        from gongsheng.transfer.resources import RowContext, get_resource

        res = get_resource("ledger_entries")
        sec = world.users["secretariat"]
        rows = res.export_queryset(sec, RowContext(actor=sec, consortium_id=world.a.pk))
        exported = export_csv(res, rows, lang="en")
        result = _import(world, exported)
        assert (result.created, result.unchanged) == (0, 3)
        assert LedgerEntry.objects.count() == 3

    def test_errors_by_row_and_column_and_nothing_written(self, world):
        from gongsheng.transfer.importing import ImportFailed

        ent = world.units["ent"].credit_code
        _import(world, _csv([HEADER, ["V1", "2025-01-02", ent, "outside", "money", "100", ""]]))
        data = _csv([HEADER,
                     ["V1", "2025-01-02", ent, "outside", "money", "999", ""],
                     ["V4", "2025-13-01", ent, "outside", "money", "1", ""],
                     ["V5", "2025-01-01", "nonsense", "outside", "gold", "-3", ""],
                     ["V6", "2025-01-01", world.units["x"].credit_code, "outside", "money", "1", ""],
                     ["V6", "2025-01-01", ent, "outside", "equipment", "1", ""]])  # fmt: skip
        with pytest.raises(ImportFailed) as info:
            _import(world, data)
        got = {(e.row, e.field) for e in info.value.errors}
        assert {(2, "reference"), (3, "date"), (4, "giver"), (4, "category"), (4, "quantity"),
                (5, "giver"), (6, "reference")} <= got  # fmt: skip
        assert LedgerEntry.objects.count() == 1
        # a row that passes the checks but has no valuation rule names its row too
        with pytest.raises(ImportFailed) as info:
            _import(
                world, _csv([HEADER, ["V9", "2025-01-01", ent, "outside", "equipment", "1", ""]])
            )
        assert [(e.row, e.field) for e in info.value.errors] == [(2, "category")]
        assert LedgerEntry.objects.count() == 1


# --- demo and scale ------------------------------------------------------------------------
class TestDemo:
    def test_demo_loader_and_removal(self, db):
        from gongsheng.consortia.demo import load_demo
        from gongsheng.consortia.models import Consortium, Unit
        from gongsheng.ledger import demo

        load_demo()
        main = Consortium.objects.filter(is_demo=True).order_by("pk").first()
        units = {u.short_name: u for u in Unit.objects.filter(memberships__consortium=main)}
        out = demo.load_demo_data(consortium=main, units=units, rng=random.Random(1))
        assert out["rules"] == 2 * len(demo.DEMO_PRICES)
        entries = LedgerEntry.objects.filter(consortium=main)
        assert entries.filter(manual=True).count() == entries.count() >= 20
        assert entries.filter(reverses__isnull=False).count() == 2
        assert not entries.filter(pending=True).exists()  # the demo's flows all count (0804)
        free_rider = units["江南紧固件"].pk
        assert not entries.filter(giver_unit_id=free_rider).exists()
        demo.remove_demo_data()
        assert not LedgerEntry.objects.exists()

    def test_scale_generator_small(self, db):
        from gongsheng.consortia.demo import load_demo
        from gongsheng.ledger import demo

        load_demo(scale=(2, 30))
        consortia = demo.scale_consortia()
        seen = []
        n = demo.load_scale_ledger(
            consortia, 3000, random.Random(5), lambda d, t: seen.append(d), batch_size=1000
        )
        assert n == LedgerEntry.objects.count() and 3000 <= n <= 3030
        assert LedgerEntry.objects.filter(reverses__isnull=False).count() == n - 3000
        batches = AuditEntry.objects.filter(event_type=EventType.LEDGER_SCALE_BATCH).count()
        assert batches == 4 and seen[-1] == 3000  # 1500 per consortium: 1000 + 500
        years = set(LedgerEntry.objects.values_list("year", flat=True))
        assert years <= {2023, 2024, 2025, 2026} and len(years) == 4
        kinds = set(LedgerEntry.objects.values_list("giver_kind", "receiver_kind"))
        assert {("unit", "unit"), ("unit", "pool"), ("pool", "unit"), ("outside", "unit")} == kinds
        bad = [e for e in LedgerEntry.objects.select_related("rule")[:200]
               if e.value != (e.quantity * e.rule.unit_value).quantize(D("0.01"))]  # fmt: skip
        assert not bad
        # a second run adds, rules are not duplicated
        demo.load_scale_ledger(consortia[:1], 100, random.Random(6))
        demo.remove_demo_data()
        assert not LedgerEntry.objects.exists()


def test_summaries_and_rules_pages_constant_queries(world, ledger, client):
    client.force_login(world.users["secretariat"])
    a = world.a.pk

    def grow():
        for i, unit in enumerate(("gov", "school", "other")):
            entry_create(
                actor=SYSTEM, consortium_id=a, date=dt.date(2023 + i, 10, 1), category="money",
                quantity=D(3), giver=Party.unit(world.units[unit].pk),
                receiver=Party.of_pool(f"project:{9 + i}"),
            )  # fmt: skip
        for code in ("equipment", "posts"):
            from gongsheng.ledger.services import rule_create

            rule_create(
                actor=SYSTEM, category_id=Category.objects.get(code=code).pk, consortium_id=a,
                effective_from=dt.date(2024, 1, 1), unit_value=D(10),
            )  # fmt: skip

    def render():
        assert client.get(f"/consortia/{a}/ledger/summaries/").status_code == 200
        assert client.get(f"/consortia/{a}/ledger/rules/").status_code == 200

    assert_constant_queries(render, grow)
