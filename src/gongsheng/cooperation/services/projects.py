"""Projects: create, edit, move through the lifecycle, record inputs and outputs.

The ledger follows the project's current facts (docs/decisions/0402-project-ledger-flows.md):

* a participant's **actual** input flows unit → pool ``project:<id>`` once the project has been
  approved (``approved_on`` set; it stays set when the project is later terminated, because what
  was given was given); commitments never reach the ledger;
* an output flows pool ``project:<id>`` → its receiving unit once the project reached acceptance
  (``accepted_on`` set).

Every write that changes those facts calls :func:`_sync` inside its transaction, and
``flows_sync`` reverses and reposts so the ledger always equals the project.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import record_written, snapshot
from gongsheng.consortia.models import Membership
from gongsheng.cooperation.choices import (
    ACCEPTED_OR_LATER,
    APPROVED_OR_LATER,
    PROJECT_TRANSITIONS,
    ParticipantRole,
    ProjectStatus,
)
from gongsheng.cooperation.models import (
    BudgetLine,
    Milestone,
    Participant,
    Project,
    ProjectInput,
    ProjectOutput,
    ProjectTransition,
)
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.core.services import check_version, full_clean_or_raise, save_versioned
from gongsheng.declare import services as declared
from gongsheng.ledger.services import Flow, Party, category_for, flows_sync
from gongsheng.notifications import recipients as notified
from gongsheng.notifications.services import notify


def _lock(actor: Actor, project_id: int, action: str = "change") -> Project:
    qs = Project.objects.select_for_update()
    if is_system(actor):
        return qs.get(pk=project_id)
    return access_object(actor, qs, project_id, action)


def _check_member(consortium_id: int, unit_id: int, field: str) -> None:
    if not Membership.objects.filter(
        consortium_id=consortium_id, unit_id=unit_id, status="admitted"
    ).exists():
        raise ValidationFailed(
            _("The unit is not an admitted member of this consortium."),
            [FieldError(field, _("not an admitted member"))],
        )


def project_flows(project: Project) -> list[Flow]:
    """The ledger flows the project's current facts cause."""
    flows: list[Flow] = []
    pool = Party.of_pool(project.pool)
    if project.approved_on is not None:
        for inp in project.inputs.all():
            if inp.actual > 0:
                flows.append(
                    Flow(
                        key=f"input:{inp.pk}",
                        date=inp.on,
                        category=inp.category,
                        quantity=inp.actual,
                        giver=Party.unit(inp.unit_id),
                        receiver=pool,
                        note=str(project)[:200],
                    )
                )
    if project.accepted_on is not None:
        for out in project.outputs.all():
            flows.append(
                Flow(
                    key=f"output:{out.pk}",
                    date=out.on,
                    category=out.category,
                    quantity=out.quantity,
                    giver=pool,
                    receiver=Party.unit(out.receiver_id),
                    note=out.title[:200],
                )
            )
    return flows


def _sync(actor: Actor, project: Project) -> None:
    flows_sync(
        actor=actor, consortium_id=project.consortium_id, source=project,
        flows=project_flows(project),
    )  # fmt: skip


def _touch(actor: Actor, project: Project, what: str, obj: Any, before: Any = None) -> None:
    """A part of the project changed: bump its version (so stale forms are told) and audit."""
    save_versioned(project, [])
    record_written(
        actor, obj, EventType.PROJECT_DETAIL_CHANGED, Action.UPDATE if before else Action.CREATE,
        before=before, consortium_id=project.consortium_id, unit_id=project.lead_unit_id,
        message=what,
    )  # fmt: skip


def _declared() -> Any:
    from gongsheng.declare.declaration import declaration_for

    return declaration_for(Project)


def project_create(*, actor: Actor, consortium_id: int, **data: Any) -> Project:
    """A new draft project; its lead unit (an admitted member) takes part in it as the lead."""
    return declared.create(_declared(), actor=actor, consortium_id=consortium_id, **data)


def project_update(*, actor: Actor, project_id: int, version: int | None, **data: Any) -> Project:
    """Change a project's own fields (its status moves only through :func:`project_move`)."""
    return declared.update(_declared(), actor=actor, pk=project_id, version=version, **data)


