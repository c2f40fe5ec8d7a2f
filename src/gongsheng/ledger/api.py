"""API endpoints for the ledger: entries, summaries, categories and valuation rules (thin)."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.core.api_helpers import client_version, patch_data
from gongsheng.core.errors import ValidationFailed
from gongsheng.ledger import selectors, services
from gongsheng.ledger.schemas import (
    AnswerIn,
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    ConfirmationOut,
    CorrectIn,
    CorrectOut,
    EntryIn,
    EntryOut,
    PartyIn,
    ReverseIn,
    RuleIn,
    RuleOut,
)
from gongsheng.ledger.services import Party

router = Router(tags=["ledger"])


class EntryQuery(Schema):
    consortium: int | None = None
    unit: int | None = None
    category: str = ""
    year_from: int | None = None
    year_to: int | None = None
    source: str = ""
    pool: str = ""
    manual: bool | None = None
    q: str = ""
    confirmation: str = ""


def _filters(params: EntryQuery) -> tuple[int | None, selectors.LedgerFilter]:
    data = params.dict()
    consortium_id = data.pop("consortium")
    return consortium_id, selectors.LedgerFilter(**data)


def _party(p: PartyIn) -> Party:
    if p.kind == "unit":
        return Party.unit(p.unit or 0)
    if p.kind == "pool":
        return Party.of_pool(p.pool)
    if p.kind == "outside":
        return Party.outside()
    return Party(p.kind)


def _one(request: HttpRequest, entry_id: int) -> Any:
    return selectors.entry_list(user=request.user).get(pk=entry_id)


# --- entries --------------------------------------------------------------------------------
@router.get("/entries", response=list[EntryOut])
@paginate(LimitOffsetPagination)
def entry_list(request: HttpRequest, filters: Query[EntryQuery]):
    consortium_id, f = _filters(filters)
    return selectors.entry_list(user=request.user, consortium_id=consortium_id, filters=f)


@router.get("/entries/{entry_id}", response=EntryOut)
def entry_detail(request: HttpRequest, entry_id: int):
    selectors.entry_get(user=request.user, entry_id=entry_id)
    return _one(request, entry_id)


@router.post("/entries", response={201: EntryOut})
def entry_create(request: HttpRequest, payload: EntryIn):
    data = payload.dict()
    entry = services.entry_create(
        actor=request.user,
        consortium_id=data["consortium_id"],
        date=data["date"],
        category=data["category"],
        quantity=data["quantity"],
        giver=_party(payload.giver),
        receiver=_party(payload.receiver),
        note=data["note"],
        confidential=data["confidential"],
        reference=data["reference"],
    )
    return Status(201, _one(request, entry.pk))


@router.post("/entries/{entry_id}/reverse", response={201: EntryOut})
def entry_reverse(request: HttpRequest, entry_id: int, payload: ReverseIn):
    selectors.entry_get(user=request.user, entry_id=entry_id)
    reversal = services.entry_reverse(actor=request.user, entry_id=entry_id, note=payload.note)
    return Status(201, _one(request, reversal.pk))


@router.post("/entries/{entry_id}/correct", response={201: CorrectOut})
def entry_correct(request: HttpRequest, entry_id: int, payload: CorrectIn):
    selectors.entry_get(user=request.user, entry_id=entry_id)
    reversal, new = services.entry_correct(
        actor=request.user, entry_id=entry_id, **payload.dict(exclude_unset=True)
    )
    return Status(201, {"reversal": _one(request, reversal.pk), "entry": _one(request, new.pk)})


@router.post("/entries/{entry_id}/confirm", response={201: ConfirmationOut})
def entry_confirm(request: HttpRequest, entry_id: int, payload: AnswerIn):
    """Confirm a flow posted in your unit's name (its unit admin, the secretariat): from then
    on it counts in the summaries and the diagnosis. Once; append-only (decision 0804)."""
    selectors.entry_get(user=request.user, entry_id=entry_id)
    row = services.entry_confirm(actor=request.user, entry_id=entry_id, note=payload.note)
    return Status(201, row)


@router.post("/entries/{entry_id}/decline", response={201: ConfirmationOut})
def entry_decline(request: HttpRequest, entry_id: int, payload: AnswerIn):
    """Decline a flow posted in your unit's name: it stays in the ledger, never counted."""
    selectors.entry_get(user=request.user, entry_id=entry_id)
    row = services.entry_confirm(
        actor=request.user, entry_id=entry_id, confirm=False, note=payload.note
    )
    return Status(201, row)


