"""``can(user, action, target)``: one question for buttons, forms and services — stored records,
models (a record not yet made) and the named moves a policy declares."""

from __future__ import annotations

import pytest

from gongsheng.access import policies
from gongsheng.access.scope import can, scope
from gongsheng.consortia.models import Contact, Unit

pytestmark = pytest.mark.db


@pytest.fixture
def contact_moves():
    """Give the contact policy two named moves for the length of a test."""
    policy = policies.policy_for(Contact)
    saved = policy.moves
    policy.moves = {"archive": "change", "vouch": "view"}
    yield policy
    policy.moves = saved


def test_stored_record_and_model_class(world):
    u = world.users
    own = world.contacts["ent"]
    # stored rows: the row's own rule
    assert can(u["unit_admin"], "change", own)
    assert not can(u["unit_member"], "change", own)
    assert not can(u["other_consortium"], "view", own)
    # a record not yet made: the policy's add rule against its consortium and owner
    assert can(u["unit_admin"], "add", Unit, consortium_id=world.a.pk, owner_id=own.unit_id)
    assert can(u["secretariat"], "add", Contact, consortium_id=world.a.pk, owner_id=own.unit_id)
    assert not can(u["observer"], "add", Contact, consortium_id=world.a.pk, owner_id=own.unit_id)
    assert not can(u["secretariat"], "add", Contact, consortium_id=world.b.pk)
    # an unsaved instance gives its own owner
    new = Contact(unit_id=world.units["other"].pk, name="new")
    assert can(u["secretariat"], "add", new, consortium_id=world.a.pk)
    assert not can(u["unit_admin"], "add", new, consortium_id=world.a.pk)
    assert not can(None, "view", own)


def test_named_moves_follow_their_base_rule(world, contact_moves):
    u = world.users
    own = world.contacts["ent"]
    assert contact_moves.actions()[-2:] == ("archive", "vouch")
    assert can(u["unit_admin"], "archive", own)  # change rule: own unit's admin
    assert not can(u["unit_member"], "archive", own)
    assert can(u["unit_member"], "vouch", own)  # view rule
    assert can(u["admin"], "archive", own)
    qs = scope(u["secretariat"], Contact.objects.all(), "archive")
    assert set(qs.values_list("pk", flat=True)) == {
        world.contacts["ent"].pk,
        world.contacts["other"].pk,
    }


def test_unknown_action_is_an_error_not_a_no(world):
    with pytest.raises(ValueError, match="unknown action 'archive'"):
        can(world.users["secretariat"], "archive", world.contacts["ent"])
    with pytest.raises(ValueError, match="unknown action"):
        scope(world.users["admin"], Contact.objects.all(), "approve")
