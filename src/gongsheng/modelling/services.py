"""Every write of the modelling app: saving, renaming and deleting scenarios.

A scenario is saved by running the model again from its inputs inside the service (so what is
kept is exactly what those inputs give, never a result a client sent), then stored with its
inputs and audited (the declared create). Only the secretariat (and platform admins) save.
Renaming and deleting are the declared update and delete (``modelling.declarations``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.core.errors import FieldError, Forbidden, ValidationFailed
from gongsheng.declare import services as declared
from gongsheng.declare.declaration import declaration_for
from gongsheng.modelling import runs, selectors
from gongsheng.modelling.choices import ScenarioKind
from gongsheng.modelling.models import Scenario


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
    # the declared create: name and note, the run's kind, inputs and result fixed, audited
    return declared.create(
        declaration_for(Scenario), actor=actor, consortium_id=consortium_id, name=name or "",
        note=note or "", kind=kind, inputs=inputs, result=result,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip


def scenario_update(
    *, actor: Actor, scenario_id: int, version: int | None, **data: Any
) -> Scenario:
    """Rename or annotate a scenario (its inputs and result never change)."""
    return declared.update(
        declaration_for(Scenario), actor=actor, pk=scenario_id, version=version, **data
    )


def scenario_delete(*, actor: Actor, scenario_id: int, version: int | None = None) -> None:
    declared.delete(declaration_for(Scenario), actor=actor, pk=scenario_id, version=version)
