"""The saved scenario's standard tests (``tests.support.declared``): data and the expected
rights only. Scenarios have no declared pages and no import/export table (see
``modelling.declarations``): the API part runs."""

from __future__ import annotations

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.modelling.models import Scenario
from gongsheng.modelling.services import scenario_save
from tests.support.declared import StandardData, StandardTests

pytestmark = pytest.mark.django_db

ALL = {"view", "add", "change", "delete"}
SEE = {"view"}
NONE: set[str] = set()
#: role -> (a scenario of consortium A, another of A, one of B): scenarios belong to the
#: consortium, not a unit; its secretariat, supervisors and member units see them (observers
#: do not), only the secretariat (and platform admins) save, rename and delete them
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),
    "supervisor": (SEE, SEE, NONE),
    "observer": (NONE, NONE, NONE),
    "unit_admin": (SEE, SEE, NONE),
    "unit_member": (SEE, SEE, NONE),
    "school_admin": (SEE, SEE, NONE),
    "other_consortium": (NONE, NONE, SEE),
    "nobody": (NONE, NONE, NONE),
}
#: a save names its consortium: one the role cannot see answers 404 (the service looks the
#: consortium up before refusing), one it sees but may not save in answers 403
ROLES_OF_A = ("secretariat", "supervisor", "observer", "unit_admin", "unit_member", "school_admin")
ADD_HIDDEN = {
    *((role, "b") for role in ROLES_OF_A),
    ("other_consortium", "own"),
    ("other_consortium", "other"),
    ("nobody", "own"),
    ("nobody", "other"),
    ("nobody", "b"),
}
GAME = {"p_e": 3, "grid": 2, "bracket_hi": 5}


def _consortium(world, where):
    return world.b if where == "b" else world.a


class TestScenarios(StandardTests):
    data = StandardData(
        model=Scenario,
        make=lambda world, where: scenario_save(
            actor=SYSTEM,
            consortium_id=_consortium(world, where).pk,
            kind="game",
            name=f"Scenario {where}",
            data=GAME,
        ),
        form=lambda world, where: {},  # no declared pages
        api_create=lambda world, where: {
            "consortium_id": _consortium(world, where).pk,
            "kind": "game",
            "name": f"New {where}",
            "inputs": GAME,
        },
        api_patch=lambda world, where: {"note": "seen" if where == "own" else "again"},
        rights=RIGHTS,
        add_hidden=ADD_HIDDEN,
    )
