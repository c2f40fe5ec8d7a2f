"""The sharing API: the declared resources, bookings and quotas (``sharing.declarations``) and
the utilisation endpoint."""

from django.http import HttpRequest
from ninja import Router

from gongsheng.declare.api import router_for
from gongsheng.declare.declaration import declaration_for
from gongsheng.sharing import selectors
from gongsheng.sharing.models import Booking, Quota, SharedResource
from gongsheng.sharing.schemas import (
    UtilisationOut,
)

router = Router(tags=["sharing"])


# resources: GET/POST /resources, GET/PATCH /resources/{id} (sharing.declarations)
router_for(declaration_for(SharedResource), router)


# bookings: GET/POST /bookings, GET/PATCH /bookings/{id}, POST /bookings/{id}/approve,
# …/reject, …/cancel (sharing.declarations.bookings; the request and the moves are services)
router_for(declaration_for(Booking), router)


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
