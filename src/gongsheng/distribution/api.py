"""API endpoints for benefit distribution: thin, over selectors and services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.core.api_helpers import client_version, patch_data, set_etag
from gongsheng.distribution import selectors, services
from gongsheng.distribution.schemas import (
    FactorsIn,
    OwnShareOut,
    ResultsOut,
    SaveIn,
    StudyIn,
    StudyOut,
    StudyPatch,
    TotalIn,
    ValuesIn,
)

router = Router(tags=["distribution"])


@router.get("/distribution/studies", response=list[StudyOut])
@paginate(LimitOffsetPagination)
def study_list(request: HttpRequest, consortium: int | None = None, scope: str = ""):
    return selectors.study_list(user=request.user, consortium_id=consortium, scope_=scope)


@router.post("/distribution/studies", response={201: StudyOut})
def study_create(request: HttpRequest, payload: StudyIn):
    data = payload.dict()
    if data["players"] is not None:
        data["players"] = [dict(p) for p in data["players"]]
    return Status(201, services.study_create(actor=request.user, **data))


def _results(request: HttpRequest, response: HttpResponse, study_id: int) -> dict:
    d = selectors.study_detail(user=request.user, study_id=study_id)
    set_etag(response, d.study.version)
    return {
        "study": d.study,
        "players": [r.player for r in d.players],
        "coalitions": [c.value for c in d.coalitions],
        "missing": d.missing,
        "results": selectors.rendered_results(d.study.results),
    }


@router.get("/distribution/studies/{study_id}", response=ResultsOut)
def study_detail(request: HttpRequest, response: HttpResponse, study_id: int):
    """The study, its players, every coalition value with its source, and the results."""
    return _results(request, response, study_id)


@router.patch("/distribution/studies/{study_id}", response=StudyOut)
def study_update(request: HttpRequest, response: HttpResponse, study_id: int, payload: StudyPatch):
    version, data = patch_data(payload)
    s = services.study_update(
        actor=request.user, study_id=study_id, version=client_version(request, version), **data
    )
    set_etag(response, s.version)
    return s


@router.put("/distribution/studies/{study_id}/values", response=ResultsOut)
def values_set(request: HttpRequest, response: HttpResponse, study_id: int, payload: ValuesIn):
    services.coalition_values_set(**_versioned(request, study_id, payload), values=payload.values)
    return _results(request, response, study_id)


@router.put("/distribution/studies/{study_id}/factors", response=ResultsOut)
def factors_set(request: HttpRequest, response: HttpResponse, study_id: int, payload: FactorsIn):
    services.player_factors_set(**_versioned(request, study_id, payload), factors=payload.factors)
    return _results(request, response, study_id)


def _versioned(request: HttpRequest, study_id: int, payload: Any) -> dict[str, Any]:
    """A versioned write's who and what: the user, the study, the version they read (the
    body's ``version`` or If-Match)."""
    return {
        "actor": request.user,
        "study_id": study_id,
        "version": client_version(request, payload.version),
    }


@router.put("/distribution/studies/{study_id}/total", response=StudyOut)
def total_set(request: HttpRequest, response: HttpResponse, study_id: int, payload: TotalIn):
    s = services.study_total_set(
        **_versioned(request, study_id, payload), total=payload.total, basis=payload.basis
    )
    set_etag(response, s.version)
    return s


@router.post("/distribution/studies/{study_id}/compute", response=ResultsOut)
def study_compute(request: HttpRequest, response: HttpResponse, study_id: int):
    services.study_compute(actor=request.user, study_id=study_id)
    return _results(request, response, study_id)


@router.post("/distribution/studies/{study_id}/save-to-contract", response=StudyOut)
def save_to_contract(request: HttpRequest, study_id: int, payload: SaveIn):
    return services.study_save_to_contract(
        actor=request.user, study_id=study_id, contract_id=payload.contract_id,
        method=payload.method, contract_version=payload.contract_version,
    )  # fmt: skip


@router.get("/distribution/my-shares", response=list[OwnShareOut])
@paginate(LimitOffsetPagination)
def my_shares(request: HttpRequest, consortium: int | None = None):
    """Your unit's shares in the studies it takes part in."""
    return [
        {"study_id": s.study.pk, "study_title": s.study.title, "player": s.player.label,
         "input_share": s.input_share, "shares": s.shares}
        for s in selectors.own_shares(user=request.user, consortium_id=consortium)
    ]  # fmt: skip
