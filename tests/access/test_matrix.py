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


# --- the named moves: can(user, move, record or model) --------------------------------------
# (record, move) -> who may, in the order of ROLES ("x" may, "." may not)
MOVES: dict[tuple[str, str], str] = {
    #                                     adm sec sup obs uad umb sad oth nob
    ("membership own", "admit"):         "x" "x" "." "." "." "." "." "." ".",
    ("membership own", "expel"):         "x" "x" "." "." "." "." "." "." ".",
    ("membership other-c", "withdraw"):  "x" "." "." "." "." "." "." "." ".",
    ("alert own", "acknowledge"):        "x" "x" "." "." "." "." "." "." ".",
    ("alert other-c", "acknowledge"):    "x" "." "." "." "." "." "." "." ".",
    ("booking ent hosts", "approve"):    "x" "x" "." "." "x" "x" "." "." ".",
    ("booking ent hosts", "reject"):     "x" "x" "." "." "x" "x" "." "." ".",
    ("booking ent hosts", "cancel_late"): "x" "x" "." "." "x" "x" "." "." ".",
    ("entry ent→school", "reverse"):     "x" "x" "." "." "." "." "." "." ".",
    ("entry ent→school", "correct"):     "x" "x" "." "." "." "." "." "." ".",
    ("entry ent→school", "attach"): "x" "x" "." "." "x" "." "x" "." ".",
    ("entry ent→school", "confirm"):     "x" "x" "." "." "x" "." "." "." ".",
    ("new entry in A", "add"):           "x" "x" "." "." "x" "." "x" "." ".",
    ("new diagnosis in A", "refresh"):   "x" "x" "." "." "." "." "." "." ".",
    ("diagnosis settings of A", "change"): "x" "x" "." "." "." "." "." "." ".",
    ("new study in A", "add"):           "x" "x" "." "." "." "." "." "." ".",
    ("new consortium", "add"):           "x" "." "x" "." "." "." "." "." ".",  # issue 13: supervisors found consortia
    ("new platform valuation rule", "add"): "x" "." "." "." "." "." "." "." ".",
    ("new valuation rule in A", "add"):  "x" "x" "." "." "." "." "." "." ".",
    ("person of ent in A", "deactivate"): "x" "x" "." "." "x" "." "." "." ".",
    ("person of ent in A", "reactivate"): "x" "x" "." "." "x" "." "." "." ".",
    ("person of x in B", "deactivate"):  "x" "." "." "." "." "." "." "x" ".",
    ("roles in A", "manage"):            "x" "x" "." "." "x" "." "x" "." ".",
    ("roles in B", "manage"):            "x" "." "." "." "." "." "." "x" ".",
}  # fmt: skip


def _move_targets(world):
    import datetime as dt

    from gongsheng.access.actors import SYSTEM
    from gongsheng.access.models import RoleAssignment
    from gongsheng.consortia.models import Consortium
    from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings
    from gongsheng.distribution.models import Study
    from gongsheng.ledger.models import LedgerEntry, ValuationRule
    from gongsheng.ledger.services import Party, entry_create
    from gongsheng.sharing.services import booking_create
    from tests.sharing.support import at, make_resource, next_weekday

    resource = make_resource(world, owner="ent")
    day = next_weekday(2)
    booking = booking_create(
        actor=SYSTEM,
        resource_id=resource.pk,
        unit_id=world.units["school"].pk,
        start=at(day, 9),
        end=at(day, 11),
    )
    entry = entry_create(
        actor=SYSTEM,
        consortium_id=world.a.pk,
        date=dt.date(2025, 3, 1),
        category="money",
        quantity=10,
        giver=Party.unit(world.units["ent"].pk),
        receiver=Party.unit(world.units["school"].pk),
    )
    a = {"consortium_id": world.a.pk}
    records = _records(world)
    return {
        **{k: (v, {}) for k, v in records.items()},
        "booking ent hosts": (booking, {}),
        "entry ent→school": (entry, {}),
        "new entry in A": (LedgerEntry, a),
        "new diagnosis in A": (DiagnosisResult, a),
        "diagnosis settings of A": (DiagnosisSettings, a),
        "new study in A": (Study, a),
        "new consortium": (Consortium, {}),
        "new platform valuation rule": (ValuationRule, {"consortium_id": None}),
        "new valuation rule in A": (ValuationRule, a),
        "person of ent in A": (_person(world, "ent", world.a), {}),
        "person of x in B": (_person(world, "x", world.b), {}),
        "roles in A": (RoleAssignment, a),
        "roles in B": (RoleAssignment, {"consortium_id": world.b.pk}),
    }


def _person(world, unit, consortium):
    from gongsheng.access.roles import Role
    from tests.support.world import make_user

    return make_user(f"person_{unit}", world.units[unit], [(Role.UNIT_MEMBER, consortium)])


def test_named_moves_matrix(world):
    """Every named move the pages and services ask, answered by the model's policy."""
    from gongsheng.access.actors import SYSTEM
    from gongsheng.access.scope import can

    targets = _move_targets(world)
    mismatches = []
    for (record, move), expected in MOVES.items():
        target, where = targets[record]
        got = "".join(
            "x" if can(world.users[role], move, target, **where) else "." for role in ROLES
        )
        if got != expected:
            mismatches.append(f"{record} / {move}: expected {expected}, got {got}")
        assert can(SYSTEM, move, target, **where), (record, move)  # the system may do anything
    assert not mismatches, "\n".join(mismatches)


def test_the_approval_queue_is_the_approve_move(world):
    from gongsheng.sharing.selectors import approval_queue

    targets = _move_targets(world)
    booking = targets["booking ent hosts"][0]
    for role, may in zip(ROLES, MOVES[("booking ent hosts", "approve")], strict=True):
        queue = approval_queue(user=world.users[role], consortium_id=world.a.pk)
        assert (booking in queue) == (may == "x"), role
