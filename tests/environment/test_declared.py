"""The policy register's standard tests (``tests.support.declared``): data and the expected
rights only."""

from __future__ import annotations

import datetime as dt

import pytest

from gongsheng.environment.models import PublicPolicy
from tests.environment.support import make_policy
from tests.support.declared import StandardData, StandardTests

pytestmark = pytest.mark.django_db

ALL = {"view", "add", "change", "delete", "withdraw"}
SEE = {"view"}
NONE: set[str] = set()
#: role -> (own unit's, another unit's, consortium B's): public documents, edited by the
#: secretariat, the consortium's supervisors and platform admins
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),
    "supervisor": (ALL, ALL, NONE),
    "observer": (SEE, SEE, NONE),
    "unit_admin": (SEE, SEE, NONE),
    "unit_member": (SEE, SEE, NONE),
    "school_admin": (SEE, SEE, NONE),
    "other_consortium": (NONE, NONE, SEE),
    "nobody": (NONE, NONE, NONE),
}
UNIT = {"own": "ent", "other": "other", "b": "x"}


def _make(world, where):
    consortium = world.b if where == "b" else world.a
    return make_policy(world, consortium=consortium, target_unit_ids=[world.units[UNIT[where]].pk])


def _form(world, where):
    return {
        "title": "Land for a training base", "number": "No. 7", "issuer": "Park committee",
        "level": "park", "kind": "land", "instrument": "land_supply", "groups": ["enterprise"],
        "units": [world.units[UNIT[where]].pk], "effective_from": "2025-03-01",
        "amount": "3600000", "amount_basis": "total", "classification": "positive",
        "classification_reason": "cheap land",
    }  # fmt: skip


def _api_create(world, where):
    return {
        "consortium_id": (world.b if where == "b" else world.a).pk, "title": "Apprentices",
        "issuer": "HR bureau", "level": "municipal", "kind": "employment",
        "instrument": "subsidy", "target_groups": ["enterprise"],
        "target_unit_ids": [world.units[UNIT[where]].pk], "effective_from": "2024-01-01",
        "amount": "6000", "classification": "positive", "classification_reason": "pays",
    }  # fmt: skip


class TestPolicies(StandardTests):
    data = StandardData(
        model=PublicPolicy,
        make=_make,
        form=_form,
        api_create=_api_create,
        api_patch=lambda world, where: {"amount": "7000" if where == "own" else "8000"},
        moves={"withdraw": lambda world: {"on": dt.date(2026, 6, 30).isoformat()}},
        rights=RIGHTS,
    )
