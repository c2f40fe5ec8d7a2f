"""``record_written`` writes the entry a service's write used to spell out by hand, and
``check_saved`` leaves the system actor unscoped."""

from __future__ import annotations

import pytest
from django.db import transaction

from gongsheng.access.actors import SYSTEM
from gongsheng.access.scope import check_saved
from gongsheng.audit.models import Action, AuditEntry, EventType
from gongsheng.audit.services import record_written, snapshot
from gongsheng.core.errors import Forbidden


def test_defaults_create_snapshot_and_the_records_consortium(world):
    membership = world.memberships["other"]
    with transaction.atomic():
        entry = record_written(
            world.users["secretariat"], membership, EventType.MEMBERSHIP_ADMITTED
        )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.action == "create"
    assert entry.before is None
    assert entry.after == snapshot(membership)
    assert entry.consortium_id == membership.consortium_id
    assert entry.object_id == membership.pk


def test_a_before_makes_it_an_update_and_given_values_win(world):
    membership = world.memberships["other"]
    with transaction.atomic():
        entry = record_written(
            SYSTEM, membership, EventType.MEMBERSHIP_CHANGED, before={"rank": "member"},
            after=None, consortium_id=None, unit_id=membership.unit_id, message="why",
        )  # fmt: skip
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.action == "update" and entry.actor_name == "system"
    assert entry.before == {"rank": "member"} and entry.after is None
    assert entry.consortium_id is None and entry.unit_id == membership.unit_id
    assert entry.message == "why"
    with transaction.atomic():
        revoked = record_written(SYSTEM, membership, EventType.MEMBERSHIP_CHANGED, Action.REVOKE)
    assert AuditEntry.objects.get(pk=revoked.pk).action == "revoke"


def test_check_saved_scopes_people_but_not_the_system(world, django_assert_num_queries):
    other_unit = world.units["other"]
    with django_assert_num_queries(0):  # the system is not scoped: nothing to ask
        check_saved(SYSTEM, [other_unit], "change")
    check_saved(world.users["unit_admin"], [world.units["ent"]], "change")
    with pytest.raises(Forbidden):
        check_saved(world.users["unit_admin"], [other_unit], "change")
