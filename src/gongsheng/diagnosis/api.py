"""API endpoints for symbiosis diagnosis: thin, over selectors and services.

Every read is scoped like the pages (a unit sees its own pairs, the secretariat its
consortium, supervisors what they supervise); lists page as ``{"items", "count"}``.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.core.api_helpers import client_version, patch_data, set_etag
from gongsheng.core.errors import ApplicationError, FieldError, ValidationFailed
from gongsheng.diagnosis import display, labels, payloads, selectors, services
from gongsheng.diagnosis import jobs as diagnosis_jobs
from gongsheng.diagnosis.schemas import (
    DiagnosisAlertOut,
    DiagnosisConsortiumOut,
    PairDetailOut,
    PairOut,
    PairQuery,
    ProvinceRowOut,
    SettingsOut,
    SettingsPatch,
    WindowQuery,
)
from gongsheng.jobs.api import JobOut

router = Router(tags=["diagnosis"])


class BeingComputed(ApplicationError):
    """A cold window in a paged list: no list yet, the job that computes it instead."""

    def __init__(self, job: Any) -> None:
        url = f"/api/jobs/{job.pk}"
        super().__init__(
            f"The diagnosis of this window is being computed (background job {job.pk}, "
            f"{url}); ask again when it has succeeded.",
            [],
            202,
            "Being computed",
        )


def _window_job(request: HttpRequest, consortium_id: int, window: dict[str, Any]) -> Any:
    """The job computing a cold window, ``None`` when its diagnosis is stored and current:
    no API read computes the diagnosis itself (as the pages)."""
    return diagnosis_jobs.diagnosis_window_job(
        user=request.user, consortium_id=consortium_id, **window
    )


def _view(request: HttpRequest, consortium_id: int, window: WindowQuery) -> Any:
    job = _window_job(request, consortium_id, window.dict())
    if job is not None:
        raise BeingComputed(job)
    d = selectors.consortium_diagnosis(
        user=request.user, consortium_id=consortium_id, **window.dict()
    )
    return display.ConsortiumDisplay(d)


@router.get(
    "/consortia/{consortium_id}/diagnosis", response={200: DiagnosisConsortiumOut, 202: JobOut}
)
def consortium_diagnosis(request: HttpRequest, consortium_id: int, window: Query[WindowQuery]):
    """The consortium's diagnosis in a window of years: modes, target state, energy, the
    network, flows between unit types, trends and alerts (pairs: the ``/pairs`` list).

    A window with no current stored result is computed in the background: **202** with the
    job (``diagnosis.window``; follow it at ``GET /api/jobs/{id}``), then ask again. The
    lists below answer such a window with a 202 problem naming the job."""
    job = _window_job(request, consortium_id, window.dict())
    if job is not None:
        return Status(202, job)
    return payloads.consortium_payload(_view(request, consortium_id, window))


@router.get(
    "/consortia/{consortium_id}/diagnosis/pairs",
    response=list[PairOut],
    openapi_extra={"x-problem-statuses": [202]},  # BeingComputed (core.api_openapi)
)
@paginate(LimitOffsetPagination)
def pair_list(request: HttpRequest, consortium_id: int, filters: Query[PairQuery]):
    """The pairs the user may see, largest energy first; ``mode`` and ``unit`` filter."""
    params = filters.dict()
    mode, unit = params.pop("mode"), params.pop("unit")
    if mode and mode not in labels.MODES:
        raise ValidationFailed(
            f"Unknown mode {mode!r}; one of {', '.join(labels.MODES)}.",
            errors=[FieldError("mode", f"Unknown mode {mode!r}.")],
        )
    view = _view(request, consortium_id, WindowQuery(**params))
    return payloads.LazyPayloads(view.pair_rows(mode=mode, unit_id=unit))


@router.get(
    "/consortia/{consortium_id}/diagnosis/pairs/{a_id}/{b_id}",
    response={200: PairDetailOut, 202: JobOut},
)
def pair_detail(
    request: HttpRequest, consortium_id: int, a_id: int, b_id: int, window: Query[WindowQuery]
):
    """One pair with its verdict, numbers and evidence (ledger entry ids, episodes); 202 with
    the job for a window being computed."""
    selectors.pair_allowed(user=request.user, consortium_id=consortium_id, a_id=a_id, b_id=b_id)
    job = _window_job(request, consortium_id, window.dict())
    if job is not None:
        return Status(202, job)
    detail = selectors.pair_diagnosis(
        user=request.user, consortium_id=consortium_id, a_id=a_id, b_id=b_id, **window.dict()
    )
    return payloads.pair_detail_payload(detail)


@router.get(
    "/consortia/{consortium_id}/diagnosis/alerts",
    response=list[DiagnosisAlertOut],
    openapi_extra={"x-problem-statuses": [202]},  # BeingComputed (core.api_openapi)
)
@paginate(LimitOffsetPagination)
def alert_list(request: HttpRequest, consortium_id: int, window: Query[WindowQuery]):
    """The alerts of the diagnosis with their reasons, measured values and thresholds."""
    d = _view(request, consortium_id, window).d
    names = display.unit_names(d)
    return [payloads.alert_payload(a, names) for a in d.alerts]


@router.get("/consortia/{consortium_id}/diagnosis/settings", response=SettingsOut)
def settings_detail(request: HttpRequest, response: HttpResponse, consortium_id: int):
    s = selectors.settings_get(user=request.user, consortium_id=consortium_id)
    set_etag(response, s.version)
    return s


@router.patch("/consortia/{consortium_id}/diagnosis/settings", response=SettingsOut)
def settings_update(
    request: HttpRequest, response: HttpResponse, consortium_id: int, payload: SettingsPatch
):
    """Change thresholds (secretariat); ``If-Match: W/"<version>"`` or ``version`` in the body."""
    selectors.settings_get(user=request.user, consortium_id=consortium_id)
    version, data = patch_data(payload)
    s = services.settings_update(
        actor=request.user,
        consortium_id=consortium_id,
        version=client_version(request, version),
        **data,
    )
    set_etag(response, s.version)
    return s


@router.post("/consortia/{consortium_id}/diagnosis/refresh", response={202: JobOut})
def refresh(request: HttpRequest, consortium_id: int):
    """Start computing the diagnosis again and raising its alerts in the background
    (secretariat): 202 with the job; follow it at ``GET /api/jobs/{id}``. While one is
    waiting or running, the same job is returned."""
    return Status(
        202, diagnosis_jobs.diagnosis_refresh_start(actor=request.user, consortium_id=consortium_id)
    )


@router.get("/diagnosis", response=list[ProvinceRowOut])
@paginate(LimitOffsetPagination)
def province(request: HttpRequest):
    """One summary row per consortium the user may see (supervisors: all they supervise)."""
    return [payloads.province_payload(r) for r in selectors.province_diagnosis(user=request.user)]
