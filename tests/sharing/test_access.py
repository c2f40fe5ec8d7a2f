"""Access matrix for shared resources, quotas and bookings: role × record × own unit /
other unit / other consortium, for viewing and changing; and who sees utilisation."""

from __future__ import annotations

import datetime as dt

import pytest

from gongsheng.access.scope import scope
from gongsheng.core.errors import NotFound
from gongsheng.sharing import selectors
from gongsheng.sharing.models import Booking, Quota, SharedResource
from tests.sharing.support import make_resource

pytestmark = pytest.mark.django_db

ROLES = [
    "admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member",
    "school_admin", "other_consortium", "nobody",
]  # fmt: skip


@pytest.fixture
def records(world):
    res_ent = make_resource(world, owner="ent", code="ent")  # own unit of unit_admin/member
    res_other = make_resource(world, owner="other", code="oth")  # another unit in A
    res_b = SharedResource.objects.create(
        consortium=world.b, owner=world.units["x"], code="x", name="X", kind="laboratory"
    )
    start = dt.datetime(2030, 3, 4, 9, tzinfo=dt.UTC)
    end = start + dt.timedelta(hours=2)

    def booking(resource, unit):
        return Booking.objects.create(
            consortium_id=resource.consortium_id, resource=resource, unit=world.units[unit],
            host_unit_id=resource.owner_id, start=start, end=end, hours=2,
        )  # fmt: skip

    quota_b = Quota.objects.create(consortium=world.b, resource=res_b, period="year", hours=10)
    quota_a = Quota.objects.create(consortium=world.a, resource=res_ent, period="year", hours=10)
    return {
        "res_own": res_ent,
        "res_other": res_other,
        "res_b": res_b,
        "bk_own": booking(res_ent, "school"),  # school books ent's resource
        "bk_other": booking(res_other, "gov"),  # neither ent nor school
        "bk_b": booking(res_b, "outside"),
        "quota_a": quota_a,
        "quota_b": quota_b,
    }


A_RES = {"res_own", "res_other"}
VIEW = {
    "admin": {"res_own", "res_other", "res_b", "bk_own", "bk_other", "bk_b", "quota_a", "quota_b"},
    "secretariat": A_RES | {"bk_own", "bk_other", "quota_a"},
    "supervisor": A_RES | {"bk_own", "bk_other", "quota_a"},  # not confidential: all of them
    "observer": A_RES | {"quota_a"},  # the catalogue, no single bookings
    "unit_admin": A_RES | {"bk_own", "quota_a"},  # as the host
    "unit_member": A_RES | {"bk_own", "quota_a"},
    "school_admin": A_RES | {"bk_own", "quota_a"},  # as the booking unit
    "other_consortium": {"res_b", "bk_b", "quota_b"},
    "nobody": set(),
}
CHANGE = {
    "admin": VIEW["admin"],
    "secretariat": A_RES | {"bk_own", "bk_other", "quota_a"},
    "supervisor": set(),
    "observer": set(),
    "unit_admin": {"res_own", "bk_own", "quota_a"},
    "unit_member": set(),
    "school_admin": {"bk_own"},
    "other_consortium": {"res_b", "bk_b", "quota_b"},
    "nobody": set(),
}


def _reach(user, records, action):
    out = set()
    for name, obj in records.items():
        if scope(user, type(obj).objects.filter(pk=obj.pk), action).exists():
            out.add(name)
    return out


@pytest.mark.parametrize("role", ROLES)
def test_view_matrix(world, records, role):
    assert _reach(world.users[role], records, "view") == VIEW[role]


@pytest.mark.parametrize("role", ROLES)
def test_change_matrix(world, records, role):
    assert _reach(world.users[role], records, "change") == CHANGE[role]


@pytest.mark.parametrize("role", ["secretariat", "supervisor", "observer", "school_admin"])
def test_every_role_of_the_consortium_sees_utilisation_aggregates(world, records, role):
    Booking.objects.filter(pk=records["bk_own"].pk).update(status="approved")
    u = selectors.utilisation(user=world.users[role], consortium_id=world.a.pk, year=2030)
    assert sum(r["hours"] for r in u.resources) == 2
    assert {r["name"] for r in u.units} == {"Unit school", "Unit ent"}


@pytest.mark.parametrize("role", ["other_consortium", "nobody"])
def test_outsiders_see_no_utilisation(world, records, role):
    with pytest.raises(NotFound):
        selectors.utilisation(user=world.users[role], consortium_id=world.a.pk)