class EvidenceOut(Schema):
    id: int
    entry_id: int
    name: str


@router.post("/entries/{entry_id}/evidence", response={201: EvidenceOut})
def evidence_add(request: HttpRequest, entry_id: int, file: File[UploadedFile]):
    """Attach an evidence file (an attachment with purpose ``evidence``; checked by content,
    size and name). The same as ``POST /api/attachments?record=ledger.ledgerentry:<id>``."""
    selectors.entry_get(user=request.user, entry_id=entry_id)
    evidence = services.evidence_add(
        actor=request.user, entry_id=entry_id, name=file.name or "", data=file
    )
    return Status(201, {"id": evidence.pk, "entry_id": entry_id, "name": evidence.name})


# --- summaries ------------------------------------------------------------------------------
class SummaryQuery(EntryQuery):
    academic: bool = False
    through_pools: bool = True


def _rows(rows: list[Any]) -> dict[str, Any]:
    items = [r.as_dict() if hasattr(r, "as_dict") else asdict(r) for r in rows]
    return {"items": items, "count": len(items)}


_SUMMARIES = {
    "unit": selectors.summary_by_unit,
    "pair": selectors.summary_by_pair,
    "pool": selectors.summary_by_pool,
    "source": selectors.summary_by_source,
    "period": selectors.summary_by_period,
    "category": selectors.summary_by_category,
    "unit-type": selectors.summary_by_unit_type,
}


@router.get("/summaries/{dimension}", response=dict)
def summary(request: HttpRequest, dimension: str, filters: Query[SummaryQuery]):
    """Aggregates of the entries the user may see: ``unit``, ``pair``, ``pool``, ``source``,
    ``period`` (``academic=true`` for September–August years), ``category``, ``unit-type``."""
    fn = _SUMMARIES.get(dimension)
    if fn is None:
        raise ValidationFailed(f"Unknown summary {dimension!r}; one of {', '.join(_SUMMARIES)}.")
    params = filters.dict()
    academic = params.pop("academic")
    through_pools = params.pop("through_pools")
    consortium_id, f = _filters(EntryQuery(**params))
    kw: dict[str, Any] = {"user": request.user, "consortium_id": consortium_id, "filters": f}
    if dimension == "period":
        kw["academic"] = academic
    if dimension == "pair":
        kw["through_pools"] = through_pools
    return _rows(fn(**kw))


# --- categories and rules ------------------------------------------------------------------
@router.get("/categories", response=list[CategoryOut])
@paginate(LimitOffsetPagination)
def category_list(request: HttpRequest, consortium: int | None = None):
    return selectors.category_list(user=request.user, consortium_id=consortium)


@router.post("/categories", response={201: CategoryOut})
def category_create(request: HttpRequest, payload: CategoryIn):
    return Status(201, services.category_create(actor=request.user, **payload.dict()))


@router.patch("/categories/{category_id}", response=CategoryOut)
def category_update(
    request: HttpRequest, response: HttpResponse, category_id: int, payload: CategoryPatch
):

    version, data = patch_data(payload)
    data = {k: v for k, v in data.items() if v is not None}
    category = services.category_update(
        actor=request.user,
        category_id=category_id,
        version=client_version(request, version),
        **data,
    )
    response["ETag"] = f'W/"{category.version}"'
    return category


@router.get("/rules", response=list[RuleOut])
@paginate(LimitOffsetPagination)
def rule_list(request: HttpRequest, consortium: int | None = None):
    return selectors.rule_list(user=request.user, consortium_id=consortium)


@router.post("/rules", response={201: RuleOut})
def rule_create(request: HttpRequest, payload: RuleIn):
    return Status(201, services.rule_create(actor=request.user, **payload.dict()))
