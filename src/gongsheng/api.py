"""The REST API: one NinjaAPI under ``/api/`` that mounts each app's router.

* authentication: ``Authorization: Bearer <token>`` (named, hashed, revocable tokens) or the
  browser session (with CSRF);
* lists are paginated as ``{"items": [...], "count": N}``;
* every error is an RFC 9457 problem document (``application/problem+json``) with a list of
  field errors;
* records carry a ``version``; a stale ``version`` or ``If-Match`` gets 409 and changes nothing;
* no input answers 500: every endpoint's arguments pass ``core.api_input`` (numbers in range,
  dates in 1800–2199, text without NUL or lone surrogates, an object body where one is read),
  and the OpenAPI description lists every problem status (``core.api_openapi``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from gongsheng.access.services import token_authenticate
from gongsheng.core import api_input
from gongsheng.core.api_openapi import document_problems
from gongsheng.core.errors import ApplicationError, Conflict, NotFound, from_django_validation


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


class GongshengAPI(NinjaAPI):
    """Ninja's API with every endpoint guarded (``core.api_input``) and the problem statuses
    in its OpenAPI description."""

    def add_router(self, prefix: str, router: Router | str, **kwargs: Any) -> None:
        if isinstance(router, Router):
            api_input.guard_router(router)
        super().add_router(prefix, router, **kwargs)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_problems(schema)


api = GongshengAPI(
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
    parser=api_input.JsonParser(),
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


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A value a model field or filter refused where no service caught it (a malformed UUID
    in a filter): the same 422 as a service's ``ValidationFailed``."""
    return problem(
        request,
        status=422,
        title="Validation failed",
        detail=_("The request is not valid."),
        errors=[e.as_dict() for e in from_django_validation(exc)],
    )


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    """A ``Model.objects.get`` that found nothing, where no selector answered first: the
    same 404 as ``NotFound`` (missing and not-yours look alike)."""
    return problem(request, status=404, title="Not found", detail=str(NotFound().message))


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
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return problem(
            request,
            status=400,
            title="Bad request",
            detail=_("The request body is not valid JSON."),
            errors=[{"field": "body", "message": _("The request body is not valid JSON.")}],
        )
    return problem(request, status=exc.status_code, title="Error", detail=str(exc))


def _mount() -> None:
    """Mount every app's router, from the app registry (``GongshengAppConfig.api_router``)."""
    from gongsheng.core import registry

    for prefix, router in registry.api_routers():
        api.add_router(prefix, router)


_mount()
