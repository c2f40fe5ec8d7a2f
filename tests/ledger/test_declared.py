"""The ledger's categories and valuation rules are not declared models yet (see
``gongsheng.ledger.declarations`` for why); this module holds the literal rights table a move
onto the declaration layer must keep, checked against today's hand-written API.

``own`` and ``other`` are categories of consortium A (categories belong to a consortium, not a
unit, so both are alike), ``b`` one of consortium B. The table is written from the policy's
docstring and the services' messages (the secretariat manages its consortium's categories and
rules; everyone in a consortium reads them; the platform administrator does all), never read
from the policy.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.ledger.models import Category, ValuationRule
from gongsheng.ledger.services import category_create
from tests.support.declared import ROLES, WHERE

pytestmark = pytest.mark.django_db

ALL = {"view", "add", "change"}  # categories and rules are never deleted
SEE = {"view"}
NONE: set[str] = set()
#: role -> (a category of A, another category of A, a category of B)
RIGHTS = {
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
    return category_create(
        actor=SYSTEM, consortium_id=_consortium(world, where).pk, code=f"cat_{where}",
        name=f"Category {where}", quantity_unit="次",
    )  # fmt: skip


def test_the_table_names_every_role():
    assert set(RIGHTS) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_api_rights_of_categories_and_rules(world, client, role):
    """Today's API: a refused write is 403 (also for a category the role cannot see: the
    service reads the row before asking the policy), nothing is written."""
    client.force_login(world.users[role])
    for i, where in enumerate(WHERE):
        cat = _make(world, where)
        may = RIGHTS[role][i]
        c = _consortium(world, where).pk
        listed = client.get("/api/ledger/categories", {"consortium": c, "limit": 1000})
        assert listed.status_code == 200
        ids = {item["id"] for item in listed.json()["items"]}
        assert (cat.pk in ids) == ("view" in may), (role, where, "list")
        r = client.patch(
            f"/api/ledger/categories/{cat.pk}", json.dumps({"name": "Renamed", "version": 1}),
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == (200 if "change" in may else 403), (role, where, "patch")
        cat.refresh_from_db()
        assert (cat.name == "Renamed") == ("change" in may)
        n = Category.objects.count()
        r = client.post(
            "/api/ledger/categories",
            json.dumps({"consortium_id": c, "code": f"new_{where}", "name": "New",
                        "quantity_unit": "个"}),
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == (201 if "add" in may else 403), (role, where, "add")
        assert Category.objects.count() == n + ("add" in may)
        n = ValuationRule.objects.count()
        r = client.post(
            "/api/ledger/rules",
            json.dumps({"category_id": cat.pk, "consortium_id": c,
                        "effective_from": dt.date(2025, 1, 1).isoformat(), "unit_value": "5"}),
            content_type="application/json",
        )  # fmt: skip
        assert r.status_code == (201 if "add" in may else 403), (role, where, "rule")
        assert ValuationRule.objects.count() == n + ("add" in may)