#: a project in these states takes no more parts (milestones, participants, inputs, outputs,
#: budget lines): its page hides their forms and the services refuse them
FINISHED = frozenset({ProjectStatus.CLOSED, ProjectStatus.TERMINATED})


def _check_open(project: Project) -> None:
    if project.status in FINISHED:
        raise ValidationFailed(
            _("The project is %(status)s: its parts can no longer be changed.")
            % {"status": ProjectStatus(project.status).label},
            [FieldError("project", _("closed to changes"))],
        )


def _check_finishable(project: Project, on: dt.date) -> None:
    """A project is accepted or closed only once it has started and every milestone is decided
    (done: a date it was done or 100 %)."""
    errors = []
    if project.starts_on is not None and on < project.starts_on:
        errors.append(
            FieldError("on", _("before the project starts (%(d)s)") % {"d": project.starts_on})
        )
    undecided = [
        m.title for m in project.milestones.all() if m.done_on is None and m.progress < 100
    ]
    if undecided:
        errors.append(
            FieldError("milestones", _("not decided yet: %(t)s") % {"t": "、".join(undecided)})
        )
    if errors:
        rule = _(
            "A project is accepted or closed only after it starts and once its milestones are "
            "decided."
        )
        # the page shows the message alone: it names what is missing too
        raise ValidationFailed(f"{rule} {'; '.join(str(e.message) for e in errors)}", errors)


@transaction.atomic
def project_move(
    *,
    actor: Actor,
    project_id: int,
    to_status: str,
    version: int | None,
    reason: str = "",
    on: dt.date | None = None,
) -> Project:
    """Move a project one step in its lifecycle; record who and why; bring the ledger in step."""
    project = _lock(actor, project_id, "move")
    check_version(project, version)
    allowed = PROJECT_TRANSITIONS.get(project.status, ())
    if to_status not in allowed:
        names = ", ".join(str(ProjectStatus(s).label) for s in allowed) or _("none")
        raise ValidationFailed(
            _("A project cannot move from %(from)s to %(to)s (possible: %(allowed)s).")
            % {
                "from": ProjectStatus(project.status).label,
                "to": ProjectStatus(to_status).label
                if to_status in ProjectStatus.values
                else to_status,
                "allowed": names,
            },
            [FieldError("to_status", _("not a possible next step"))],
        )
    backwards = to_status == ProjectStatus.DRAFT
    if (to_status == ProjectStatus.TERMINATED or backwards) and not reason.strip():
        raise ValidationFailed(
            _("Say why the project is terminated or sent back."),
            [FieldError("reason", _("required for this move"))],
        )
    on = on or timezone.localdate()
    if to_status in ACCEPTED_OR_LATER:
        _check_finishable(project, on)
    before = snapshot(project)
    old = project.status
    project.status = to_status
    fields = ["status"]
    if to_status in APPROVED_OR_LATER and project.approved_on is None:
        project.approved_on = on
        fields.append("approved_on")
    if to_status in ACCEPTED_OR_LATER and project.accepted_on is None:
        project.accepted_on = on
        fields.append("accepted_on")
    save_versioned(project, fields)
    ProjectTransition.objects.create(
        project=project,
        from_status=old,
        to_status=to_status,
        on=on,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:300],
    )
    _sync(actor, project)
    record_written(
        actor, project, EventType.PROJECT_MOVED, before=before, unit_id=project.lead_unit_id,
        message=f"{old} → {to_status}: {reason}"[:500],
    )  # fmt: skip
    units = [project.lead_unit_id, *project.participants.values_list("unit_id", flat=True)]
    people = notified.unit_admins(project.consortium_id, units)
    notify(people, "project.moved", project, actor=actor, context={"reason": reason})
    return project


