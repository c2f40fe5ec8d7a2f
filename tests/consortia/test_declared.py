"""The contact's standard tests (``tests.support.declared``): data and the expected rights
only. Contacts have no pages and no import/export table (personal data): the API part runs."""

from __future__ import annotations

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.models import Contact
from gongsheng.consortia.services import contact_create
from tests.support.declared import StandardData, StandardTests

pytestmark = pytest.mark.django_db

ALL = {"view", "add", "change", "delete"}
SEE = {"view"}
NONE: set[str] = set()
#: role -> (a contact of the unit ent, of another unit, of a unit in consortium B): personal
#: data, seen by the unit itself and the secretariat only; the unit's admin edits them
RIGHTS = {
    "admin": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, NONE),
    "supervisor": (NONE, NONE, NONE),
    "observer": (NONE, NONE, NONE),
    "unit_admin": (ALL, NONE, NONE),
    "unit_member": (SEE, NONE, NONE),
    "school_admin": (NONE, NONE, NONE),
    "other_consortium": (NONE, NONE, ALL),
    "nobody": (NONE, NONE, NONE),
}
UNIT = {"own": "ent", "other": "other", "b": "x"}


class TestContacts(StandardTests):
    data = StandardData(
        model=Contact,
        make=lambda world, where: contact_create(
            actor=SYSTEM, unit_id=world.units[UNIT[where]].pk, name=f"Contact {where}"
        ),
        parent=lambda world, where: world.units[UNIT[where]],
        form=lambda world, where: {},  # no pages
        api_create=lambda world, where: {"name": "New contact", "phone": "0571-1"},
        api_patch=lambda world, where: {"phone": "0571-2" if where == "own" else "0571-3"},
        rights=RIGHTS,
    )
