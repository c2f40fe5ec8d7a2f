"""Access matrix of the policy register: role × record (consortium A, one aimed at the user's
own unit, another unit's, consortium B) × view / change / delete; pages and API agree."""

from __future__ import annotations

import pytest

from gongsheng.access.scope import scope
from gongsheng.core.errors import Forbidden, NotFound
from gongsheng.environment import selectors
from gongsheng.environment.models import PublicPolicy
from tests.environment.support import make_policy

pytestmark = pytest.mark.django_db

ROLES = [
    "admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member",
    "school_admin", "other_consortium", "nobody",
]  # fmt: skip


@pytest.fixture
def records(world):
    return {
        "own": make_policy(world, title="own", target_unit_ids=[world.units["ent"].pk]),
        "other": make_policy(world, title="other", target_unit_ids=[world.units["other"].pk]),
        "b": make_policy(world, consortium=world.b, title="b", target_groups=["school"]),
    }


A = {"own", "other"}
VIEW = {
    "admin": A | {"b"},
    "secretariat": A,
    "supervisor": A,
    "observer": A,
    "unit_admin": A,  # public documents: the whole register, not only the own unit's
    "unit_member": A,
    "school_admin": A,
    "other_consortium": {"b"},
    "nobody": set(),
}
CHANGE = {
    "admin": A | {"b"},
    "secretariat": A,
    "supervisor": A,
    "observer": set(),
    "unit_admin": set(),
    "unit_member": set(),
    "school_admin": set(),
    "other_consortium": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_matrix(world, records, role):
    user = world.users[role]
    names = {v.pk: k for k, v in records.items()}
    for action, expected in (("view", VIEW), ("change", CHANGE), ("delete", CHANGE)):
        got = {names[pk] for pk in scope(user, PublicPolicy.objects.all(), action).values_list(
            "pk", flat=True)}  # fmt: skip
        assert got == expected[role], (role, action)
    listed = {p.title for p in selectors.policy_list(user=user)}
    assert listed == VIEW[role]


@pytest.mark.parametrize("role", ROLES)
def test_get_answers_not_found_or_forbidden(world, records, role):
    user = world.users[role]
    for name, policy in records.items():
        if name not in VIEW[role]:
            with pytest.raises(NotFound):
                selectors.policy_get(user=user, policy_id=policy.pk)
            continue
        assert selectors.policy_get(user=user, policy_id=policy.pk).pk == policy.pk
        if name in CHANGE[role]:
            selectors.policy_get(user=user, policy_id=policy.pk, action="change")
        else:
            with pytest.raises(Forbidden):
                selectors.policy_get(user=user, policy_id=policy.pk, action="change")


@pytest.mark.parametrize("role", ROLES)
def test_pages_and_api_follow_the_matrix(world, records, client, role):
    client.force_login(world.users[role])
    for name, policy in records.items():
        page = client.get(f"/policies/{policy.pk}/")
        api = client.get(f"/api/policies/{policy.pk}")
        want = 200 if name in VIEW[role] else 404
        assert (page.status_code, api.status_code) == (want, want), (role, name)
        edit = client.get(f"/policies/{policy.pk}/edit/")
        want_edit = 200 if name in CHANGE[role] else (403 if name in VIEW[role] else 404)
        assert edit.status_code == want_edit, (role, name)
    create = client.get(f"/consortia/{world.a.pk}/policies/new/")
    may_add = role in ("admin", "secretariat", "supervisor")
    assert create.status_code == (200 if may_add else (404 if role in ("other_consortium",
                                                                       "nobody") else 403))  # fmt: skip
