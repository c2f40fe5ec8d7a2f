"""Every write leaves exactly the audit entries it should, with before/after snapshots, in
the same transaction; entries can never be edited; they are kept at least 180 days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.audit.services import audit_prune, audit_record
from gongsheng.consortia import services
from gongsheng.core.context import request_scope
from gongsheng.core.errors import ValidationFailed


def _new_entries(since: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=since).order_by("pk"))


def _last() -> int:
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


class TestServicesWriteAudit:
    def test_unit_update_records_before_and_after(self, world):
        sec = world.users["secretariat"]
        unit = world.units["ent"]
        mark = _last()
        with request_scope() as rid:
            services.unit_update(actor=sec, unit_id=unit.pk, version=unit.version, city="滨江市")
        (entry,) = _new_entries(mark)
        assert entry.event_type == EventType.UNIT_CHANGED
        assert entry.action == "update"
        assert entry.actor == sec and entry.actor_name == "secretariat"
        assert entry.request_id == rid
        assert entry.before["city"] == "" and entry.after["city"] == "滨江市"
        assert entry.before["version"] + 1 == entry.after["version"]
        assert [f for f, _, _ in entry.changed_fields()] == ["city", "updated_at", "version"]

    def test_no_change_writes_nothing(self, world):
        unit = world.units["ent"]
        mark = _last()
        services.unit_update(
            actor=world.users["secretariat"], unit_id=unit.pk, version=unit.version, name=unit.name
        )
        assert _new_entries(mark) == []

    def test_membership_lifecycle_events_in_order(self, world):
        sec = world.users["secretariat"]
        m = world.memberships["other"]
        mark = _last()
        services.membership_update(actor=sec, membership_id=m.pk, version=m.version, rank="council")
        services.membership_transition(
            actor=sec, membership_id=m.pk, to_status="withdrawn", on=dt.date(2025, 5, 1)
        )
        services.membership_transition(actor=sec, membership_id=m.pk, to_status="applied")
        services.membership_transition(actor=sec, membership_id=m.pk, to_status="admitted")
        events = [e.event_type for e in _new_entries(mark)]
        assert events == [
            EventType.MEMBERSHIP_CHANGED,
            EventType.MEMBERSHIP_WITHDRAWN,
            EventType.MEMBERSHIP_APPLIED,
            EventType.MEMBERSHIP_ADMITTED,
        ]
        kinds = list(m.events.order_by("id").values_list("kind", flat=True))
        assert kinds[-4:] == ["rank_changed", "withdrawn", "applied", "admitted"]

    def test_failed_write_leaves_no_entry(self, world):
        mark = _last()
        with pytest.raises(ValidationFailed):
            services.unit_update(
                actor=world.users["secretariat"],
                unit_id=world.units["ent"].pk,
                version=None,
                credit_code="123",
            )
        assert _new_entries(mark) == []

    def test_contact_entries_are_confidential(self, world):
        mark = _last()
        services.contact_update(
            actor=world.users["unit_admin"],
            contact_id=world.contacts["ent"].pk,
            version=None,
            phone="0000-2",
        )
        (entry,) = _new_entries(mark)
        assert entry.confidential and entry.unit_id == world.units["ent"].pk
        assert entry.related_object_id == world.units["ent"].pk

    def test_role_grant_and_token_are_audited(self, world):
        from gongsheng.access.services import token_create, token_revoke

        mark = _last()
        token, raw = token_create(
            actor=world.users["observer"], user=world.users["observer"], name="t"
        )
        token_revoke(actor=world.users["observer"], token_id=token.pk)
        events = [e.event_type for e in _new_entries(mark)]
        assert events == [EventType.TOKEN_CREATED, EventType.TOKEN_REVOKED]
        assert all("key_hash" not in (e.after or {}) for e in _new_entries(mark))
        assert raw not in str([e.after for e in _new_entries(mark)])


class TestAuditIsImmutable:
    def test_entries_cannot_be_edited_or_deleted(self, world):
        entry = AuditEntry.objects.first()
        entry.message = "tampered"
        with pytest.raises(PermissionError):
            entry.save()
        with pytest.raises(PermissionError):
            entry.delete()
        with pytest.raises(PermissionError):
            AuditEntry.objects.all().delete()
        with pytest.raises(PermissionError):
            AuditEntry.objects.all().update(message="x")

    def test_record_outside_a_transaction_is_refused(self, transactional_db):
        with pytest.raises(RuntimeError):
            audit_record(actor=SYSTEM, event=EventType.UNIT_CHANGED, action="update")

    def test_no_actor_is_refused_and_the_system_is_named(self, world):
        before = AuditEntry.objects.count()
        with transaction.atomic(), pytest.raises(TypeError, match="SYSTEM"):
            audit_record(actor=None, event=EventType.UNIT_CHANGED, action="update")
        assert AuditEntry.objects.count() == before
        with transaction.atomic():
            entry = audit_record(actor=SYSTEM, event=EventType.UNIT_CHANGED, action="update")
        assert (entry.actor_id, entry.actor_name) == (None, "system")
        user = world.users["secretariat"]
        with transaction.atomic():
            entry = audit_record(actor=user, event=EventType.UNIT_CHANGED, action="update")
        assert (entry.actor_id, entry.actor_name) == (user.pk, user.username)

    def test_system_actor_reaches_everything_and_is_one_object(self, world):
        import pickle

        from gongsheng.access.actors import SystemActor, is_system
        from gongsheng.access.scope import can
        from gongsheng.consortia.models import Unit

        assert SystemActor() is SYSTEM and pickle.loads(pickle.dumps(SYSTEM)) is SYSTEM
        assert is_system(SYSTEM) and not is_system(None)
        assert not is_system(world.users["secretariat"])
        assert can(SYSTEM, "change", world.units["other"])
        assert can(SYSTEM, "delete", Unit, consortium_id=world.b.pk)

    def test_prune_keeps_at_least_180_days(self, world):
        with pytest.raises(ValueError, match="180"):
            audit_prune(actor=SYSTEM, older_than_days=179)
        before = AuditEntry.objects.count()
        assert audit_prune(actor=SYSTEM, older_than_days=180) == 0
        assert AuditEntry.objects.count() == before + 1  # the prune itself is recorded

    def test_prune_removes_only_old_entries(self, world):
        from tests.audit.test_chain import backdate

        with transaction.atomic():
            old = audit_record(actor=SYSTEM, event=EventType.UNIT_CHANGED, action="update")
        with transaction.atomic():
            kept = audit_record(actor=SYSTEM, event=EventType.UNIT_CHANGED, action="update")
        # make the platform chain old up to `old`, as time would (entries age in order)
        aged = list(
            AuditEntry.objects.filter(chain=0, seq__lte=old.seq).values_list("pk", flat=True)
        )
        backdate(aged, days=400)
        assert audit_prune(actor=SYSTEM, older_than_days=365) == len(aged)
        assert not AuditEntry.objects.filter(pk=old.pk).exists()
        assert AuditEntry.objects.filter(pk=kept.pk).exists()
