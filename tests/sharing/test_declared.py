"""The booking quota's standard tests (``tests.support.declared``): data and the expected
rights only."""

from __future__ import annotations

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.sharing.models import Quota, SharedResource
from gongsheng.sharing.services import quota_create, resource_create
from tests.support.declared import StandardData, StandardTests

pytestmark = pytest.mark.django_db

ALL = {"view", "add", "change", "delete"}
SEE = {"view"}
NONE: set[str] = set()
#: role -> (on a resource of the unit ent, of another unit, in consortium B): public in the
#: consortium; the owner unit's admin and the secretariat edit them
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),
    "supervisor": (SEE, SEE, NONE),
    "observer": (SEE, SEE, NONE),
    "unit_admin": (ALL, SEE, NONE),  # ent's admin: quotas on ent's resources
    "unit_member": (SEE, SEE, NONE),
    "school_admin": (SEE, SEE, NONE),
    "other_consortium": (NONE, NONE, ALL),  # x's admin in consortium B
    "nobody": (NONE, NONE, NONE),
}
UNIT = {"own": "ent", "other": "other", "b": "x"}


def _resource(world, where):
    consortium = world.b if where == "b" else world.a
    found = SharedResource.objects.filter(consortium=consortium, code=f"lab-{where}").first()
    return found or resource_create(
        actor=SYSTEM, consortium_id=consortium.pk, owner_id=world.units[UNIT[where]].pk,
        code=f"lab-{where}", name=f"Lab {where}", kind="training_base", capacity=2,
    )  # fmt: skip


def _make(world, where):
    resource = _resource(world, where)
    return quota_create(
        actor=SYSTEM, consortium_id=resource.consortium_id, period="month", hours="12",
        resource_id=resource.pk, unit_id=world.units["school"].pk if where != "b" else None,
    )  # fmt: skip


def _form(world, where):
    return {"unit": "", "resource": _resource(world, where).pk, "owner": "", "period": "year",
            "hours": "40"}  # fmt: skip


def _api_create(world, where):
    resource = _resource(world, where)
    return {"consortium_id": resource.consortium_id, "period": "month", "hours": "8",
            "resource_id": resource.pk}  # fmt: skip


class TestQuotas(StandardTests):
    data = StandardData(
        model=Quota,
        make=_make,
        form=_form,
        api_create=_api_create,
        api_patch=lambda world, where: {"hours": "20" if where == "own" else "30"},
        rights=RIGHTS,
        add_form_also={"school_admin"},  # for quotas on the school's own resources
    )
