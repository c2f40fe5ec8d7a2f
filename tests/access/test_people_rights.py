"""Who may see and manage which people, asked through the pages (literal tables)."""

from __future__ import annotations

import pytest

from gongsheng.access.models import RoleAssignment, User
from gongsheng.access.roles import Role
from tests.support.world import make_user

pytestmark = pytest.mark.django_db

ALL, NONE = {"view", "grant", "revoke", "deactivate"}, set()
#: role -> (a person of unit_admin's own unit "ent", of another unit of A, of consortium B)
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),
    "supervisor": (NONE, NONE, NONE),
    "observer": (NONE, NONE, NONE),
    "unit_admin": (ALL, NONE, NONE),
    "unit_member": (NONE, NONE, NONE),
    "school_admin": (NONE, NONE, NONE),
    "other_consortium": (NONE, NONE, ALL),
    "nobody": (NONE, NONE, NONE),
}
WHERE = (("own", "ent", "a"), ("other", "other", "a"), ("b", "x", "b"))


def _targets(world):
    return {
        where: make_user(f"person_{where}", world.units[unit], [(Role.UNIT_MEMBER, getattr(world, c))])
        for where, unit, c in WHERE
    }  # fmt: skip


@pytest.mark.parametrize("role", list(RIGHTS))
def test_people_rights_by_role(world, client, role):
    targets = _targets(world)
    client.force_login(world.users[role])
    got = []
    for (where, _unit, c), person in zip(WHERE, targets.values(), strict=True):
        done = set()
        if client.get(f"/people/{person.pk}/").status_code == 200:
            done.add("view")
        consortium = getattr(world, c)
        before = RoleAssignment.objects.filter(user=person).count()
        response = client.post(
            f"/people/{person.pk}/roles/", {"consortium": consortium.pk, "role": "unit_admin"}
        )
        if (
            response.status_code == 302
            and RoleAssignment.objects.filter(user=person).count() > before
        ):
            done.add("grant")
        else:
            assert response.status_code in (403, 404), (where, response.status_code)
        original = RoleAssignment.objects.get(user=person, role=Role.UNIT_MEMBER)
        response = client.post(f"/roles/{original.pk}/revoke/")
        if (
            response.status_code == 302
            and not RoleAssignment.objects.filter(pk=original.pk).exists()
        ):
            done.add("revoke")
        else:
            assert response.status_code in (403, 404), (where, response.status_code)
        response = client.post(f"/people/{person.pk}/deactivate/")
        if response.status_code == 302 and not User.objects.get(pk=person.pk).is_active:
            done.add("deactivate")
        else:
            assert response.status_code in (403, 404), (where, response.status_code)
            assert User.objects.get(pk=person.pk).is_active
        got.append(done)
    assert tuple(got) == RIGHTS[role]


#: role -> outcome of inviting into consortium A: (a unit member of "ent", a unit member of
#: "other", an observer without unit, a supervisor); ok = invited, refused = 422 with the
#: field named, forbidden = no form (403), hidden = the consortium is not theirs (404)
INVITES = {
    "admin": ("ok", "ok", "ok", "ok"),
    "secretariat": ("ok", "ok", "ok", "refused"),
    "supervisor": ("forbidden",) * 4,
    "observer": ("forbidden",) * 4,
    "unit_admin": ("ok", "refused", "refused", "refused"),
    "unit_member": ("forbidden",) * 4,
    "school_admin": ("refused",) * 4,
    "other_consortium": ("hidden",) * 4,
    "nobody": ("hidden",) * 4,
}


@pytest.mark.parametrize("role", list(INVITES))
def test_who_invites_whom(world, client, role):
    client.force_login(world.users[role])
    cases = [("ent", "unit_member"), ("other", "unit_member"), (None, "observer"),
             (None, "supervisor")]  # fmt: skip
    got = []
    for i, (unit, granted) in enumerate(cases):
        username = f"new{i}"
        data = {"username": username, "email": f"{username}@example.cn", "role": granted,
                "unit": world.units[unit].pk if unit else ""}  # fmt: skip
        response = client.post(f"/consortia/{world.a.pk}/people/", data)
        made = User.objects.filter(username=username).exists()
        outcome = {302: "ok", 422: "refused", 403: "forbidden", 404: "hidden"}[response.status_code]
        assert made == (outcome == "ok"), (unit, granted, response.status_code)
        if outcome == "refused":
            body = response.content.decode()
            assert "errorlist" in body
        got.append(outcome)
    assert tuple(got) == INVITES[role]