@transaction.atomic
def participant_add(
    *, actor: Actor, project_id: int, unit_id: int, role: str = ParticipantRole.PARTNER
) -> Participant:
    project = _lock(actor, project_id)
    _check_open(project)
    _check_member(project.consortium_id, unit_id, "unit")
    if role not in ParticipantRole.values:
        raise ValidationFailed(_("Unknown role."), [FieldError("role", _("unknown role"))])
    participant, created = Participant.objects.get_or_create(
        project=project, unit_id=unit_id, defaults={"role": role}
    )
    if not created:
        raise ValidationFailed(
            _("The unit already takes part in this project."),
            [FieldError("unit", _("already a participant"))],
        )
    _touch(actor, project, "participant added", participant)
    return participant


@transaction.atomic
def input_record(
    *,
    actor: Actor,
    project_id: int,
    unit_id: int,
    category: str,
    committed: Decimal = Decimal(0),
    actual: Decimal = Decimal(0),
    on: dt.date,
    note: str = "",
    input_id: int | None = None,
) -> ProjectInput:
    """Record (or correct) a participant's committed and actual input."""
    project = _lock(actor, project_id)
    _check_open(project)
    if not Participant.objects.filter(project=project, unit_id=unit_id).exists():
        raise ValidationFailed(
            _("Only a participant of the project records inputs; add the unit first."),
            [FieldError("unit", _("not a participant"))],
        )
    category_for(project.consortium_id, category)
    errors = [
        FieldError(name, _("cannot be negative"))
        for name, value in (("committed", committed), ("actual", actual))
        if Decimal(value) < 0
    ]
    if errors:
        raise ValidationFailed(_("The input is not valid."), errors)
    if input_id is None:
        inp = ProjectInput(project=project)
        before = None
    else:
        inp = ProjectInput.objects.select_for_update().get(pk=input_id, project=project)
        before = snapshot(inp)
    inp.unit_id, inp.category, inp.on, inp.note = unit_id, category, on, note
    inp.committed, inp.actual = Decimal(committed), Decimal(actual)
    inp.save()
    _touch(actor, project, "input recorded", inp, before)
    _sync(actor, project)
    return inp


@transaction.atomic
def output_record(
    *,
    actor: Actor,
    project_id: int,
    title: str,
    category: str,
    quantity: Decimal,
    receiver_id: int,
    on: dt.date,
) -> ProjectOutput:
    project = _lock(actor, project_id)
    _check_open(project)
    _check_member(project.consortium_id, receiver_id, "receiver")
    category_for(project.consortium_id, category)
    out = ProjectOutput(
        project=project, title=title, category=category, quantity=Decimal(quantity),
        receiver_id=receiver_id, on=on,
    )  # fmt: skip
    full_clean_or_raise(out, message=_("The output is not valid."))
    out.save()
    _touch(actor, project, "output recorded", out)
    _sync(actor, project)
    return out


@transaction.atomic
def milestone_save(
    *,
    actor: Actor,
    project_id: int,
    title: str,
    due_on: dt.date | None = None,
    progress: int = 0,
    done_on: dt.date | None = None,
    milestone_id: int | None = None,
) -> Milestone:
    project = _lock(actor, project_id)
    _check_open(project)
    if milestone_id is None:
        m, before = Milestone(project=project), None
    else:
        m = Milestone.objects.select_for_update().get(pk=milestone_id, project=project)
        before = snapshot(m)
    m.title, m.due_on, m.progress, m.done_on = title, due_on, int(progress), done_on
    if not 0 <= m.progress <= 100:
        raise ValidationFailed(
            _("Progress is a percentage."), [FieldError("progress", _("between 0 and 100"))]
        )
    full_clean_or_raise(m, message=_("The milestone is not valid."), exclude=["project"])
    m.save()
    _touch(actor, project, "milestone saved", m, before)
    return m


@transaction.atomic
def budget_line_add(
    *,
    actor: Actor,
    project_id: int,
    source: str,
    amount: Decimal,
    unit_id: int | None = None,
    note: str = "",
) -> BudgetLine:
    project = _lock(actor, project_id)
    _check_open(project)
    line = BudgetLine(project=project, source=source, amount=Decimal(amount), unit_id=unit_id,
                      note=note)  # fmt: skip
    full_clean_or_raise(line, message=_("The budget line is not valid."), exclude=["project"])
    line.save()
    _touch(actor, project, "budget line added", line)
    return line
