"""API endpoints for dynamics and games: thin, over selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.core.api_helpers import client_version, patch_data, set_etag
from gongsheng.modelling import selectors, services
from gongsheng.modelling.choices import ScenarioKind
from gongsheng.modelling.schemas import (
    GameIn,
    LogisticIn,
    ScenarioDetailOut,
    ScenarioIn,
    ScenarioOut,
    ScenarioPatch,
)

router = Router(tags=["modelling"])


def _flat(payload: Any) -> dict[str, Any]:
    return {k: v for k, v in payload.dict().items() if v is not None}


@router.post("/modelling/consortia/{consortium_id}/logistic", response=dict[str, Any])
def logistic_run(request: HttpRequest, consortium_id: int, payload: LogisticIn):
    """Fit the Logistic system (nothing is stored)."""
    inputs = selectors.run_inputs(ScenarioKind.LOGISTIC, _flat(payload))
    return selectors.run(
        user=request.user, consortium_id=consortium_id, kind=ScenarioKind.LOGISTIC, inputs=inputs
    )


@router.get("/modelling/consortia/{consortium_id}/game/prefill", response=dict[str, Any])
def game_prefill(request: HttpRequest, consortium_id: int, year: int, scale: int = 10_000):
    """The incentives the consortium's policies give in ``year``, with their sources."""
    return selectors.game_prefill(
        user=request.user, consortium_id=consortium_id, year=year, scale=scale
    ).as_dict()


@router.post("/modelling/consortia/{consortium_id}/game", response=dict[str, Any])
def game_run(request: HttpRequest, consortium_id: int, payload: GameIn):
    """Run the government–school–enterprise game (nothing is stored)."""
    inputs = selectors.run_inputs(ScenarioKind.GAME, _flat(payload))
    return selectors.run(
        user=request.user, consortium_id=consortium_id, kind=ScenarioKind.GAME, inputs=inputs
    )


@router.get("/modelling/scenarios", response=list[ScenarioOut])
@paginate(LimitOffsetPagination)
def scenario_list(request: HttpRequest, consortium: int | None = None, kind: str = ""):
    return selectors.scenario_list(user=request.user, consortium_id=consortium, kind=kind)


@router.get("/modelling/scenarios/{scenario_id}", response=ScenarioDetailOut)
def scenario_detail(request: HttpRequest, response: HttpResponse, scenario_id: int):
    scenario = selectors.scenario_get(user=request.user, scenario_id=scenario_id)
    set_etag(response, scenario.version)
    return scenario


@router.post("/modelling/scenarios", response={201: ScenarioDetailOut})
def scenario_save(request: HttpRequest, payload: ScenarioIn):
    """Run the model from ``inputs`` (the run endpoints' body) and keep it (secretariat)."""
    return Status(201, services.scenario_save(
        actor=request.user, consortium_id=payload.consortium_id, kind=payload.kind,
        name=payload.name, note=payload.note, data=payload.inputs,
    ))  # fmt: skip


@router.patch("/modelling/scenarios/{scenario_id}", response=ScenarioDetailOut)
def scenario_update(
    request: HttpRequest, response: HttpResponse, scenario_id: int, payload: ScenarioPatch
):
    version, data = patch_data(payload)
    scenario = services.scenario_update(
        actor=request.user, scenario_id=scenario_id,
        version=client_version(request, version), **data,
    )  # fmt: skip
    set_etag(response, scenario.version)
    return scenario


@router.delete("/modelling/scenarios/{scenario_id}", response={204: None})
def scenario_delete(request: HttpRequest, scenario_id: int):
    services.scenario_delete(
        actor=request.user, scenario_id=scenario_id, version=client_version(request, None)
    )
    return Status(204, None)
