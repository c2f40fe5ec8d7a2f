"""The saved scenario's declaration: the API (``/modelling/scenarios`` and
``/modelling/scenarios/{id}``: list, detail, PATCH, DELETE) and the update / delete services
come from it
(``gongsheng.declare``); saving stays the app's explicit service (``services.scenario_save``),
which the API's create calls (``create_service``).

What does not fit, and why: a save is not a write of the fields a client sends — the service
runs the model again from the inputs (so the kept result is what those inputs give) and stores
inputs and result, which nobody edits afterwards (only ``name`` and ``note`` are ``fields``).
The pages stay the app's own (``views``): the list filters by model and leads to the
comparison, the detail page draws the run's charts and carries the rename/delete form on the
same URL (``modelling:scenario``), and a scenario is saved from the model pages. No
import/export table: inputs and results are JSON payloads of a run, not rows of a sheet.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.declare.declaration import Declaration, Events, register
from gongsheng.modelling.models import Scenario
from gongsheng.modelling.schemas import ScenarioDetailOut, ScenarioIn, ScenarioOut, ScenarioPatch


class ScenarioFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind")  # as before: an exact match, "" = all

    class Meta:
        model = Scenario
        fields: list[str] = []


def api_save(*, actor: Any, inputs: dict[str, Any] | None = None, **data: Any) -> Scenario:
    """``POST /modelling/scenarios``: the run endpoints' body as ``inputs``, run and kept."""
    from gongsheng.modelling import services

    return services.scenario_save(actor=actor, data=inputs or {}, **data)


@register
class ScenarioDeclaration(Declaration):
    model = Scenario
    name = "modelling/scenarios"
    namespace = "modelling"
    label = gettext_lazy("modelling scenarios")
    id_name = "scenario_id"
    fields = ("name", "note")
    events = Events(
        EventType.SCENARIO_SAVED, EventType.SCENARIO_CHANGED, EventType.SCENARIO_DELETED
    )
    pages = False
    transfer = False
    filterset = ScenarioFilter
    schema_out, schema_list = ScenarioDetailOut, ScenarioOut
    schema_in, schema_patch = ScenarioIn, ScenarioPatch
    create_service = "gongsheng.modelling.declarations.api_save"
    api_tags = ["modelling"]
    select_related = ("consortium", "created_by")
    invalid_message = gettext_lazy("The scenario could not be saved.")

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().order_by("-id")

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        if "name" in data:
            data = {**data, "name": (data["name"] or "").strip()}
        return data

    def snapshot(self, obj: Model) -> dict[str, Any]:
        return {"name": obj.name, "note": obj.note, "kind": obj.kind, "inputs": obj.inputs}
