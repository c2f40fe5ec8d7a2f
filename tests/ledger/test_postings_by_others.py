"""Issue 14, point 5: postings by others (decision 0804), through HTTP only.

A unit admin may post only to pools that exist and that its unit takes part in, only with
member units of the consortium as counterparties (and the answer never names another
consortium's unit), and a flow that names another unit as its giver waits, counted nowhere,
until that unit (or the secretariat) confirms it in its own append-only record.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongsheng.audit.models import AuditEntry
from gongsheng.ledger.models import EntryConfirmation, LedgerEntry
from gongsheng.notifications.models import Notification
from tests.support.pools import project_pool

pytestmark = pytest.mark.django_db


def _post(client, world, giver, receiver, qty="100", **extra):
    body = {
        "consortium_id": world.a.pk, "date": "2025-03-01", "category": "money",
        "quantity": qty, "giver": giver, "receiver": receiver, **extra,
    }  # fmt: skip
    return client.post("/api/ledger/entries", json.dumps(body), content_type="application/json")


def unit(world, key):
    return {"kind": "unit", "unit": world.units[key].pk}


def pool(name):
    return {"kind": "pool", "pool": name}


def fields(response):
    return {e["field"] for e in response.json()["errors"]}


def unit_totals(client, world):
    r = client.get(f"/api/ledger/summaries/unit?consortium={world.a.pk}")
    assert r.status_code == 200
    return {row["unit_id"]: (row["inputs"], row["outputs"]) for row in r.json()["items"]}


class TestPoolsAndCounterparties:
    def test_a_pool_the_unit_does_not_take_part_in_is_refused(self, world, client):
        theirs = project_pool(world, keys=("school", "other"))
        client.force_login(world.users["unit_admin"])  # of ent, not in the project
        r = _post(client, world, unit(world, "ent"), pool(theirs))
        assert r.status_code == 422 and fields(r) == {"giver"}
        r = _post(client, world, pool(theirs), unit(world, "ent"))
        assert r.status_code == 422 and fields(r) == {"receiver"}
        assert not LedgerEntry.objects.exists()

    def test_made_up_pools_are_refused(self, world, client):
        project_pool(world)  # a real one exists, with ent in it
        client.force_login(world.users["unit_admin"])
        for name in ("project:999999", "made-up", "contract:1", "project:abc"):
            r = _post(client, world, unit(world, "ent"), pool(name))
            assert r.status_code == 422 and fields(r) == {"receiver"}, name
        assert not LedgerEntry.objects.exists()

    def test_another_consortiums_project_is_no_pool_here(self, world, client):
        other = project_pool(world, keys=("x",), consortium=world.b)
        client.force_login(world.users["secretariat"])
        r = _post(client, world, unit(world, "ent"), pool(other))
        assert r.status_code == 422 and fields(r) == {"receiver"}

    def test_own_pool_is_accepted(self, world, client):
        mine = project_pool(world)
        client.force_login(world.users["unit_admin"])
        r = _post(client, world, unit(world, "ent"), pool(mine))
        assert r.status_code == 201 and r.json()["confirmation"] == ""

    def test_counterparties_of_another_consortium_are_refused_without_their_names(
        self, world, client
    ):
        client.force_login(world.users["unit_admin"])
        r = _post(client, world, unit(world, "ent"), unit(world, "x"))
        assert r.status_code == 422 and fields(r) == {"receiver"}
        assert "Unit x" not in r.content.decode()
        r = _post(client, world, unit(world, "x"), unit(world, "ent"))
        assert r.status_code == 422 and fields(r) == {"giver"}
        assert "Unit x" not in r.content.decode()
        # a unit that is no member anywhere, and the secretariat too
        client.force_login(world.users["secretariat"])
        r = _post(client, world, unit(world, "outside"), unit(world, "ent"))
        assert r.status_code == 422 and fields(r) == {"giver"}
        assert "Supervising department" not in r.content.decode()
        assert not LedgerEntry.objects.exists()

    def test_the_page_refuses_a_pool_it_does_not_take_part_in(self, world, client):
        theirs = project_pool(world, keys=("school", "other"))
        client.force_login(world.users["unit_admin"])
        r = client.post(f"/consortia/{world.a.pk}/ledger/new/", {
            "date": "2025-03-01", "category": "money", "quantity": "10",
            "giver_kind": "unit", "giver_unit": world.units["ent"].pk,
            "receiver_kind": "pool", "receiver_pool": theirs,
        })  # fmt: skip
        assert r.status_code == 200 and "未参与这个资源池" in r.content.decode()  # the page's zh
        assert not LedgerEntry.objects.exists()

    def test_the_import_refuses_made_up_pools_and_strangers(self, world, client):
        from tests.transfer.test_import_export import xlsx

        theirs = project_pool(world, keys=("school", "other"))
        ent, x = world.units["ent"].credit_code, world.units["x"].credit_code
        header = ["reference", "date", "giver", "receiver", "category", "quantity"]
        client.force_login(world.users["secretariat"])
        for row in (
            ["V1", "2025-01-02", ent, "project:999999", "money", "5"],
            ["V2", "2025-01-02", ent, theirs, "money", "5"],
            ["V3", "2025-01-02", x, ent, "money", "5"],
        ):
            upload = SimpleUploadedFile("l.xlsx", xlsx([header, row]))
            r = client.post(
                f"/consortia/{world.a.pk}/import/",
                {"resource": "ledger_entries", "file": upload},
            )
            assert r.status_code == 422, row
            assert "Unit x" not in r.content.decode()
        assert not LedgerEntry.objects.exists()


class TestConfirmation:
    def test_a_flow_named_from_another_unit_waits_and_then_counts(self, world, client):
        ent, school = world.units["ent"].pk, world.units["school"].pk
        client.force_login(world.users["unit_admin"])  # ent says school gave it 12,345.67
        r = _post(client, world, unit(world, "school"), unit(world, "ent"), qty="12345.67")
        assert r.status_code == 201 and r.json()["confirmation"] == "pending"
        entry_id = r.json()["id"]
        # the giving unit's admin is told; nobody else
        notes = Notification.objects.filter(event="ledger.confirmation_requested")
        assert {n.recipient.username for n in notes} == {"school_admin"}
        # counted nowhere yet: not for the poster, not for the secretariat
        assert unit_totals(client, world).get(ent) is None
        client.force_login(world.users["secretariat"])
        assert school not in unit_totals(client, world)
        # the receiver cannot confirm its own claim; the giver's member cannot either
        client.force_login(world.users["unit_admin"])
        assert client.post(f"/api/ledger/entries/{entry_id}/confirm", "{}",
                           content_type="application/json").status_code == 403  # fmt: skip
        client.force_login(world.users["nobody"])
        assert client.post(f"/api/ledger/entries/{entry_id}/confirm", "{}",
                           content_type="application/json").status_code == 404  # fmt: skip
        before = LedgerEntry.objects.filter(pk=entry_id).values().get()
        client.force_login(world.users["school_admin"])
        r = client.post(f"/api/ledger/entries/{entry_id}/confirm", '{"note": "yes"}',
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 201 and r.json()["decision"] == "confirmed"
        assert r.json()["decided_by_name"] == "school_admin"
        # the entry itself is untouched; the answer is its own audited record
        assert LedgerEntry.objects.filter(pk=entry_id).values().get() == before
        audit = AuditEntry.objects.get(event_type=561)
        assert audit.related_object_id == entry_id and audit.unit_id == school
        assert audit.after["decision"] == "confirmed"
        # now it counts, exactly
        client.force_login(world.users["secretariat"])
        totals = unit_totals(client, world)
        assert tuple(map(Decimal, totals[school])) == (Decimal("12345.67"), 0)
        assert tuple(map(Decimal, totals[ent])) == (0, Decimal("12345.67"))
        # once only
        client.force_login(world.users["school_admin"])
        r = client.post(f"/api/ledger/entries/{entry_id}/decline", "{}",
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 422
        assert EntryConfirmation.objects.count() == 1

    def test_declined_flows_never_count_and_are_listed_apart(self, world, client):
        client.force_login(world.users["unit_admin"])
        entry_id = _post(client, world, unit(world, "school"), unit(world, "ent")).json()["id"]
        client.force_login(world.users["secretariat"])
        r = client.post(f"/api/ledger/entries/{entry_id}/decline", '{"note": "never happened"}',
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 201 and r.json()["decision"] == "declined"
        assert AuditEntry.objects.filter(event_type=562).count() == 1
        assert unit_totals(client, world) == {}
        r = client.get(f"/api/ledger/entries?consortium={world.a.pk}&confirmation=declined")
        assert [e["id"] for e in r.json()["items"]] == [entry_id]
        r = client.get(f"/api/ledger/entries?consortium={world.a.pk}&confirmation=counted")
        assert r.json()["count"] == 0

    def test_own_gifts_secretariat_and_system_postings_count_at_once(self, world, client):
        from gongsheng.access.actors import SYSTEM
        from gongsheng.ledger.services import Party, entry_create

        client.force_login(world.users["unit_admin"])
        assert (
            _post(client, world, unit(world, "ent"), unit(world, "school")).json()["confirmation"]
            == ""
        )
        client.force_login(world.users["secretariat"])
        assert (
            _post(client, world, unit(world, "school"), unit(world, "ent")).json()["confirmation"]
            == ""
        )
        import datetime as dt

        entry_create(
            actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(2025, 3, 1), category="money",
            quantity=Decimal(1), giver=Party.unit(world.units["gov"].pk),
            receiver=Party.unit(world.units["ent"].pk),
        )  # fmt: skip
        assert not LedgerEntry.objects.filter(pending=True).exists()
        assert not Notification.objects.filter(event="ledger.confirmation_requested").exists()

    def test_the_pages_show_pending_flows_apart_and_confirm_them(self, world, client):
        client.force_login(world.users["unit_admin"])
        r = client.post(f"/consortia/{world.a.pk}/ledger/new/", {
            "date": "2025-03-01", "category": "money", "quantity": "77",
            "giver_kind": "unit", "giver_unit": world.units["school"].pk,
            "receiver_kind": "unit", "receiver_unit": world.units["ent"].pk,
        })  # fmt: skip
        assert r.status_code == 302
        entry = LedgerEntry.objects.get()
        assert entry.pending
        client.force_login(world.users["school_admin"])
        page = client.get(f"/consortia/{world.a.pk}/ledger/").content.decode()
        pending, _sep, table = page.partition('id="entry-table"')
        assert f"/ledger/entries/{entry.pk}/answer/" in pending
        assert f"/ledger/entries/{entry.pk}/" not in table  # not among the counted entries
        r = client.post(f"/ledger/entries/{entry.pk}/answer/", {"decision": "confirm"})
        assert r.status_code == 302
        assert EntryConfirmation.objects.get().decision == "confirmed"
        page = client.get(f"/consortia/{world.a.pk}/ledger/").content.decode()
        assert 'id="pending"' not in page and f"/ledger/entries/{entry.pk}/" in page
        detail = client.get(f"/ledger/entries/{entry.pk}/").content.decode()
        assert 'id="confirmation"' in detail and "school_admin" in detail


def test_an_unknown_confirmation_state_is_a_clear_error(world, client):
    client.force_login(world.users["secretariat"])
    r = client.get(f"/api/ledger/entries?consortium={world.a.pk}&confirmation=bogus")
    assert r.status_code == 422 and fields(r) == {"confirmation"}
    r = client.get(f"/consortia/{world.a.pk}/ledger/?confirmation=bogus")
    assert r.status_code < 500


def test_who_sees_an_answer(world, client):
    """The answer is seen by those who see the entry (secretariat, supervisors, the parties'
    users); nobody changes it (rules of ``EntryConfirmationPolicy``)."""
    from gongsheng.access.scope import scope

    client.force_login(world.users["unit_admin"])  # ent says school gave it
    entry_id = _post(client, world, unit(world, "school"), unit(world, "ent")).json()["id"]
    client.force_login(world.users["school_admin"])
    client.post(f"/api/ledger/entries/{entry_id}/confirm", "{}", content_type="application/json")
    answer = EntryConfirmation.objects.get()
    seen = {
        role
        for role, user in world.users.items()
        if scope(user, EntryConfirmation.objects.filter(pk=answer.pk), "view").exists()
    }
    assert seen == {"admin", "secretariat", "supervisor", "unit_admin", "unit_member",
                    "school_admin"}  # fmt: skip
    changers = {
        role
        for role, user in world.users.items()
        if scope(user, EntryConfirmation.objects.filter(pk=answer.pk), "change").exists()
    }
    assert changers == {"admin"}  # platform admins pass scope; the model refuses edits
    with pytest.raises(PermissionError):
        answer.save()
    with pytest.raises(PermissionError):
        EntryConfirmation.objects.all().delete()
