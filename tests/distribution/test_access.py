"""The access matrix of distribution studies: role × record × own unit / other unit / other
consortium. V = view, C = view contents, W = change (as tests/access/test_matrix.py).

* project study "own": a project in which ent (unit_admin, unit_member) and school take part;
* project study "other": a project of other and gov only;
* consortium study: players school and {ent, gov}: units see only their own player row;
* other-c: a consortium study in consortium B.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.access.scope import scope
from gongsheng.consortia.services import unit_create
from gongsheng.cooperation import services as coop
from gongsheng.distribution import services
from gongsheng.distribution.models import CoalitionValue, Player
from tests.support.world import code

pytestmark = pytest.mark.django_db

ROLES = [
    "admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member",
    "school_admin", "other_consortium", "nobody",
]  # fmt: skip

MATRIX: dict[str, list[str]] = {
    #                         admin  sec    sup   obs  uadm  umem  sadm  othc  nobody
    "project study own":     ["VCW", "VCW", "VC", "",  "VC", "VC", "VC", "",   ""],
    "project study other":   ["VCW", "VCW", "VC", "",  "",   "",   "",   "",   ""],
    "project value own":     ["VCW", "VCW", "VC", "",  "VC", "VC", "VC", "",   ""],
    "consortium study":      ["VCW", "VCW", "VC", "",  "",   "",   "",   "",   ""],
    "consortium value":      ["VCW", "VCW", "VC", "",  "",   "",   "",   "",   ""],
    "player own":            ["VCW", "VCW", "VC", "",  "VC", "VC", "",   "",   ""],
    "player other":          ["VCW", "VCW", "VC", "",  "",   "",   "VC", "",   ""],
    "study other-c":         ["VCW", "",    "",   "",  "",   "",   "",   "",   ""],
    "player other-c":        ["VCW", "",    "",   "",  "",   "",   "",   "VC", ""],
}  # fmt: skip

Y = {"period_from": dt.date(2025, 1, 1), "period_to": dt.date(2025, 12, 31)}


def _records(world):
    u = world.units
    own = coop.project_create(actor=SYSTEM, consortium_id=world.a.pk, name="Own", type="other",
                              lead_unit_id=u["ent"].pk)  # fmt: skip
    coop.participant_add(actor=SYSTEM, project_id=own.pk, unit_id=u["school"].pk)
    other = coop.project_create(actor=SYSTEM, consortium_id=world.a.pk, name="Other",
                                type="other", lead_unit_id=u["other"].pk)  # fmt: skip
    coop.participant_add(actor=SYSTEM, project_id=other.pk, unit_id=u["gov"].pk)
    s_own = services.study_create(actor=SYSTEM, consortium_id=world.a.pk, scope="project",
                                  project_id=own.pk, title="own", total=1, **Y)  # fmt: skip
    s_other = services.study_create(actor=SYSTEM, consortium_id=world.a.pk, scope="project",
                                    project_id=other.pk, title="other", total=1, **Y)  # fmt: skip
    s_c = services.study_create(
        actor=SYSTEM, consortium_id=world.a.pk, scope="consortium", title="c", **Y,
        players=[{"unit_ids": [u["school"].pk]}, {"unit_ids": [u["ent"].pk, u["gov"].pk]}],
    )  # fmt: skip
    y = unit_create(actor=SYSTEM, consortium_id=world.b.pk, credit_code=code(77), name="Unit y",
                    type="enterprise", joined_on=dt.date(2024, 1, 1))  # fmt: skip
    s_b = services.study_create(
        actor=SYSTEM, consortium_id=world.b.pk, scope="consortium", title="b", **Y,
        players=[{"unit_ids": [u["x"].pk]}, {"unit_ids": [y.pk]}],
    )  # fmt: skip
    return {
        "project study own": s_own,
        "project study other": s_other,
        "project value own": CoalitionValue.objects.filter(study=s_own).first(),
        "consortium study": s_c,
        "consortium value": CoalitionValue.objects.filter(study=s_c).first(),
        "player own": Player.objects.get(study=s_c, position=1),
        "player other": Player.objects.get(study=s_c, position=0),
        "study other-c": s_b,
        "player other-c": Player.objects.get(study=s_b, position=0),
    }


def _allowed(user, obj) -> str:
    base = type(obj)._default_manager.filter(pk=obj.pk)
    return "".join(
        flag for flag, action in (("V", "view"), ("C", "view_contents"), ("W", "change"))
        if scope(user, base, action).exists()
    )  # fmt: skip


def test_access_matrix(world):
    records = _records(world)
    mismatches = []
    for name, expected in MATRIX.items():
        got = [_allowed(world.users[role], records[name]) for role in ROLES]
        mismatches += [
            f"{name} / {role}: expected {e or '-'}, got {g or '-'}"
            for role, e, g in zip(ROLES, expected, got, strict=True)
            if e != g
        ]
    assert not mismatches, "\n".join(mismatches)
