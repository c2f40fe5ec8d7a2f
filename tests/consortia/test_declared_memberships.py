"""The membership's standard tests (``tests.support.declared``): data and the expected rights,
then what is its own: the queue, the moves shown where the status allows them, the API moves."""

from __future__ import annotations

import itertools

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.choices import MEMBERSHIP_TRANSITIONS
from gongsheng.consortia.models import Membership, Unit
from gongsheng.consortia.services import membership_create, membership_transition, unit_create
from tests.support.declared import StandardData, StandardTests
from tests.support.world import code

pytestmark = pytest.mark.django_db

MOVES = {"admit", "refuse", "withdraw", "expel", "reapply"}
ALL = {"view", "add", "change", *MOVES}  # memberships are never deleted: they end by a move
SEE, NONE = {"view"}, set()
AGAIN = {"view", "reapply"}
#: role -> (the membership of ent in A, of another unit in A, of x in B): every role of a
#: consortium sees its memberships; the secretariat adds, changes and decides; a unit admin
#: applies again for its own unit
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),
    "supervisor": (SEE, SEE, NONE),
    "observer": (SEE, SEE, NONE),
    "unit_admin": (AGAIN, SEE, NONE),
    "unit_member": (SEE, SEE, NONE),
    "school_admin": (SEE, SEE, NONE),
    "other_consortium": (NONE, NONE, AGAIN),
    "nobody": (NONE, NONE, NONE),
}
_numbers = itertools.count(700)


def _unit() -> Unit:
    n = next(_numbers)
    return unit_create(actor=SYSTEM, credit_code=code(n), name=f"Applicant {n}", type="other")


def _make(world, where: str) -> Membership:
    if where in ("own", "b"):
        return world.memberships["ent" if where == "own" else "x"]
    return membership_create(
        actor=SYSTEM, consortium_id=world.a.pk, unit_id=_unit().pk, status="admitted"
    )


def _form(world, where: str) -> dict:
    # an application names a new unit by its credit code; an edit sets rank and details
    return {"credit_code": _unit().credit_code, "rank": "council", "note": f"form {where}",
            "applied_on": "2024-01-01", "joined_on": "2024-01-01"}  # fmt: skip


def _ready(target: str):
    """Bring a membership to ``target`` through the lifecycle (by the system)."""

    def ready(world, m: Membership) -> None:
        m.refresh_from_db()
        while m.status != target:
            if target in MEMBERSHIP_TRANSITIONS[m.status]:
                step = target
            else:
                step = {"admitted": "withdrawn", "applied": "admitted"}.get(m.status, "applied")
            m = membership_transition(
                actor=SYSTEM, membership_id=m.pk, to_status=step, note="ready"
            )

    return ready


class TestMemberships(StandardTests):
    data = StandardData(
        model=Membership,
        make=_make,
        form=_form,
        api_create=lambda world, where: {
            "consortium_id": (world.b if where == "b" else world.a).pk,
            "unit_id": _unit().pk,
            "rank": "member",
        },
        api_patch=lambda world, where: {"note": f"patched {where}"},
        moves={m: (lambda world: {"note": "the reason"}) for m in MOVES},
        move_from={
            "admit": _ready("applied"),
            "refuse": _ready("applied"),
            "withdraw": _ready("admitted"),
            "expel": _ready("admitted"),
            "reapply": _ready("withdrawn"),
        },
        rights=RIGHTS,
    )


class TestQueue:
    def test_the_overview_links_pending_applications_to_the_queue(self, world, client):
        m = membership_create(
            actor=SYSTEM, consortium_id=world.a.pk, unit_id=_unit().pk, status="applied"
        )
        client.force_login(world.users["secretariat"])
        page = client.get(f"/consortia/{world.a.pk}/").content.decode()
        queue = f"/consortia/{world.a.pk}/memberships/?status=applied"
        assert f'id="stat-pending" href="{queue}">1<' in page
        r = client.get(queue)
        assert [o.pk for o in r.context["page"].object_list] == [m.pk]
        assert 'id="queue-intro"' in r.content.decode()

    def test_the_page_offers_the_moves_the_status_allows(self, world, client):
        m = membership_create(
            actor=SYSTEM, consortium_id=world.a.pk, unit_id=_unit().pk, status="applied"
        )
        client.force_login(world.users["secretariat"])
        html = client.get(f"/memberships/{m.pk}/").content.decode()
        shown = {name for name in MOVES if f'id="{name}-form"' in html}
        assert shown == {"admit", "refuse", "withdraw"}
        assert 'id="refuse-note"' in html and 'id="admit-note"' in html
        client.force_login(world.users["supervisor"])
        html = client.get(f"/memberships/{m.pk}/").content.decode()
        assert not {name for name in MOVES if f'id="{name}-form"' in html}

    def test_refusing_from_the_page_needs_the_reason(self, world, client):
        m = membership_create(
            actor=SYSTEM, consortium_id=world.a.pk, unit_id=_unit().pk, status="applied"
        )
        client.force_login(world.users["secretariat"])
        r = client.post(f"/memberships/{m.pk}/refuse/", {"version": m.version, "note": ""})
        assert r.status_code == 302
        m.refresh_from_db()
        assert m.status == "applied"
        client.post(f"/memberships/{m.pk}/refuse/", {"version": m.version, "note": "no fit"})
        m.refresh_from_db()
        assert m.status == "refused"

    def test_the_secretariat_applies_for_a_registered_organisation(self, world, client):
        unit = _unit()
        client.force_login(world.users["secretariat"])
        url = f"/consortia/{world.a.pk}/memberships/new/"
        r = client.post(url, {"credit_code": unit.credit_code.lower(), "rank": "member"})
        m = Membership.objects.get(unit=unit)
        assert r.status_code == 302 and (m.consortium_id, m.status) == (world.a.pk, "applied")
        again = client.post(url, {"credit_code": unit.credit_code, "rank": "member"})
        assert again.status_code == 200 and "credit_code" in again.context["form"].errors
        unknown = client.post(url, {"credit_code": code(999), "rank": "member"})
        assert list(unknown.context["form"].errors) == ["credit_code"]

    def test_the_transition_endpoint_stays(self, world, client):
        client.force_login(world.users["secretariat"])
        m = world.memberships["other"]
        r = client.post(
            f"/api/memberships/{m.pk}/transition", {"to_status": "refused", "note": "x"},
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == 422
        assert "已退出" in r.json()["errors"][0]["message"]  # withdrawn: the allowed move
