"""API endpoints for consortia, units, contacts and memberships: thin, over selectors and
services."""

from django.http import HttpRequest
from ninja import Router

from gongsheng.consortia import selectors, services
from gongsheng.consortia.models import Consortium, Contact, Membership, Unit
from gongsheng.consortia.schemas import (
    MembershipOut,
    OverviewOut,
    TransitionIn,
)
from gongsheng.core.api_helpers import client_version
from gongsheng.declare.api import router_for
from gongsheng.declare.declaration import declaration_for

router = Router(tags=["consortia"])


# --- consortia ------------------------------------------------------------------------
# GET/POST /consortia, GET/PATCH /consortia/{id} (declared)
router_for(declaration_for(Consortium), router)


@router.get("/consortia/{consortium_id}/overview", response=OverviewOut)
def consortium_overview(request: HttpRequest, consortium_id: int):
    ov = selectors.consortium_overview(user=request.user, consortium_id=consortium_id)
    return {
        "consortium": ov.consortium,
        "admitted": ov.admitted,
        "pending": ov.pending,
        "members_by_type": [
            {"code": c, "label": lb, "count": n} for c, lb, n in ov.members_by_type
        ],
        "members_by_rank": [
            {"code": c, "label": lb, "count": n} for c, lb, n in ov.members_by_rank
        ],
        "joined_by_year": [{"year": y, "count": n} for y, n in ov.joined_by_year],
        "left_by_year": [{"year": y, "count": n} for y, n in ov.left_by_year],
    }


# --- units: GET/POST /units, GET/PATCH /units/{id} (declared) ----------------------------
router_for(declaration_for(Unit), router)


# --- contacts: GET/POST /units/{id}/contacts, GET/PATCH/DELETE /contacts/{id} (declared)
router_for(declaration_for(Contact), router)


# --- memberships: GET/POST /memberships, GET/PATCH /memberships/{id}, POST
# /memberships/{id}/<move> (declared); any status in one call:
router_for(declaration_for(Membership), router)


@router.post("/memberships/{membership_id}/transition", response=MembershipOut)
def membership_transition(request: HttpRequest, membership_id: int, payload: TransitionIn):
    return services.membership_transition(
        actor=request.user,
        membership_id=membership_id,
        to_status=payload.to_status,
        version=client_version(request, payload.version),
        on=payload.on,
        note=payload.note,
    )
