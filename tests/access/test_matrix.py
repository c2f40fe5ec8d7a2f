"""The access matrix: every role × every record type × own unit / other unit / other consortium.

Each cell lists what the role may do with the record: V = view (see that it exists, its parties
and public fields), C = view its contents, W = change it. Any difference from the table is a
leak or a lock-out, and fails.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from gongsheng.access.scope import scope
from gongsheng.audit.models import AuditEntry
from gongsheng.consortia.models import Consortium, Contact, Membership, Unit

ROLES = [
    "admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member",
    "school_admin", "other_consortium", "nobody",
]  # fmt: skip

# record -> expected per role, in the order of ROLES
MATRIX: dict[str, list[str]] = {
    #                     admin  sec    sup   obs   uadm   umem  sadm  othc   nobody
    "consortium A":      ["VCW", "VCW", "VC", "VC", "VC",  "VC", "VC", "",    ""],
    "consortium B":      ["VCW", "",    "",   "",   "",    "",   "",   "VC",  ""],
    "unit own":          ["VCW", "VCW", "VC", "VC", "VCW", "VC", "VC", "",    ""],
    "unit other":        ["VCW", "VCW", "VC", "VC", "VC",  "VC", "VC", "",    ""],
    "unit other-c":      ["VCW", "",    "",   "",   "",    "",   "",   "VCW", ""],
    "contact own":       ["VCW", "VCW", "",   "",   "VCW", "VC", "",   "",    ""],
    "contact other":     ["VCW", "VCW", "",   "",   "",    "",   "",   "",    ""],
    "contact other-c":   ["VCW", "",    "",   "",   "",    "",   "",   "VCW", ""],
    "membership own":    ["VCW", "VCW", "VC", "VC", "VC",  "VC", "VC", "",    ""],
    "membership other":  ["VCW", "VCW", "VC", "VC", "VC",  "VC", "VC", "",    ""],
    "membership other-c": ["VCW", "",   "",   "",   "",    "",   "",   "VC",  ""],
    "alert own":         ["VCW", "VCW", "VC", "",   "VC",  "VC", "",   "",    ""],
    "alert other-c":     ["VCW", "",    "",   "",   "",    "",   "",   "VC",  ""],
    "audit unit own":    ["VCW", "VC",  "VC", "",   "VC",  "",   "",   "",    ""],
    "audit contact own": ["VCW", "VC",  "V",  "",   "VC",  "",   "",   "",    ""],
    "audit other-c":     ["VCW", "",    "",   "",   "",    "",   "",   "VC",  ""],
}  # fmt: skip


def _audit_entry(model, obj_pk):
    ct = ContentType.objects.get_for_model(model)
    return AuditEntry.objects.filter(content_type=ct, object_id=obj_pk).order_by("pk").first()


def _records(world):
    from gongsheng.alerts.models import Alert

    return {
        "consortium A": world.a,
        "consortium B": world.b,
        "unit own": world.units["ent"],
        "unit other": world.units["other"],
        "unit other-c": world.units["x"],
        "contact own": world.contacts["ent"],
        "contact other": world.contacts["other"],
        "contact other-c": world.contacts["x"],
        "membership own": world.memberships["ent"],
        "membership other": world.memberships["other"],
        "membership other-c": world.memberships["x"],
        "alert own": world.extra["alert_ent"],
        "alert other-c": world.extra["alert_x"],
        "audit unit own": _audit_entry(Unit, world.units["ent"].pk),
        "audit contact own": _audit_entry(Contact, world.contacts["ent"].pk),
        "audit other-c": _audit_entry(Unit, world.units["x"].pk),
        "_alert_model": Alert,
    }


def _allowed(user, obj) -> str:
    model = type(obj)
    base = model._default_manager.filter(pk=obj.pk)
    out = ""
    if scope(user, base, "view").exists():
        out += "V"
    if scope(user, base, "view_contents").exists():
        out += "C"
    if model is not AuditEntry and scope(user, base, "change").exists():
        out += "W"
    if model is AuditEntry and user.username == "admin":
        out += "W"  # platform admins pass scope; the model itself refuses edits (tested apart)
    return out


@pytest.mark.parametrize("record", list(MATRIX))
def test_access_matrix(world, record):
    records = _records(world)
    obj = records[record]
    assert obj is not None, f"fixture has no {record}"
    got = [_allowed(world.users[role], obj) for role in ROLES]
    expected = MATRIX[record]
    mismatches = [
        f"{role}: expected {exp or '-'}, got {g or '-'}"
        for role, exp, g in zip(ROLES, expected, got, strict=True)
        if exp != g
    ]
    assert not mismatches, f"{record}: " + "; ".join(mismatches)


def test_lists_counts_and_exports_use_the_same_scope(world, client):
    """A list, its count and its export agree, and never include another consortium's rows."""
    from gongsheng.consortia.selectors import unit_list
    from gongsheng.transfer.resources import RowContext, get_resource

    user = world.users["other_consortium"]
    listed = set(unit_list(user=user).values_list("pk", flat=True))
    assert listed == {world.units["x"].pk}
    assert unit_list(user=user).count() == 1
    exported = get_resource("units").export_queryset(
        user, RowContext(actor=user, consortium_id=None)
    )
    assert {u.pk for u in exported} == listed
    client.force_login(user)
    body = client.get("/api/units").json()
    assert body["count"] == 1 and [u["id"] for u in body["items"]] == [world.units["x"].pk]


def test_unknown_users_and_unregistered_models_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scope(AnonymousUser(), Unit.objects.all()).exists()
    from django.contrib.sessions.models import Session

    assert not scope(world.users["secretariat"], Session.objects.all()).exists()


def test_inactive_user_sees_nothing(world):
    user = world.users["secretariat"]
    user.is_active = False
    assert not scope(user, Consortium.objects.all()).exists()


def test_secretariat_cannot_move_a_record_into_another_consortium(world):
    """Written and then checked again inside the transaction (NetBox's pattern)."""
    from gongsheng.consortia.services import membership_create
    from gongsheng.core.errors import Forbidden

    with pytest.raises(Forbidden):
        membership_create(
            actor=world.users["secretariat"],
            consortium_id=world.b.pk,
            unit_id=world.units["other"].pk,
            status="admitted",
        )
    assert not Membership.objects.filter(consortium=world.b, unit=world.units["other"]).exists()


def test_share_grant_opens_a_confidential_record_to_the_named_unit(world):
    from gongsheng.access.models import ShareGrant
    from gongsheng.access.services import share_grant, share_revoke

    contact = world.contacts["ent"]
    school = world.users["school_admin"]
    base = Contact.objects.filter(pk=contact.pk)
    assert not scope(school, base, "view_contents").exists()
    grant = share_grant(
        actor=world.users["unit_admin"], obj=contact, unit_id=world.units["school"].pk
    )
    assert scope(school, base, "view_contents").exists()
    assert not scope(school, base, "change").exists()
    assert AuditEntry.objects.filter(event_type=231, object_id=grant.pk).exists()
    share_revoke(actor=world.users["unit_admin"], grant_id=grant.pk)
    assert not ShareGrant.objects.exists()
    assert not scope(school, base, "view_contents").exists()


def test_only_a_party_may_share(world):
    from gongsheng.access.services import share_grant
    from gongsheng.core.errors import Forbidden

    with pytest.raises(Forbidden):
        share_grant(
            actor=world.users["school_admin"],
            obj=world.contacts["ent"],
            unit_id=world.units["school"].pk,
        )
