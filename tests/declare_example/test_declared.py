"""The example notice's standard tests: data and the expected rights, nothing else."""

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.declare import services
from gongsheng.declare.declaration import declaration_for
from tests.declare_example.models import Notice
from tests.support.declared import StandardData, StandardTests

pytestmark = pytest.mark.django_db

ALL, SEE, NONE = {"view", "add", "change", "delete", "close"}, {"view"}, set()
RIGHTS = {  # role -> (own unit's, another unit's, consortium B's); notices have no owner
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),
    "supervisor": (SEE, SEE, NONE),
    "observer": (SEE, SEE, NONE),
    "unit_admin": (SEE, SEE, NONE),
    "unit_member": (SEE, SEE, NONE),
    "school_admin": (SEE, SEE, NONE),
    "other_consortium": (NONE, NONE, SEE),
    "nobody": (NONE, NONE, NONE),
}


def _consortium(world, where):
    return world.b if where == "b" else world.a


def _make(world, where):
    return services.create(declaration_for(Notice), actor=SYSTEM, title=f"Notice {where}",
                           consortium_id=_consortium(world, where).pk)  # fmt: skip


class TestNotices(StandardTests):
    data = StandardData(
        model=Notice,
        make=_make,
        form=lambda world, where: {"title": "Open day", "body": "Come", "expires_on": ""},
        api_create=lambda world, where: {
            "consortium_id": _consortium(world, where).pk,
            "title": "Open day",
        },
        api_patch=lambda world, where: {"title": f"Open day ({where})"},
        moves={"close": lambda world: {"on": "2026-07-01"}},
        rights=RIGHTS,
    )
