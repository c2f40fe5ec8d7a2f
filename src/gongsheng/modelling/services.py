"""Every write of the modelling app: saving, renaming and deleting scenarios.

A scenario is saved by running the model again from its inputs inside the service (so what is
kept is exactly what those inputs give, never a result a client sent), then stored with its
inputs and audited. Only the secretariat (and platform admins) save.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, check_saved
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record
from gongsheng.core.errors import FieldError, Forbidden, ValidationFailed
from gongsheng.core.services import (
    apply_changes,
    check_version,
    full_clean_or_raise,
    save_versioned,
)
from gongsheng.modelling import runs, selectors
from gongsheng.modelling.choices import ScenarioKind
from gongsheng.modelling.models import Scenario

EDIT_FIELDS = {"name", "note"}


def _snapshot(s: Scenario) -> dict[str, Any]:
    return {"name": s.name, "note": s.note, "kind": s.kind, "inputs": s.inputs}


@transaction.atomic
def scenario_save(
    *, actor: Actor, consortium_id: int, kind: str, name: str, note: str = "", data: dict[str, Any]
) -> Scenario:
    """Run the model from ``data`` (the form's or API's inputs) and keep inputs and result."""
    system = is_system(actor)  # the demo loader: game scenarios only, no access check
    if not system and not selectors.may_save(user=actor, consortium_id=consortium_id):
        selectors.viewable_consortium(user=actor, consortium_id=consortium_id)  # 404 first
        raise Forbidden(_("Only the secretariat saves scenarios."))
    if kind not in ScenarioKind.values:
        raise ValidationFailed(
            _("The scenario could not be saved."),
            [FieldError("kind", _("must be one of %(k)s") % {"k": ", ".join(ScenarioKind.values)})],
        )
    inputs = selectors.run_inputs(kind, data)
    if system:
        if kind != ScenarioKind.GAME:
            raise ValidationFailed(_("The system saves game scenarios only."))
        opts = {k: inputs[k] for k in ("sweep_param", "bracket_hi", "grid")}
        result = runs.game_run(inputs["params"], **opts)
    else:
        result = selectors.run(user=actor, consortium_id=consortium_id, kind=kind, inputs=inputs)
    scenario = Scenario(
        consortium_id=consortium_id, kind=kind, name=(name or "").strip(), note=note or "",
        inputs=inputs, result=result, created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    full_clean_or_raise(scenario, message=_("The scenario could not be saved."))
    scenario.save()
    if not system:
        check_saved(actor, [scenario], "add")
    audit_record(
        actor=actor, event=EventType.SCENARIO_SAVED, action=Action.CREATE, obj=scenario,
        after=_snapshot(scenario), consortium_id=consortium_id,
    )  # fmt: skip
    return scenario


@transaction.atomic
def scenario_update(
    *, actor: Actor, scenario_id: int, version: int | None, **data: Any
) -> Scenario:
    """Rename or annotate a scenario (its inputs and result never change)."""
    qs = Scenario.objects.select_for_update(of=("self",))
    scenario = access_object(actor, qs, scenario_id, "change")
    check_version(scenario, version)
    before = _snapshot(scenario)
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
    changes = apply_changes(scenario, data, EDIT_FIELDS)
    if not changes:
        return scenario
    full_clean_or_raise(scenario, message=_("The scenario could not be saved."))
    save_versioned(scenario, list(changes))
    audit_record(
        actor=actor, event=EventType.SCENARIO_CHANGED, action=Action.UPDATE, obj=scenario,
        before=before, after=_snapshot(scenario), consortium_id=scenario.consortium_id,
    )  # fmt: skip
    return scenario


@transaction.atomic
def scenario_delete(*, actor: Actor, scenario_id: int, version: int | None = None) -> None:
    qs = Scenario.objects.select_for_update(of=("self",))
    scenario = access_object(actor, qs, scenario_id, "delete")
    check_version(scenario, version)
    audit_record(
        actor=actor, event=EventType.SCENARIO_DELETED, action=Action.DELETE, obj=scenario,
        before=_snapshot(scenario), consortium_id=scenario.consortium_id,
    )  # fmt: skip
    scenario.delete()
