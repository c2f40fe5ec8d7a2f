"""Projects: lifecycle, ledger flows that follow the project's facts, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import override

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.models import Project, ProjectTransition
from gongsheng.core.errors import Conflict, Forbidden, ValidationFailed
from gongsheng.ledger.models import LedgerEntry

D = dt.date(2025, 3, 1)


def _live(project):
    qs = LedgerEntry.objects.filter(source_type="cooperation.project", source_id=project.pk)
    return qs.filter(reverses__isnull=True, reversed_by__isnull=True)


def _move(world, project, *steps, reason=""):
    for step in steps:
        project = services.project_move(
            actor=world.users["secretariat"], project_id=project.pk, to_status=step,
            version=project.version, reason=reason, on=D,
        )  # fmt: skip
    return project


def _inputs(world, project):
    services.input_record(
        actor=world.users["secretariat"], project_id=project.pk, unit_id=world.units["ent"].pk,
        category="money", committed=Decimal("100000"), actual=Decimal("80000"), on=D,
    )  # fmt: skip
    services.input_record(
        actor=world.users["secretariat"], project_id=project.pk,
        unit_id=world.units["school"].pk, category="expert_hours", committed=Decimal("40"),
        actual=Decimal("30"), on=D,
    )  # fmt: skip
    project.refresh_from_db()
    return project


class TestLifecycle:
    def test_full_path_records_who_and_why(self, world, project):
        p = _move(world, project, "proposed", "feasibility", "approved", "contracted",
                  "in_progress", "acceptance", "closed", reason="ok")  # fmt: skip
        assert p.status == "closed" and p.approved_on == D and p.accepted_on == D
        moves = list(ProjectTransition.objects.filter(project=p))
        assert [m.to_status for m in moves][-1] == "closed" and len(moves) == 7
        assert all(m.actor == world.users["secretariat"] and m.reason == "ok" for m in moves)
        assert AuditEntry.objects.filter(event_type=EventType.PROJECT_MOVED).count() == 7

    def test_an_invalid_move_is_refused_and_nothing_is_written(self, world, project):
        before = project.version
        with pytest.raises(ValidationFailed) as exc:
            _move(world, project, "closed")
        assert "cannot move from" in exc.value.message and "proposed" in exc.value.message
        project.refresh_from_db()
        assert (project.status, project.version) == ("draft", before)
        assert not ProjectTransition.objects.filter(project=project).exists()

    def test_termination_needs_a_reason(self, world, project):
        with pytest.raises(ValidationFailed) as exc:
            _move(world, project, "terminated")
        assert exc.value.errors[0].field == "reason"
        assert _move(world, project, "terminated", reason="funding fell through").status == (
            "terminated"
        )

    def test_closed_is_final(self, world, project):
        p = _move(world, project, "proposed", "feasibility", "approved", "contracted",
                  "in_progress", "acceptance", "closed")  # fmt: skip
        with pytest.raises(ValidationFailed):
            _move(world, p, "terminated", reason="x")

    def test_a_stale_version_is_told(self, world, project):
        services.project_update(actor=world.users["secretariat"], project_id=project.pk,
                                version=project.version, name="Renamed")  # fmt: skip
        with pytest.raises(Conflict):
            services.project_update(actor=world.users["secretariat"], project_id=project.pk,
                                    version=project.version, name="Lost")  # fmt: skip
        assert Project.objects.get(pk=project.pk).name == "Renamed"

    def test_only_the_secretariat_moves_projects(self, world, project):
        for name in ("unit_admin", "observer", "supervisor"):
            with pytest.raises(Forbidden):
                services.project_move(actor=world.users[name], project_id=project.pk,
                                      to_status="proposed", version=None)  # fmt: skip

    def test_the_lead_must_be_a_member(self, world):
        with pytest.raises(ValidationFailed):
            services.project_create(
                actor=world.users["secretariat"],
                consortium_id=world.a.pk,
                name="x",
                type="other",
                lead_unit_id=world.units["x"].pk,
            )


class TestLedger:
    def test_nothing_is_posted_before_approval(self, world, project):
        p = _inputs(world, project)
        _move(world, p, "proposed", "feasibility")
        assert not _live(p).exists()

    def test_approval_posts_actual_inputs_into_the_pool(self, world, project):
        p = _move(world, _inputs(world, project), "proposed", "feasibility", "approved")
        live = {(e.giver_unit_id, e.receiver_pool, e.quantity, e.value) for e in _live(p)}
        assert live == {
            (world.units["ent"].pk, f"project:{p.pk}", Decimal("80000"), Decimal("80000.00")),
            (world.units["school"].pk, f"project:{p.pk}", Decimal("30"), Decimal("9000.00")),
        }

    def test_a_corrected_input_reverses_and_reposts(self, world, project):
        p = _move(world, _inputs(world, project), "proposed", "feasibility", "approved")
        inp = p.inputs.get(unit=world.units["ent"])
        services.input_record(actor=world.users["secretariat"], project_id=p.pk,
                              unit_id=inp.unit_id, category="money", committed=inp.committed,
                              actual=Decimal("90000"), on=D, input_id=inp.pk)  # fmt: skip
        assert sorted(e.value for e in _live(p)) == [Decimal("9000.00"), Decimal("90000.00")]
        total = sum(e.value for e in LedgerEntry.objects.filter(source_id=p.pk,
                    source_type="cooperation.project"))  # fmt: skip
        assert total == Decimal("99000.00")  # the reversal cancels the old 80000

    def test_acceptance_posts_outputs_to_the_receivers(self, world, project):
        p = _move(world, _inputs(world, project), "proposed", "feasibility", "approved",
                  "contracted", "in_progress")  # fmt: skip
        services.output_record(
            actor=world.users["secretariat"],
            project_id=p.pk,
            title="Inspection method",
            category="problems_solved",
            quantity=Decimal("1"),
            receiver_id=world.units["other"].pk,
            on=D,
        )
        p.refresh_from_db()
        assert not _live(p).filter(giver_kind="pool").exists()
        _move(world, p, "acceptance")
        out = _live(p).get(giver_kind="pool")
        assert out.receiver_unit_id == world.units["other"].pk

    def test_termination_after_approval_keeps_what_was_given(self, world, project):
        p = _move(world, _inputs(world, project), "proposed", "feasibility", "approved")
        p = _move(world, p, "terminated", reason="partner left")
        assert _live(p).count() == 2

    def test_a_missing_valuation_rule_fails_the_whole_move(self, world, project):
        p = _inputs(world, project)
        services.input_record(actor=world.users["secretariat"], project_id=p.pk,
                              unit_id=world.units["ent"].pk, category="equipment",
                              actual=Decimal("2"), on=D)  # fmt: skip
        p.refresh_from_db()
        p = _move(world, p, "proposed", "feasibility")
        with pytest.raises(ValidationFailed) as exc:
            _move(world, p, "approved")
        assert "valuation rule" in exc.value.message
        p.refresh_from_db()
        assert p.status == "feasibility" and p.approved_on is None and not _live(p).exists()

    def test_inputs_only_from_participants(self, world, project):
        with pytest.raises(ValidationFailed):
            services.input_record(actor=world.users["secretariat"], project_id=project.pk,
                                  unit_id=world.units["other"].pk, category="money",
                                  actual=Decimal(1), on=D)  # fmt: skip


class TestDetail:
    def test_detail_shows_the_ledger_it_caused(self, world, project):
        p = _move(world, _inputs(world, project), "proposed", "feasibility", "approved")
        services.milestone_save(actor=world.users["secretariat"], project_id=p.pk,
                                title="Prototype", progress=40)  # fmt: skip
        services.budget_line_add(actor=world.users["secretariat"], project_id=p.pk,
                                 source="enterprise", amount=Decimal("100000"))  # fmt: skip
        d = selectors.project_detail(user=world.users["secretariat"], project_id=p.pk)
        assert len(d.ledger) == 2 and d.ledger_total == Decimal("89000.00")
        with override("zh-hans"):  # the pool by its project's name, not project:<id>
            assert {e.receiver_pool_label for e in d.ledger} == {f"项目账户「{p.name}」"}
        assert d.milestones[0].progress == 40 and d.budget_total == Decimal("100000")
        # a non-participant member sees the project but not the inputs or the budget
        o = selectors.project_detail(user=world.users["observer"], project_id=p.pk)
        assert o.inputs == [] and o.budget == [] and o.ledger == []
