"""API endpoints for projects, contracts, IP and alerts: thin, over selectors and services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.alerts.services import alert_acknowledge
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.ip_texts import ip_text
from gongsheng.cooperation.models import Contract, IPAsset, Project
from gongsheng.cooperation.schemas import (
    ActionIn,
    ActionOut,
    CooperationAlertOut,
    InputIn,
    InputOut,
    IPAssetOut,
    LicenceIn,
    LicenceOut,
    MilestoneIn,
    MilestoneOut,
    OutputIn,
    OutputOut,
    OwnersIn,
    ParticipantIn,
    ParticipantOut,
    VerdictOut,
)
from gongsheng.core.api_helpers import client_version, set_etag
from gongsheng.declare import selectors as declared
from gongsheng.declare.api import router_for
from gongsheng.declare.declaration import declaration_for

router = Router(tags=["cooperation"])


# --- projects: GET/POST /projects, GET/PATCH /projects/{id}, POST /projects/{id}/move are
# declared (cooperation.declarations.projects); the parts are recorded here ---------------
router_for(declaration_for(Project), router)


@router.post("/projects/{project_id}/participants", response={201: ParticipantOut})
def participant_add(request: HttpRequest, project_id: int, payload: ParticipantIn):
    return Status(
        201, services.participant_add(actor=request.user, project_id=project_id, **payload.dict())
    )


@router.post("/projects/{project_id}/inputs", response={201: InputOut})
def input_record(request: HttpRequest, project_id: int, payload: InputIn):
    return Status(
        201, services.input_record(actor=request.user, project_id=project_id, **payload.dict())
    )


@router.post("/projects/{project_id}/outputs", response={201: OutputOut})
def output_record(request: HttpRequest, project_id: int, payload: OutputIn):
    return Status(
        201, services.output_record(actor=request.user, project_id=project_id, **payload.dict())
    )


@router.post("/projects/{project_id}/milestones", response={201: MilestoneOut})
def milestone_add(request: HttpRequest, project_id: int, payload: MilestoneIn):
    return Status(
        201, services.milestone_save(actor=request.user, project_id=project_id, **payload.dict())
    )


# --- contracts --------------------------------------------------------------------------
# GET/POST /contracts, GET/PATCH /contracts/{id} (cooperation.declarations.contracts)
router_for(declaration_for(Contract), router)


# --- IP ---------------------------------------------------------------------------------
# GET/POST /ip-assets, GET/PATCH /ip-assets/{id} (cooperation.declarations.ip)
router_for(declaration_for(IPAsset), router)


@router.put("/ip-assets/{asset_id}/owners", response=IPAssetOut)
def ip_owners_set(request: HttpRequest, response: HttpResponse, asset_id: int, payload: OwnersIn):
    """Replace the owners and shares (``If-Match`` or ``version``); checked as a transfer by
    every owner whose share shrinks, like the edit page."""
    data = payload.dict()
    asset = services.ip_owners_set(
        actor=request.user, asset_id=asset_id,
        version=client_version(request, data.pop("version")),
        owners=[(o["unit_id"], o["share"]) for o in data.pop("owners")], **data,
    )  # fmt: skip
    set_etag(response, asset.version)
    return declared.get(declaration_for(IPAsset), user=request.user, pk=asset.pk)


@router.get("/ip-assets/{asset_id}/licences", response=list[LicenceOut])
def licence_list(request: HttpRequest, asset_id: int):
    return selectors.ip_asset_detail(user=request.user, asset_id=asset_id).licences


@router.post("/ip-assets/{asset_id}/licences", response={201: LicenceOut})
def licence_grant(request: HttpRequest, asset_id: int, payload: LicenceIn):
    return Status(
        201, services.licence_grant(actor=request.user, asset_id=asset_id, **payload.dict())
    )


@router.post("/ip-assets/{asset_id}/actions", response={201: ActionOut})
def ip_action_record(request: HttpRequest, asset_id: int, payload: ActionIn):
    return Status(
        201, services.ip_action_record(actor=request.user, asset_id=asset_id, **payload.dict())
    )


@router.get("/ip-assets/{asset_id}/ask", response=VerdictOut)
def ip_ask(
    request: HttpRequest, asset_id: int, unit: int, action: str, licence_kind: str = "general"
):
    """May ``unit`` do ``action`` with this asset? (decision support, not legal advice)"""
    v = selectors.ip_ask(
        user=request.user, asset_id=asset_id, unit_id=unit, action=action,
        licence_kind=licence_kind,
    )  # fmt: skip
    return {"outcome": v.outcome, "basis": ip_text(v.basis), "reason": ip_text(v.reason),
            "consent_of": list(v.consent_of)}  # fmt: skip


# --- alerts -----------------------------------------------------------------------------
@router.get("/alerts", response=list[CooperationAlertOut])
@paginate(LimitOffsetPagination)
def alert_list(request: HttpRequest, consortium: int | None = None, open_only: bool = True):
    return selectors.alert_list(user=request.user, consortium_id=consortium, open_only=open_only)


@router.post("/alerts/{alert_id}/acknowledge", response=CooperationAlertOut)
def alert_ack(request: HttpRequest, alert_id: int):
    return alert_acknowledge(actor=request.user, alert_id=alert_id)
