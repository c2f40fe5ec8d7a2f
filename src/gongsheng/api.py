"""The REST API: one NinjaAPI under ``/api/`` that mounts each app's router.

* authentication: ``Authorization: Bearer <token>`` (named, hashed, revocable tokens) or the
  browser session (with CSRF);
* lists are paginated as ``{"items": [...], "count": N}``;
* every error is an RFC 9457 problem document (``application/problem+json``) with a list of
  field errors;
* records carry a ``version``; a stale ``version`` or ``If-Match`` gets 409 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from gongsheng.access.services import token_authenticate
from gongsheng.core.errors import ApplicationError, Conflict


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


api = NinjaAPI(
    title="Gongsheng API",
    version="1",
    description=(
        "The Gongsheng (共生) platform for municipal industry–education consortia. "
        "Authenticate with `Authorization: Bearer <token>` (create one with "
        "`gongsheng token USERNAME`) or a browser session."
    ),
    auth=[BearerToken(), Session()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def problem(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "errors": errors or [],
    }
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    extra = {}
    if isinstance(exc, Conflict) and exc.current_version is not None:
        extra["current_version"] = exc.current_version
    return problem(
        request,
        status=exc.status,
        title=exc.title,
        detail=str(exc.message),
        errors=[e.as_dict() for e in exc.errors],
        **extra,
    )


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.append({"field": ".".join(loc) or "__all__", "message": err.get("msg", "")})
    return problem(
        request,
        status=422,
        title="Validation failed",
        detail=_("The request is not valid."),
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        request,
        status=401,
        title="Unauthorized",
        detail=_("Authentication is required: send 'Authorization: Bearer <token>'."),
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, status=exc.status_code, title="Error", detail=str(exc))


def _mount() -> None:
    from gongsheng.access.api import router as access_router
    from gongsheng.consortia.api import router as consortia_router
    from gongsheng.cooperation.api import router as cooperation_router
    from gongsheng.diagnosis.api import router as diagnosis_router
    from gongsheng.distribution.api import router as distribution_router
    from gongsheng.environment.api import router as environment_router
    from gongsheng.jobs.api import router as jobs_router
    from gongsheng.ledger.api import router as ledger_router
    from gongsheng.modelling.api import router as modelling_router
    from gongsheng.sharing.api import router as sharing_router
    from gongsheng.transfer.api import router as transfer_router

    api.add_router("/", consortia_router)
    api.add_router("/", access_router)
    api.add_router("/ledger", ledger_router)
    api.add_router("/", cooperation_router)
    api.add_router("/", sharing_router)
    api.add_router("/transfer", transfer_router)
    api.add_router("/", diagnosis_router)
    api.add_router("/", environment_router)
    api.add_router("/", distribution_router)
    api.add_router("/", modelling_router)
    api.add_router("/", jobs_router)


_mount()
