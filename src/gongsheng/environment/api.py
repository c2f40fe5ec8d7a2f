"""API endpoints for symbiotic environment: thin, over selectors and services. The policy
register's list, detail, create, PATCH, delete and withdraw come from its declaration."""

from django.http import HttpRequest, HttpResponse
from ninja import File, Router
from ninja.files import UploadedFile

from gongsheng.core.api_helpers import client_version, set_etag
from gongsheng.declare.api import router_for
from gongsheng.declare.declaration import declaration_for
from gongsheng.environment import selectors, services
from gongsheng.environment.models import PublicPolicy
from gongsheng.environment.schemas import IncentivesOut, PolicyOut

router = Router(tags=["environment"])
# GET/POST /policies, GET/PATCH/DELETE /policies/{id}, POST /policies/{id}/withdraw
router_for(declaration_for(PublicPolicy), router)


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
