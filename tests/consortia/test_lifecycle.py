"""The membership lifecycle with refusal: who applies, who decides, what is recorded, and the
import that follows the same lifecycle."""

from __future__ import annotations

import io

import pytest
from django.db.models import Q
from django.utils import translation
from openpyxl import Workbook

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry
from gongsheng.consortia import services
from gongsheng.consortia.models import Membership, MembershipEvent
from gongsheng.core.context import request_scope
from gongsheng.core.errors import Forbidden, NotFound, ValidationFailed
from gongsheng.notifications.models import Notification
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.resources import RowContext, get_resource
from tests.support.world import code

pytestmark = pytest.mark.django_db


def _applicant(world, n: int = 61, **kw) -> Membership:
    unit = services.unit_create(
        actor=SYSTEM, credit_code=code(n), name=f"Applicant {n}", type="other"
    )
    return services.membership_create(
        actor=world.users["secretariat"], consortium_id=world.a.pk, unit_id=unit.pk, **kw
    )


def _entries(m: Membership) -> list[int]:
    return list(
        AuditEntry.objects.filter(object_id=m.pk, content_type__model="membership")
        .order_by("id")
        .values_list("event_type", flat=True)
    )


class TestRefusal:
    def test_refusing_an_application_records_the_reason_and_tells_the_parties(self, world):
        m = _applicant(world)
        Notification.objects.all().delete()
        m = services.membership_transition(  # the actor is not told of its own decision
            actor=world.users["admin"], membership_id=m.pk, to_status="refused",
            note="not in the park's industry chain",
        )  # fmt: skip
        assert m.status == "refused" and m.joined_on is None and m.version == 2
        assert _entries(m) == [131, 140]  # applied, refused
        event = MembershipEvent.objects.filter(membership=m).latest("id")
        assert (event.kind, event.note) == ("refused", "not in the park's industry chain")
        entry = AuditEntry.objects.filter(object_id=m.pk, event_type=140).get()
        assert entry.before["status"] == "applied" and entry.after["status"] == "refused"
        assert entry.message == "not in the park's industry chain"
        got = set(Notification.objects.values_list("recipient__username", "event"))
        assert ("secretariat", "membership.decided") in got

    def test_a_refusal_needs_a_reason(self, world):
        m = _applicant(world)
        with pytest.raises(ValidationFailed) as info:
            services.membership_transition(
                actor=world.users["secretariat"], membership_id=m.pk, to_status="refused"
            )
        assert [e.field for e in info.value.errors] == ["note"]
        m.refresh_from_db()
        assert m.status == "applied" and _entries(m) == [131]

    def test_a_refused_move_names_the_current_status_and_the_allowed_ones(self, world):
        m = world.memberships["other"]  # admitted
        with translation.override("en"), pytest.raises(ValidationFailed) as info:
            services.membership_transition(
                actor=world.users["secretariat"], membership_id=m.pk, to_status="refused",
                note="late",
            )  # fmt: skip
        assert "admitted cannot become refused" in info.value.message
        assert "withdrawn" in info.value.message and "expelled" in info.value.message
        assert "is admitted, which can become: withdrawn、expelled" in info.value.errors[0].message
        with translation.override("zh-hans"), pytest.raises(ValidationFailed) as info:
            services.membership_transition(
                actor=world.users["secretariat"], membership_id=m.pk, to_status="applied"
            )
        assert "已加入" in info.value.message and "已退出" in info.value.message

    def test_only_the_secretariat_decides(self, world):
        m = _applicant(world)
        for role, error in (("unit_admin", Forbidden), ("supervisor", Forbidden)):
            with pytest.raises(error):
                services.membership_transition(
                    actor=world.users[role], membership_id=m.pk, to_status="refused", note="no"
                )
        with pytest.raises(NotFound):
            services.membership_transition(
                actor=world.users["other_consortium"], membership_id=m.pk, to_status="admitted"
            )

    def test_a_refused_unit_applies_again_itself(self, world):
        m = world.memberships["ent"]
        sec, own = world.users["secretariat"], world.users["unit_admin"]
        services.membership_transition(actor=sec, membership_id=m.pk, to_status="withdrawn")
        with pytest.raises(Forbidden):  # another unit's membership
            services.membership_transition(
                actor=own, membership_id=world.memberships["other"].pk, to_status="applied"
            )
        m = services.membership_transition(actor=own, membership_id=m.pk, to_status="applied")
        assert m.status == "applied"
        services.membership_transition(actor=sec, membership_id=m.pk, to_status="refused", note="x")
        m = services.membership_transition(actor=own, membership_id=m.pk, to_status="applied")
        assert m.status == "applied"

    def test_admitting_at_once_needs_the_right_to_admit(self, world, monkeypatch):
        from gongsheng.access.policies import policy_for

        policy = policy_for(Membership)
        monkeypatch.setattr(  # a charter where the secretariat registers but may not admit
            type(policy), "move_q", lambda self, ctx, move: None if move == "admit" else Q()
        )
        unit = services.unit_create(actor=SYSTEM, credit_code=code(62), name="U", type="other")
        with pytest.raises(Forbidden):
            services.membership_create(
                actor=world.users["secretariat"], consortium_id=world.a.pk, unit_id=unit.pk,
                status="admitted",
            )  # fmt: skip
        m = services.membership_create(
            actor=world.users["secretariat"], consortium_id=world.a.pk, unit_id=unit.pk
        )
        assert m.status == "applied"

    def test_the_decision_hook_can_stop_an_admission(self, world, monkeypatch):
        m = _applicant(world)

        def needs_resolution(*, actor, membership, to_status):
            if to_status == "admitted":
                raise ValidationFailed("the charter asks for a resolution")

        monkeypatch.setattr(services.memberships, "DECISION_CHECKS", [needs_resolution])
        with pytest.raises(ValidationFailed, match="resolution"):
            services.membership_transition(
                actor=world.users["secretariat"], membership_id=m.pk, to_status="admitted"
            )
        m.refresh_from_db()
        assert m.status == "applied"
        services.membership_transition(
            actor=world.users["secretariat"], membership_id=m.pk, to_status="refused", note="r"
        )


