"""Issue 13 point 7 for projects: no acceptance or closing before the project starts or with a
milestone not decided; a closed project takes no more parts (and its page hides their forms);
each step's message says what changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from gongsheng.access.actors import SYSTEM
from gongsheng.cooperation import services
from gongsheng.cooperation.models import Project
from gongsheng.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

TO_IN_PROGRESS = ("proposed", "feasibility", "approved", "contracted", "in_progress")


def _to(p, *steps, on=None):
    for step in steps:
        p = services.project_move(actor=SYSTEM, project_id=p.pk, to_status=step, version=None,
                                  on=on, reason="rework" if step == "terminated" else "")  # fmt: skip
    return p


def _fields(exc):
    return {e.field: str(e.message) for e in exc.value.errors}


def test_acceptance_waits_for_the_start_and_for_every_milestone(world, project):
    project = services.project_update(actor=SYSTEM, project_id=project.pk, version=None,
                                      starts_on=dt.date(2025, 3, 1))  # fmt: skip
    p = _to(project, *TO_IN_PROGRESS, on=dt.date(2025, 1, 10))
    m = services.milestone_save(actor=SYSTEM, project_id=p.pk, title="Prototype", progress=60)
    with pytest.raises(ValidationFailed) as exc:
        _to(p, "acceptance", on=dt.date(2025, 2, 1))
    assert set(_fields(exc)) == {"on", "milestones"}
    assert "Prototype" in _fields(exc)["milestones"] and "2025-03-01" in _fields(exc)["on"]
    assert Project.objects.get(pk=p.pk).status == "in_progress"
    # done on a date (or at 100 %) decides it; after the start the move goes through
    services.milestone_save(actor=SYSTEM, project_id=p.pk, milestone_id=m.pk, title="Prototype",
                            progress=60, done_on=dt.date(2025, 3, 20))  # fmt: skip
    services.milestone_save(actor=SYSTEM, project_id=p.pk, title="Report", progress=100)
    with pytest.raises(ValidationFailed) as exc:
        _to(p, "acceptance", on=dt.date(2025, 2, 28))
    assert set(_fields(exc)) == {"on"}
    p = _to(p, "acceptance", on=dt.date(2025, 3, 1))
    assert p.status == "acceptance" and p.accepted_on == dt.date(2025, 3, 1)
    # closing asks the same: a milestone added during acceptance must be decided first
    services.milestone_save(actor=SYSTEM, project_id=p.pk, title="Follow-up")
    with pytest.raises(ValidationFailed) as exc:
        _to(p, "closed", on=dt.date(2025, 4, 1))
    assert set(_fields(exc)) == {"milestones"}


def test_terminating_needs_neither(world, project):
    services.milestone_save(actor=SYSTEM, project_id=project.pk, title="Open")
    p = _to(project, "proposed", "terminated", on=dt.date(2024, 12, 1))
    assert p.status == "terminated"


@pytest.mark.parametrize("end", ["closed", "terminated"])
def test_a_finished_project_takes_no_more_parts_and_hides_their_forms(world, project, client, end):
    p = _to(project, *TO_IN_PROGRESS)
    p = _to(p, "acceptance", "closed") if end == "closed" else _to(p, "terminated")
    sec, u = world.users["secretariat"], world.units
    version = Project.objects.get(pk=p.pk).version
    calls = [
        lambda: services.milestone_save(actor=sec, project_id=p.pk, title="Late"),
        lambda: services.participant_add(actor=sec, project_id=p.pk, unit_id=u["other"].pk),
        lambda: services.budget_line_add(
            actor=sec, project_id=p.pk, source="school", amount=Decimal(1)
        ),
        lambda: services.input_record(
            actor=sec,
            project_id=p.pk,
            unit_id=u["ent"].pk,
            category="money",
            actual=Decimal(1),
            on=dt.date(2025, 6, 1),
        ),
        lambda: services.output_record(
            actor=sec,
            project_id=p.pk,
            title="Late",
            category="money",
            quantity=Decimal(1),
            receiver_id=u["school"].pk,
            on=dt.date(2025, 6, 1),
        ),
    ]
    for call in calls:
        with pytest.raises(ValidationFailed) as exc:
            call()
        assert set(_fields(exc)) == {"project"}
    assert Project.objects.get(pk=p.pk).version == version  # nothing written
    client.force_login(sec)
    body = client.get(f"/projects/{p.pk}/").content.decode()
    for form in ("input-form", "output-form", "participant-form"):
        assert f'id="{form}"' not in body
    assert "/milestone/" not in body and "/budget/" not in body
    r = client.post(f"/projects/{p.pk}/milestone/", {"title": "Late", "progress": "0"},
                    follow=True)  # fmt: skip
    assert "不能再添加或修改" in r.content.decode()
    # an open project shows them
    body = client.get(f"/projects/{_open_project(world).pk}/").content.decode()
    assert 'id="input-form"' in body and "/milestone/" in body


def _open_project(world):
    return services.project_create(actor=SYSTEM, consortium_id=world.a.pk, name="Open one",
                                   type="other", lead_unit_id=world.units["ent"].pk)  # fmt: skip


def _message(response):
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_each_step_says_what_changed(world, project, client):
    client.force_login(world.users["secretariat"])
    a = world.a.pk
    r = client.post(f"/consortia/{a}/projects/new/", {
        "name": "Gearbox", "type": "joint_rd", "lead_unit": world.units["ent"].pk})  # fmt: skip
    assert _message(r) == "已创建项目“Gearbox”（草稿）。"
    new = Project.objects.get(name="Gearbox")
    form = {"name": "Gearbox II", "type": "joint_rd", "lead_unit": world.units["ent"].pk,
            "starts_on": "2025-05-01", "version": new.version}  # fmt: skip
    r = client.post(f"/projects/{new.pk}/edit/", form)
    assert _message(r) == "已保存项目“Gearbox II”，修改了：名称、开始日期。"
    r = client.post(f"/projects/{new.pk}/edit/", {**form, "version": new.version + 1})
    assert _message(r) == "项目“Gearbox II”：没有修改任何内容。"
    r = client.post(f"/projects/{new.pk}/move/", {"to_status": "proposed", "version": 2})
    assert _message(r) == "项目“Gearbox II”现为“已申报”。"
    steps = {
        "milestone": ({"title": "Design", "progress": "0"}, "已添加里程碑“Design”。"),
        "participant": ({"unit": world.units["school"].pk, "role": "partner"},
                        "Unit school 已作为“合作单位”参与项目。"),
        "budget": ({"source": "school", "amount": "1200.5"}, "已添加预算：学校资金，1,200.50 元。"),
        "input": ({"unit": world.units["school"].pk, "category": "money", "committed": "10",
                   "actual": "5", "on": "2025-06-01"},
                  "已记录 Unit school 的投入：money，承诺 10，实际 5。"),
        "output": ({"title": "Rules", "category": "money", "quantity": "3",
                    "receiver": world.units["ent"].pk, "on": "2025-06-01"},
                   "已为 Unit ent 记录产出“Rules”。"),
    }  # fmt: skip
    for part, (data, want) in steps.items():
        r = client.post(f"/projects/{new.pk}/{part}/", data)
        assert _message(r) == want, part


def test_the_page_names_the_milestone_that_stops_the_acceptance(world, project, client):
    p = _to(project, *TO_IN_PROGRESS)
    services.milestone_save(actor=SYSTEM, project_id=p.pk, title="叶片样机", progress=80)
    client.force_login(world.users["secretariat"])
    r = client.post(
        f"/projects/{p.pk}/move/", {"to_status": "acceptance", "version": p.version + 1}
    )
    message = _message(r)
    assert "各里程碑均已完成" in message and "叶片样机" in message
    assert Project.objects.get(pk=p.pk).status == "in_progress"
