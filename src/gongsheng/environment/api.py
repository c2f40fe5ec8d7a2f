"""API endpoints for symbiotic environment: thin, over selectors and services."""

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.core.api_helpers import client_version, patch_data, set_etag
from gongsheng.environment import selectors, services
from gongsheng.environment.schemas import (
    IncentivesOut,
    PolicyIn,
    PolicyOut,
    PolicyPatch,
    WithdrawIn,
)

router = Router(tags=["environment"])


class PolicyQuery(Schema):
    consortium: int | None = None
    q: str = ""
    kind: str = ""
    instrument: str = ""
    classification: str = ""
    year: int | None = None


@router.get("/policies", response=list[PolicyOut])
@paginate(LimitOffsetPagination)
def policy_list(request: HttpRequest, filters: Query[PolicyQuery]):
    """The policies and incentives of the consortia you belong to; ``year``: in force on at
    least one day of that year."""
    params = filters.dict()
    consortium_id = params.pop("consortium")
    return selectors.policy_list(
        user=request.user,
        consortium_id=consortium_id,
        filters=selectors.PolicyFilter.from_params(params),
    )


@router.get("/policies/{policy_id}", response=PolicyOut)
def policy_detail(request: HttpRequest, response: HttpResponse, policy_id: int):
    policy = selectors.policy_get(user=request.user, policy_id=policy_id)
    set_etag(response, policy.version)
    return policy


@router.post("/policies", response={201: PolicyOut})
def policy_create(request: HttpRequest, response: HttpResponse, payload: PolicyIn):
    """Record a policy (the secretariat, supervisors and platform admins)."""
    policy = services.policy_create(actor=request.user, **payload.dict())
    set_etag(response, policy.version)
    return Status(201, selectors.policy_get(user=request.user, policy_id=policy.pk))


@router.patch("/policies/{policy_id}", response=PolicyOut)
def policy_update(
    request: HttpRequest, response: HttpResponse, policy_id: int, payload: PolicyPatch
):
    """Change a policy; send the version you read (``If-Match: W/"3"`` or ``version``)."""
    version, data = patch_data(payload)
    policy = services.policy_update(
        actor=request.user,
        policy_id=policy_id,
        version=client_version(request, version),
        **data,
    )
    set_etag(response, policy.version)
    return selectors.policy_get(user=request.user, policy_id=policy.pk)


@router.post("/policies/{policy_id}/withdraw", response=PolicyOut)
def policy_withdraw(
    request: HttpRequest, response: HttpResponse, policy_id: int, payload: WithdrawIn
):
    """Withdraw a policy from a date on: it stays in the register, no longer in force."""
    policy = services.policy_withdraw(
        actor=request.user,
        policy_id=policy_id,
        version=client_version(request, payload.version),
        on=payload.on,
        reason=payload.reason,
    )
    set_etag(response, policy.version)
    return selectors.policy_get(user=request.user, policy_id=policy.pk)


@router.delete("/policies/{policy_id}", response={204: None})
def policy_delete(request: HttpRequest, policy_id: int):
    """Delete a policy recorded by mistake (``If-Match`` checked when sent)."""
    services.policy_delete(
        actor=request.user, policy_id=policy_id, version=client_version(request, None)
    )
    return Status(204, None)


@router.post("/policies/{policy_id}/evidence", response=PolicyOut)
def policy_evidence(
    request: HttpRequest, response: HttpResponse, policy_id: int, file: File[UploadedFile]
):
    """Attach or replace the policy's document (PDF, image, Word, Excel, OFD)."""
    policy = services.policy_evidence_set(
        actor=request.user,
        policy_id=policy_id,
        name=file.name or "",
        data=file.read(),
        version=client_version(request, None),
    )
    set_etag(response, policy.version)
    return selectors.policy_get(user=request.user, policy_id=policy.pk)


@router.get("/consortia/{consortium_id}/incentives", response=IncentivesOut)
def incentives(request: HttpRequest, consortium_id: int, year: int):
    """The annual amounts of the government–school–enterprise game's parameters (G_s, G_e, T,
    P_s, P_e) from the policies in force in ``year``, each with its source policies."""
    return selectors.incentive_amounts(user=request.user, consortium_id=consortium_id, year=year)


@router.get("/policies/{policy_id}/comparison", response=dict)
def policy_comparison(request: HttpRequest, policy_id: int, k: int = 2):
    """Descriptive before/after comparison around the policy's start: the diagnosis's mode
    counts and energy in the ``k`` years before and the ``k`` years from the year it took
    effect (``k`` cut to the years with data). ``descriptive`` is always true: the numbers
    describe, they do not show that the policy caused any difference."""
    return selectors.policy_comparison(user=request.user, policy_id=policy_id, k=k).as_dict()