def _import(world, user: str, rows: list[list]):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    with request_scope(), translation.override("en"):
        return run_import(
            get_resource("memberships"),
            filename="m.xlsx",
            data=out.getvalue(),
            context=RowContext(actor=world.users[user], consortium_id=world.a.pk),
        )


HEADER = ["统一社会信用代码", "级别", "状态", "备注"]


class TestImportLifecycle:
    def _unit(self, n: int):
        return services.unit_create(actor=SYSTEM, credit_code=code(n), name=f"U{n}", type="other")

    def test_a_new_row_is_an_application(self, world):
        unit = self._unit(81)
        result = _import(world, "secretariat", [HEADER, [unit.credit_code, "成员单位", "", ""]])
        assert result.created == 1
        assert Membership.objects.get(unit=unit, consortium=world.a).status == "applied"

    def test_the_secretariat_may_say_admitted(self, world):
        unit = self._unit(82)
        _import(world, "secretariat", [HEADER, [unit.credit_code, "成员单位", "已加入", ""]])
        assert Membership.objects.get(unit=unit, consortium=world.a).status == "admitted"

    def test_who_may_not_admit_only_applies(self, world, monkeypatch):
        from gongsheng.access.policies import policy_for

        policy = policy_for(Membership)
        monkeypatch.setattr(
            type(policy), "move_q", lambda self, ctx, move: None if move == "admit" else Q()
        )
        unit = self._unit(84)
        with pytest.raises(ImportFailed) as info:
            _import(world, "secretariat", [HEADER, [unit.credit_code, "成员单位", "已加入", ""]])
        assert [(e.row, e.field) for e in info.value.errors] == [(2, "status")]
        assert not Membership.objects.filter(unit=unit).exists()
        _import(world, "secretariat", [HEADER, [unit.credit_code, "成员单位", "", ""]])
        assert Membership.objects.get(unit=unit, consortium=world.a).status == "applied"

    def test_a_refused_move_names_the_states_at_its_cell(self, world):
        cc = world.units["other"].credit_code  # admitted
        with pytest.raises(ImportFailed) as info:
            _import(world, "secretariat", [HEADER, [cc, "成员单位", "已拒绝", "late"]])
        (error,) = info.value.errors
        assert (error.row, error.field) == (2, "status")
        assert "is admitted, which can become: withdrawn、expelled" in error.message
        assert Membership.objects.get(pk=world.memberships["other"].pk).status == "admitted"

    def test_an_application_is_refused_by_import_with_its_reason(self, world):
        m = _applicant(world, 83)
        cc = m.unit.credit_code
        _import(world, "secretariat", [HEADER, [cc, "成员单位", "已拒绝", "no fit"]])
        m.refresh_from_db()
        assert m.status == "refused" and 140 in _entries(m)
