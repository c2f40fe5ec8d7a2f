"""Personal data: declared in the AppConfig (contacts' phone and e-mail), masked for users
without the policy's ``view_personal``, shown in full to the record's own unit and the
secretariat, and every full read by someone outside the unit is logged (one entry a read)."""

from __future__ import annotations

import csv
import io

import pytest

from gongsheng.access import personal
from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry
from gongsheng.consortia.models import Contact, Unit
from gongsheng.consortia.services import contact_update
from gongsheng.core.registry import personal_fields
from tests.access.test_matrix import ROLES

PHONE, EMAIL = "13812345678", "zhang@example.com"
MASKED = {"phone": "138****5678", "email": "z***@example.com"}

# who reads the own unit's contact's personal data in full, in the order of ROLES
VIEW_PERSONAL = "x" "x" "." "." "x" "x" "." "." "."  # fmt: skip


@pytest.fixture
def contact(world):
    c = world.contacts["ent"]
    return contact_update(actor=SYSTEM, contact_id=c.pk, version=None, phone=PHONE, email=EMAIL)


def _reads() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event_type=241).order_by("pk"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "861****5678"),
        ("zhang.san@example.com", "z***@example.com"),
        ("0571-1", "****11"),
        ("Zhang", "Z***"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_value(value, expected):
    assert personal.mask_value(value) == expected


def test_contacts_declare_their_personal_fields():
    assert personal_fields(Contact) == ("phone", "email")
    assert personal_fields(Unit) == ()


def test_view_personal_per_role(world, contact):
    got = "".join(
        "x" if personal.visible_ids(world.users[r], Contact, [contact.pk]) else "." for r in ROLES
    )
    assert got == VIEW_PERSONAL
    other = world.contacts["other"]  # the other unit's: only the secretariat and admins
    got = "".join(
        "x" if personal.visible_ids(world.users[r], Contact, [other.pk]) else "." for r in ROLES
    )
    assert got == "x" "x" "." "." "." "." "." "." "."  # fmt: skip


def test_a_unit_it_was_shared_with_reads_the_contact_masked(world, contact, client):
    from gongsheng.access.services import share_grant

    share_grant(actor=world.users["unit_admin"], obj=contact, unit_id=world.units["school"].pk)
    client.force_login(world.users["school_admin"])
    body = client.get(f"/api/units/{world.units['ent'].pk}/contacts").json()["items"]
    assert [(c["phone"], c["email"]) for c in body] == [(MASKED["phone"], MASKED["email"])]
    page = client.get(f"/units/{world.units['ent'].pk}/").content.decode()
    assert MASKED["phone"] in page and PHONE not in page and EMAIL not in page
    assert _reads() == []  # a masked read is no read of personal data


@pytest.mark.parametrize("role", ["unit_admin", "unit_member", "secretariat", "admin"])
def test_those_with_the_right_read_it_in_full(world, contact, client, role):
    client.force_login(world.users[role])
    body = client.get(f"/api/units/{world.units['ent'].pk}/contacts").json()["items"]
    assert [(c["phone"], c["email"]) for c in body] == [(PHONE, EMAIL)]


def test_the_unit_page_logs_a_read_by_the_secretariat_not_by_the_unit(world, contact, client):
    ent = world.units["ent"]
    client.force_login(world.users["unit_admin"])
    assert PHONE in client.get(f"/units/{ent.pk}/").content.decode()
    assert _reads() == []  # its own unit
    client.force_login(world.users["secretariat"])
    assert PHONE in client.get(f"/units/{ent.pk}/").content.decode()
    [entry] = _reads()
    assert (entry.actor_name, entry.action, entry.unit_id) == ("secretariat", "read", ent.pk)
    # written in the language of the page that read them (Chinese)
    assert entry.object_id == contact.pk and "电话、电子邮箱" in entry.message
    # the unit's admin sees who read its contacts in the audit log
    from gongsheng.access.selectors import audit_list

    assert audit_list(user=world.users["unit_admin"]).filter(pk=entry.pk).exists()
    assert not audit_list(user=world.users["school_admin"]).filter(pk=entry.pk).exists()


def test_audit_snapshots_are_masked_for_those_without_the_right(world, contact):
    from gongsheng.access.selectors import audit_contents_visible, audit_list

    def snapshot_for(role):
        entries = list(
            audit_list(user=world.users[role]).filter(
                object_id=contact.pk, content_type__model="contact", action="update"
            )
        )
        visible = audit_contents_visible(user=world.users[role], entries=entries)
        return entries[0].after if entries and entries[0].pk in visible else None

    assert snapshot_for("secretariat")["phone"] == PHONE
    assert snapshot_for("unit_admin")["email"] == EMAIL
    assert snapshot_for("supervisor") is None  # confidential: no snapshot at all
    # a reader with the snapshot but not the right (e.g. the audit page of a later role)
    entry = AuditEntry.objects.filter(object_id=contact.pk, action="update").latest("pk")
    personal.mask_entries(world.users["supervisor"], [entry])
    assert (entry.after["phone"], entry.after["email"]) == (MASKED["phone"], MASKED["email"])
    assert entry.after["name"] == contact.name  # other fields untouched
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.after["phone"] == PHONE  # the log itself keeps the full value


def test_exports_mask_and_log_through_the_declaration(world, client, monkeypatch):
    """Any model declared personal is masked in the generic exporter (units' websites here,
    declared for the test) and a full export of other units' data is logged once."""
    from django.apps import apps

    from gongsheng.consortia.services import unit_update

    config = apps.get_app_config("consortia")
    monkeypatch.setattr(config, "personal_data", {**config.personal_data, "Unit": ("website",)})
    for key in ("ent", "other"):
        unit_update(
            actor=SYSTEM, unit_id=world.units[key].pk, version=None,
            website=f"https://{key}.example.com/",
        )  # fmt: skip

    def export(role):
        client.force_login(world.users[role])
        response = client.get(f"/consortia/{world.a.pk}/units/?export=csv&lang=en")
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        return {r["Name"]: r["Website"] for r in rows}

    seen = export("observer")
    assert seen["Unit ent"] == "h***" and seen["Unit other"] == "h***"
    assert _reads() == []
    seen = export("unit_admin")
    assert seen["Unit ent"] == "https://ent.example.com/"
    assert seen["Unit other"] == "h***"
    assert _reads() == []  # only its own unit in full
    seen = export("secretariat")
    assert seen["Unit other"] == "https://other.example.com/"
    [entry] = _reads()
    assert entry.actor_name == "secretariat" and "导出 units" in entry.message  # the page: zh
