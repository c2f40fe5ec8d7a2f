"""API endpoints for dynamics and games: thin, over selectors and services. The saved
scenarios' list, detail, create (the save service), PATCH and delete come from their
declaration (``modelling.declarations``)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from gongsheng.declare.api import router_for
from gongsheng.declare.declaration import declaration_for
from gongsheng.modelling import selectors
from gongsheng.modelling.choices import ScenarioKind
from gongsheng.modelling.models import Scenario
from gongsheng.modelling.schemas import GameIn, LogisticIn

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
    """The incentives the consortium's policies give in ``year``, with their sources; ΔR, α,
    the costs, spill-overs, C_g and L from its ledger (``defaults``, ``default_years``) and the
    sweep's upper end (``bracket_hi``), all in units of ``scale`` CNY."""
    return selectors.game_prefill(
        user=request.user, consortium_id=consortium_id, year=year, scale=scale
    ).as_dict()


@router.post("/modelling/consortia/{consortium_id}/game", response=dict[str, Any])
def game_run(request: HttpRequest, consortium_id: int, payload: GameIn):
    """Run the government–school–enterprise game (nothing is stored). Parameters not given
    take the game page's starting values: the consortium's ledger defaults and the policies'
    amounts in ``year`` (this year when not given), in units of ``scale`` CNY, and a sweep
    that covers them (``GET .../game/prefill`` lists them)."""
    inputs = selectors.game_inputs(
        user=request.user, consortium_id=consortium_id, given=_flat(payload)
    )
    return selectors.run(
        user=request.user, consortium_id=consortium_id, kind=ScenarioKind.GAME, inputs=inputs
    )


# GET/POST /modelling/scenarios, GET/PATCH/DELETE /modelling/scenarios/{id}
router_for(declaration_for(Scenario), router)
