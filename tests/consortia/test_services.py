"""Services: validation, the membership lifecycle, concurrent edits, lead units."""

from __future__ import annotations

import datetime as dt

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia import services
from gongsheng.consortia.models import Membership, Unit
from gongsheng.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tests.support.world import code


class TestUnitServices:
    def test_secretariat_registers_a_unit_into_its_consortium(self, world):
        unit = services.unit_create(
            actor=world.users["secretariat"],
            consortium_id=world.a.pk,
            credit_code=code(50),
            name="New enterprise",
            type="enterprise",
        )
        m = Membership.objects.get(unit=unit)
        assert m.consortium == world.a and m.status == "admitted" and m.joined_on is not None
        assert m.events.filter(kind="admitted").exists()

    def test_unit_admin_cannot_register_units(self, world):
        with pytest.raises(Forbidden):
            services.unit_create(
                actor=world.users["unit_admin"],
                consortium_id=world.a.pk,
                credit_code=code(51),
                name="Sneaky",
                type="enterprise",
            )
        assert not Unit.objects.filter(name="Sneaky").exists()

    def test_bad_credit_code_and_type_are_named(self, world):
        with pytest.raises(ValidationFailed) as info:
            services.unit_create(
                actor=SYSTEM, credit_code="91110000100017643A", name="X", type="spaceship"
            )
        fields = {e.field for e in info.value.errors}
        assert fields == {"credit_code", "type"}

    def test_duplicate_credit_code_is_refused(self, world):
        with pytest.raises(ValidationFailed) as info:
            services.unit_create(
                actor=SYSTEM,
                credit_code=world.units["ent"].credit_code,
                name="Dup",
                type="enterprise",
            )
        assert info.value.errors[0].field == "credit_code"

    def test_second_of_two_concurrent_edits_is_refused(self, world):
        unit = world.units["ent"]
        seen = unit.version
        services.unit_update(
            actor=world.users["unit_admin"], unit_id=unit.pk, version=seen, city="甲"
        )
        with pytest.raises(Conflict) as info:
            services.unit_update(
                actor=world.users["secretariat"], unit_id=unit.pk, version=seen, city="乙"
            )
        assert info.value.current_version == seen + 1
        assert Unit.objects.get(pk=unit.pk).city == "甲"

    def test_unit_admin_edits_only_its_own_unit(self, world):
        admin = world.users["unit_admin"]
        services.unit_update(actor=admin, unit_id=world.units["ent"].pk, version=None, city="A")
        with pytest.raises(Forbidden):
            services.unit_update(
                actor=admin, unit_id=world.units["other"].pk, version=None, city="B"
            )
        with pytest.raises(NotFound):  # another consortium's unit: not even its existence
            services.unit_update(actor=admin, unit_id=world.units["x"].pk, version=None, city="C")


class TestMembershipLifecycle:
    def test_allowed_and_refused_transitions(self, world):
        sec = world.users["secretariat"]
        m = world.memberships["other"]
        with pytest.raises(ValidationFailed, match="cannot become"):
            services.membership_transition(actor=sec, membership_id=m.pk, to_status="applied")
        services.membership_transition(
            actor=sec, membership_id=m.pk, to_status="expelled", on=dt.date(2025, 1, 1)
        )
        m.refresh_from_db()
        assert m.status == "expelled" and m.left_on == dt.date(2025, 1, 1)

    def test_leaving_before_joining_is_refused(self, world):
        with pytest.raises(ValidationFailed, match="before it joined"):
            services.membership_transition(
                actor=world.users["secretariat"],
                membership_id=world.memberships["other"].pk,
                to_status="withdrawn",
                on=dt.date(2000, 1, 1),
            )

    def test_only_the_secretariat_manages_memberships(self, world):
        with pytest.raises((Forbidden, NotFound)):
            services.membership_transition(
                actor=world.users["unit_admin"],
                membership_id=world.memberships["ent"].pk,
                to_status="withdrawn",
            )

    def test_approval_records_who_and_when(self, world):
        sec = world.users["secretariat"]
        unit = services.unit_create(
            actor=SYSTEM, credit_code=code(60), name="Applicant", type="other"
        )
        m = services.membership_create(
            actor=sec, consortium_id=world.a.pk, unit_id=unit.pk, status="applied"
        )
        assert m.approved_by is None
        m = services.membership_transition(actor=sec, membership_id=m.pk, to_status="admitted")
        assert m.approved_by == sec and m.approved_at is not None

    def test_lead_units_must_be_admitted_members(self, world):
        with pytest.raises(ValidationFailed, match="lead unit"):
            services.consortium_update(
                actor=world.users["secretariat"],
                consortium_id=world.a.pk,
                version=None,
                lead_enterprise_id=world.units["x"].pk,
            )
        c = services.consortium_update(
            actor=world.users["secretariat"],
            consortium_id=world.a.pk,
            version=None,
            lead_enterprise_id=world.units["ent"].pk,
        )
        assert c.lead_enterprise_id == world.units["ent"].pk

    def test_only_platform_admins_create_consortia(self, world):
        with pytest.raises(Forbidden):
            services.consortium_create(
                actor=world.users["secretariat"], code="z", name="Z", level="municipal"
            )
        c = services.consortium_create(
            actor=world.users["admin"], code="z", name="Z", level="municipal"
        )
        assert c.pk
