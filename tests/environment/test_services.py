"""Services of the policy register: bad input names every field and writes nothing, versions
refuse stale edits, every write leaves exactly its audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.attachments.models import Attachment
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongsheng.environment import services
from gongsheng.environment.models import PublicPolicy
from tests.environment.support import make_policy

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 minimal"


def _events(policy_id=None):
    qs = AuditEntry.objects.filter(event_type__gte=1000, event_type__lt=1100).order_by("id")
    if policy_id is not None:
        qs = qs.filter(object_id=policy_id)
    return [e.event_name for e in qs]


def test_create_writes_the_policy_its_units_and_one_audit_entry(world):
    p = make_policy(
        world, actor=world.users["secretariat"], target_groups="school, enterprise",
        target_unit_ids=[world.units["ent"].pk], amount="6000.5",
    )  # fmt: skip
    p.refresh_from_db()
    assert p.version == 1 and p.groups == ["school", "enterprise"]
    assert p.amount == Decimal("6000.50")
    assert [u.pk for u in p.target_units.all()] == [world.units["ent"].pk]
    entry = AuditEntry.objects.get(object_id=p.pk, event_type=EventType.PUBLIC_POLICY_CREATED)
    assert entry.consortium_id == world.a.pk and entry.actor_name == "secretariat"
    assert entry.after["target_units"] == [world.units["ent"].pk]
    assert entry.after["title"] == "Apprenticeship subsidy"


def test_bad_input_names_every_field_and_writes_nothing(world):
    with pytest.raises(ValidationFailed) as exc:
        make_policy(
            world, title="", level="galactic", target_groups=[], effective_from=dt.date(2025, 1, 1),
            effective_to=dt.date(2024, 1, 1), amount_basis="percentage", amount="150",
            classification="negative", classification_reason="",
        )  # fmt: skip
    fields = {e.field for e in exc.value.errors}
    assert {"title", "level", "target_groups", "effective_to", "amount",
            "classification_reason"} <= fields  # fmt: skip
    assert not PublicPolicy.objects.exists() and _events() == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"target_groups": ["schools", "aliens"]}, "target_groups"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"quantity": "3"}, "quantity"),  # per_year takes no quantity
        ({"amount_basis": "per_student", "quantity": "-1"}, "quantity"),
        ({"kind": "magic"}, "kind"),
        ({"effective_from": None}, "effective_from"),
    ],
)
def test_each_bad_field_is_named(world, data, field):
    with pytest.raises(ValidationFailed) as exc:
        make_policy(world, **data)
    assert field in {e.field for e in exc.value.errors}
    assert not PublicPolicy.objects.exists()


def test_target_units_must_be_members_of_the_consortium(world):
    with pytest.raises(ValidationFailed) as exc:
        make_policy(world, target_unit_ids=[world.units["x"].pk])
    assert exc.value.errors[0].field == "target_units"
    assert str(world.units["x"].pk) in exc.value.errors[0].message


def test_update_bumps_the_version_and_refuses_a_stale_one(world):
    p = make_policy(world)
    sec = world.users["secretariat"]
    p2 = services.policy_update(actor=sec, policy_id=p.pk, version=1, amount="200000")
    assert p2.version == 2 and p2.amount == Decimal("200000")
    with pytest.raises(Conflict):
        services.policy_update(actor=sec, policy_id=p.pk, version=1, title="stale")
    p.refresh_from_db()
    assert p.title == "Apprenticeship subsidy" and p.version == 2
    assert _events(p.pk) == ["PUBLIC_POLICY_CREATED", "PUBLIC_POLICY_CHANGED"]
    changed = AuditEntry.objects.get(event_type=EventType.PUBLIC_POLICY_CHANGED)
    assert changed.before["amount"] == "100000.00" and changed.after["amount"] == "200000"


def test_an_update_that_changes_nothing_writes_nothing(world):
    p = make_policy(world, target_unit_ids=[world.units["ent"].pk])
    same = services.policy_update(
        actor=SYSTEM, policy_id=p.pk, version=1, title=p.title, target_groups=["enterprise"],
        target_unit_ids=[world.units["ent"].pk],
    )  # fmt: skip
    assert same.version == 1 and _events(p.pk) == ["PUBLIC_POLICY_CREATED"]


def test_changing_only_the_target_units_is_a_change(world):
    p = make_policy(world)
    p2 = services.policy_update(
        actor=SYSTEM, policy_id=p.pk, version=1, target_unit_ids=[world.units["school"].pk]
    )
    assert p2.version == 2
    entry = AuditEntry.objects.get(event_type=EventType.PUBLIC_POLICY_CHANGED)
    assert entry.before["target_units"] == [] and entry.after["target_units"] == [
        world.units["school"].pk
    ]


def test_a_bad_update_changes_nothing(world):
    p = make_policy(world)
    with pytest.raises(ValidationFailed):
        services.policy_update(
            actor=SYSTEM, policy_id=p.pk, version=1, effective_to=dt.date(2020, 1, 1)
        )
    p.refresh_from_db()
    assert p.effective_to is None and p.version == 1


def test_withdraw_keeps_the_policy_and_ends_its_force(world):
    p = make_policy(world)
    sup = world.users["supervisor"]
    p2 = services.policy_withdraw(
        actor=sup, policy_id=p.pk, version=1, on=dt.date(2025, 7, 1), reason="replaced"
    )
    assert p2.withdrawn_on == dt.date(2025, 7, 1) and p2.version == 2
    assert "replaced" in p2.notes
    assert p2.in_force_in(2025) and not p2.in_force_in(2026)
    with pytest.raises(ValidationFailed):
        services.policy_withdraw(actor=sup, policy_id=p.pk, version=2, on=dt.date(2025, 8, 1))
    assert _events(p.pk) == ["PUBLIC_POLICY_CREATED", "PUBLIC_POLICY_WITHDRAWN"]


def test_delete_checks_the_version_and_leaves_an_audit_entry(world):
    p = make_policy(world, target_unit_ids=[world.units["ent"].pk])
    sec = world.users["secretariat"]
    with pytest.raises(Conflict):
        services.policy_delete(actor=sec, policy_id=p.pk, version=7)
    services.policy_delete(actor=sec, policy_id=p.pk, version=1)
    assert not PublicPolicy.objects.exists()
    entry = AuditEntry.objects.get(event_type=EventType.PUBLIC_POLICY_DELETED)
    assert entry.object_id == p.pk and entry.before["title"] == p.title


def test_members_and_outsiders_may_not_write(world):
    p = make_policy(world)
    for role in ("unit_admin", "unit_member", "observer", "school_admin"):
        with pytest.raises(Forbidden):
            services.policy_update(actor=world.users[role], policy_id=p.pk, version=None, title="x")
    with pytest.raises(NotFound):
        services.policy_update(
            actor=world.users["other_consortium"], policy_id=p.pk, version=None, title="x"
        )
    with pytest.raises(Forbidden):
        make_policy(world, actor=world.users["unit_admin"])
    with pytest.raises(Forbidden):  # the secretariat of A cannot record into B
        make_policy(world, consortium=world.b, actor=world.users["secretariat"])
    assert PublicPolicy.objects.count() == 1


def test_evidence_is_checked_and_stored(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = make_policy(world)
    sec = world.users["secretariat"]
    with pytest.raises(ValidationFailed):
        services.policy_evidence_set(actor=sec, policy_id=p.pk, name="a.exe", data=b"MZ")
    with pytest.raises(ValidationFailed):
        services.policy_evidence_set(actor=sec, policy_id=p.pk, name="a.pdf", data=b"nope")
    p2 = services.policy_evidence_set(
        actor=sec, policy_id=p.pk, name="dir/政策.pdf", data=PDF, version=1
    )
    assert p2.version == 2
    [doc] = Attachment.objects.filter(object_id=p.pk, removed_at__isnull=True)
    assert doc.name == "政策.pdf" and doc.purpose == "evidence" and doc.file.read() == PDF
    assert _events(p.pk) == ["PUBLIC_POLICY_CREATED", "PUBLIC_POLICY_EVIDENCE_SET"]
    # a new document replaces it: the first is taken off (kept), both audited
    services.policy_evidence_set(actor=sec, policy_id=p.pk, name="新.pdf", data=PDF, version=2)
    assert [a.name for a in Attachment.objects.filter(removed_at__isnull=True)] == ["新.pdf"]
    assert Attachment.objects.get(pk=doc.pk).removed_at is not None
    kinds = AuditEntry.objects.filter(event_type__in=[1501, 1502]).values_list(
        "event_type", flat=True
    )
    assert sorted(kinds) == [1501, 1501, 1502]
