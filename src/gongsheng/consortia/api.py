"""API endpoints for consortia, units, contacts and memberships: thin, over selectors and
services."""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.consortia import selectors, services
from gongsheng.consortia.models import Contact, Unit
from gongsheng.consortia.schemas import (
    ConsortiumIn,
    ConsortiumOut,
    ConsortiumPatch,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    OverviewOut,
    TransitionIn,
)
from gongsheng.core.api_helpers import client_version, patch_data, set_etag
from gongsheng.declare.api import router_for
from gongsheng.declare.declaration import declaration_for

router = Router(tags=["consortia"])


# --- consortia ------------------------------------------------------------------------
@router.get("/consortia", response=list[ConsortiumOut])
@paginate(LimitOffsetPagination)
def consortium_list(request: HttpRequest, q: str = "", status: str = "", level: str = ""):
    return selectors.consortium_list(user=request.user, q=q, status=status, level=level)


@router.get("/consortia/{consortium_id}", response=ConsortiumOut)
def consortium_detail(request: HttpRequest, response: HttpResponse, consortium_id: int):
    consortium = selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    set_etag(response, consortium.version)
    return consortium


@router.post("/consortia", response={201: ConsortiumOut})
def consortium_create(request: HttpRequest, payload: ConsortiumIn):
    return Status(201, services.consortium_create(actor=request.user, **payload.dict()))


@router.patch("/consortia/{consortium_id}", response=ConsortiumOut)
def consortium_update(
    request: HttpRequest, response: HttpResponse, consortium_id: int, payload: ConsortiumPatch
):
    version, data = patch_data(payload)
    consortium = services.consortium_update(
        actor=request.user,
        consortium_id=consortium_id,
        version=client_version(request, version),
        **data,
    )
    set_etag(response, consortium.version)
    return consortium


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


# --- memberships ----------------------------------------------------------------------
@router.get("/memberships", response=list[MembershipOut])
@paginate(LimitOffsetPagination)
def membership_list(request: HttpRequest, consortium: int | None = None):
    return selectors.membership_list(user=request.user, consortium_id=consortium)


@router.get("/memberships/{membership_id}", response=MembershipOut)
def membership_detail(request: HttpRequest, response: HttpResponse, membership_id: int):
    membership = selectors.membership_get(user=request.user, membership_id=membership_id)
    set_etag(response, membership.version)
    return membership


@router.post("/memberships", response={201: MembershipOut})
def membership_create(request: HttpRequest, payload: MembershipIn):
    return Status(201, services.membership_create(actor=request.user, **payload.dict()))


@router.patch("/memberships/{membership_id}", response=MembershipOut)
def membership_update(request: HttpRequest, membership_id: int, payload: MembershipPatch):
    version, data = patch_data(payload)
    return services.membership_update(
        actor=request.user,
        membership_id=membership_id,
        version=client_version(request, version),
        **data,
    )


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