def test_secretariat_reads_but_does_not_manage_someone_with_a_role_elsewhere(world, client):
    both = make_user("both", world.units["ent"], [(Role.UNIT_MEMBER, world.a)])
    RoleAssignment.objects.create(user=both, role=Role.OBSERVER, consortium=world.b)
    client.force_login(world.users["secretariat"])
    page = client.get(f"/people/{both.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="deactivate"' not in body and 'id="grant-form"' not in body
    assert client.post(f"/people/{both.pk}/deactivate/").status_code == 403
    assert User.objects.get(pk=both.pk).is_active


def test_unit_admin_reads_but_does_not_manage_a_secretariat_member_of_its_unit(world, client):
    boss = make_user("boss", world.units["ent"], [(Role.SECRETARIAT, world.a)])
    client.force_login(world.users["unit_admin"])
    assert client.get(f"/people/{boss.pk}/").status_code == 200
    assert client.post(f"/people/{boss.pk}/deactivate/").status_code == 403
    assignment = RoleAssignment.objects.get(user=boss)
    assert client.post(f"/roles/{assignment.pk}/revoke/").status_code == 403  # seen, not theirs
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.parametrize("role", ["supervisor", "platform_admin"])
def test_the_secretariat_never_grants_supervisor_or_platform_admin(world, client, role):
    person = make_user("p", world.units["ent"], [(Role.UNIT_MEMBER, world.a)])
    client.force_login(world.users["secretariat"])
    response = client.post(f"/people/{person.pk}/roles/", {"consortium": world.a.pk, "role": role})
    assert response.status_code == 422
    assert not RoleAssignment.objects.filter(user=person, role=role).exists()


def test_the_platform_admin_grants_platform_admin(world, client):
    person = make_user("p", None, [])
    client.force_login(world.users["admin"])
    response = client.post(
        f"/people/{person.pk}/roles/", {"consortium": "", "role": "platform_admin"}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=person, role="platform_admin").exists()


def test_nobody_sees_another_consortiums_people_on_the_list(world, client):
    _targets(world)
    lists = {}
    for role in ("secretariat", "unit_admin", "supervisor", "unit_member"):
        client.force_login(world.users[role])
        response = client.get(f"/consortia/{world.a.pk}/people/")
        assert response.status_code == 200
        body = response.content.decode()
        lists[role] = {u for u in ("person_own", "person_other", "person_b", "unit_member",
                                   "school_admin") if f">{u}</a>" in body}  # fmt: skip
        assert ('id="invite-form"' in body) == (role in ("secretariat", "unit_admin"))
    assert lists == {
        "secretariat": {"person_own", "person_other", "unit_member", "school_admin"},
        "unit_admin": {"person_own", "unit_member"},
        "supervisor": set(),
        "unit_member": {"unit_member"},
    }


NAV = {"admin", "secretariat", "unit_admin", "school_admin"}


@pytest.mark.parametrize("role", ["admin", "secretariat", "supervisor", "observer", "unit_admin",
                                  "unit_member", "school_admin"])  # fmt: skip
def test_the_people_link_shows_to_those_who_manage_people(world, client, role):
    client.force_login(world.users[role])
    body = client.get(f"/consortia/{world.a.pk}/").content.decode()
    assert (f'href="/consortia/{world.a.pk}/people/"' in body) == (role in NAV)


@pytest.mark.parametrize(
    "url", ["/people/999999/", "/people/abc/", "/roles/999999/revoke/", "/consortia/999999/people/"]
)
def test_missing_records_are_404_never_500(world, client, url):
    client.force_login(world.users["secretariat"])
    response = client.post(url) if "revoke" in url else client.get(url)
    assert response.status_code == 404


def test_the_secretariat_grants_no_role_in_another_consortium(world, client):
    person = make_user("p", world.units["ent"], [(Role.UNIT_MEMBER, world.a)])
    client.force_login(world.users["secretariat"])
    response = client.post(
        f"/people/{person.pk}/roles/", {"consortium": world.b.pk, "role": "observer"}
    )
    assert response.status_code == 422
    assert not RoleAssignment.objects.filter(user=person, consortium=world.b).exists()


def test_the_people_list_and_my_tokens_cost_the_same_queries_for_more_rows(world, client):
    from gongsheng.access.services import token_create
    from tests.support.queries import assert_constant_queries

    client.force_login(world.users["secretariat"])
    url = f"/consortia/{world.a.pk}/people/"
    counter = iter(range(100))

    def more_people():
        for _ in range(3):
            i = next(counter)
            person = make_user(f"more{i}", world.units["other"], [(Role.UNIT_MEMBER, world.a)])
            RoleAssignment.objects.create(user=person, role=Role.OBSERVER, consortium=world.a)

    assert_constant_queries(lambda: client.get(url), more_people)
    me = world.users["secretariat"]

    def more_tokens():
        for i in range(3):
            token_create(actor=me, user=me, name=f"t{i}")

    assert_constant_queries(lambda: client.get("/account/"), more_tokens)
