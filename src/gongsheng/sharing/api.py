"""API endpoints for shared resources and bookings: thin, over selectors and services."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.core.api_helpers import client_version, patch_data, set_etag
from gongsheng.declare.api import router_for
from gongsheng.declare.declaration import declaration_for
from gongsheng.sharing import selectors, services
from gongsheng.sharing.models import Quota
from gongsheng.sharing.schemas import (
    BookingIn,
    BookingOut,
    DecisionIn,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
    UtilisationOut,
)

router = Router(tags=["sharing"])


class ResourceQuery(Schema):
    consortium: int | None = None
    q: str = ""
    kind: str = ""
    owner: int | None = None


class BookingQuery(Schema):
    consortium: int | None = None
    resource: int | None = None
    unit: int | None = None
    host_unit: int | None = None
    status: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@router.get("/resources", response=list[ResourceOut])
@paginate(LimitOffsetPagination)
def resource_list(request: HttpRequest, filters: Query[ResourceQuery]):
    params = filters.dict()
    consortium_id = params.pop("consortium")
    return selectors.resource_list(
        user=request.user,
        consortium_id=consortium_id,
        filters=selectors.ResourceFilter(**params),
    )


@router.get("/resources/{resource_id}", response=ResourceOut)
def resource_detail(request: HttpRequest, response: HttpResponse, resource_id: int):
    resource = selectors.resource_get(user=request.user, resource_id=resource_id)
    set_etag(response, resource.version)
    return resource


@router.post("/resources", response={201: ResourceOut})
def resource_create(request: HttpRequest, payload: ResourceIn):
    data = payload.dict()
    if data["opening_hours"] is None:
        data.pop("opening_hours")
    return Status(201, services.resource_create(actor=request.user, **data))


@router.patch("/resources/{resource_id}", response=ResourceOut)
def resource_update(
    request: HttpRequest, response: HttpResponse, resource_id: int, payload: ResourcePatch
):
    version, data = patch_data(payload)
    resource = services.resource_update(
        actor=request.user,
        resource_id=resource_id,
        version=client_version(request, version),
        **data,
    )
    set_etag(response, resource.version)
    return resource


@router.get("/bookings", response=list[BookingOut])
@paginate(LimitOffsetPagination)
def booking_list(request: HttpRequest, filters: Query[BookingQuery]):
    p = filters.dict()
    return selectors.booking_list(
        user=request.user, consortium_id=p["consortium"], resource_id=p["resource"],
        unit_id=p["unit"], host_unit_id=p["host_unit"], status=p["status"], since=p["since"],
        until=p["until"],
    )  # fmt: skip


@router.get("/bookings/{booking_id}", response=BookingOut)
def booking_detail(request: HttpRequest, response: HttpResponse, booking_id: int):
    booking = selectors.booking_get(user=request.user, booking_id=booking_id)
    set_etag(response, booking.version)
    return booking


@router.post("/bookings", response={201: BookingOut})
def booking_create(request: HttpRequest, payload: BookingIn):
    return Status(201, services.booking_create(actor=request.user, **payload.dict()))


def _decided(request: HttpRequest, response: HttpResponse, booking_id: int, payload, verb):
    fn = {
        "approve": services.booking_approve,
        "reject": services.booking_reject,
        "cancel": services.booking_cancel,
    }[verb]
    kwargs = {} if verb == "approve" else {"reason": payload.reason}
    booking = fn(
        actor=request.user,
        booking_id=booking_id,
        version=client_version(request, payload.version),
        **kwargs,
    )
    set_etag(response, booking.version)
    return selectors.booking_get(user=request.user, booking_id=booking.pk)


@router.post("/bookings/{booking_id}/approve", response=BookingOut)
def booking_approve(
    request: HttpRequest, response: HttpResponse, booking_id: int, payload: DecisionIn
):
    return _decided(request, response, booking_id, payload, "approve")


@router.post("/bookings/{booking_id}/reject", response=BookingOut)
def booking_reject(
    request: HttpRequest, response: HttpResponse, booking_id: int, payload: DecisionIn
):
    return _decided(request, response, booking_id, payload, "reject")


@router.post("/bookings/{booking_id}/cancel", response=BookingOut)
def booking_cancel(
    request: HttpRequest, response: HttpResponse, booking_id: int, payload: DecisionIn
):
    return _decided(request, response, booking_id, payload, "cancel")


# quotas: GET/POST /quotas, GET/PATCH/DELETE /quotas/{id} (sharing.declarations)
router_for(declaration_for(Quota), router)


@router.get("/consortia/{consortium_id}/utilisation", response=UtilisationOut)
def utilisation(request: HttpRequest, consortium_id: int, year: int | None = None):
    u = selectors.utilisation(user=request.user, consortium_id=consortium_id, year=year)
    return {
        "consortium_id": u.consortium.pk,
        "year": u.year,
        "resources": u.resources,
        "units": u.units,
        "by_month": u.by_month,
    }
