"""The API router of a declared model (NetBox's ``NetBoxModelViewSet``):

``GET /<name>`` (paginated ``{"items", "count"}``, the declaration's filters as query
parameters, ``consortium`` to narrow), ``GET /<name>/{id}`` (``ETag: W/"<version>"``),
``POST /<name>`` (201), ``PATCH /<name>/{id}`` (``If-Match`` or ``version``; stale -> 409),
``DELETE /<name>/{id}`` (204, where the declaration allows it) and ``POST /<name>/{id}/<move>``
for each lifecycle move. Errors are the API's RFC 9457 problems (``gongsheng.api``).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from gongsheng.core.api_helpers import client_version, patch_data, set_etag
from gongsheng.declare import selectors, services
from gongsheng.declare.declaration import Declaration, Move
from gongsheng.declare.schemas import move_schema, schemas


def router_for(decl: Declaration, router: Router | None = None) -> Router:
    """Add the declared endpoints to ``router`` (a new one when not given) and return it."""
    router = router or Router(tags=decl.api_tags or [decl.name])
    out, create_in, patch_in, query = schemas(decl)
    n = decl.api_segment
    op = n.replace("/", "_").replace("-", "_")  # a name with a path segment: "modelling/scenarios"
    listed = decl.schema_list or out

    def fetch(request: HttpRequest, pk: int) -> Any:
        return selectors.get(decl, user=request.user, pk=pk)

    if decl.parent_field:
        _add_child_list(router, decl, out, create_in, query, fetch)
    else:

        @router.get(f"/{n}", response=list[listed], operation_id=f"{op}_list")
        @paginate(LimitOffsetPagination)
        def list_(request: HttpRequest, filters: Query[query]):  # type: ignore[valid-type]
            params = {k: v for k, v in filters.dict().items() if v is not None}
            consortium_id = params.pop("consortium", None)
            return selectors.listing(
                decl, user=request.user, consortium_id=consortium_id, params=params
            )

        @router.post(f"/{n}", response={201: out}, operation_id=f"{op}_create")
        def create(request: HttpRequest, response: HttpResponse, payload: create_in):  # type: ignore[valid-type]
            obj = services.create_record(decl, actor=request.user, **payload.dict())
            set_etag(response, obj.version)
            return Status(201, fetch(request, obj.pk))

    @router.get(f"/{n}/{{pk}}", response=decl.schema_detail or out, operation_id=f"{op}_detail")
    def detail(request: HttpRequest, response: HttpResponse, pk: int):
        obj = fetch(request, pk)
        set_etag(response, obj.version)
        return decl.api_detail(request.user, obj)

    @router.patch(f"/{n}/{{pk}}", response=out, operation_id=f"{op}_update")
    def update(request: HttpRequest, response: HttpResponse, pk: int, payload: patch_in):  # type: ignore[valid-type]
        version, data = patch_data(payload)
        obj = services.update_record(
            decl, actor=request.user, pk=pk, version=client_version(request, version), **data
        )
        set_etag(response, obj.version)
        return fetch(request, obj.pk)

    if decl.deletable:

        @router.delete(f"/{n}/{{pk}}", response={204: None}, operation_id=f"{op}_delete")
        def delete(request: HttpRequest, pk: int):
            services.delete(decl, actor=request.user, pk=pk, version=client_version(request, None))
            return Status(204, None)

    for move in decl.moves:
        _add_move(router, decl, move, out, fetch)
    return router


def _add_child_list(
    router: Router, decl: Declaration, out: Any, create_in: Any, query: Any, fetch: Any
) -> None:
    """``GET`` and ``POST /<parent_url>/{parent_id}/<name>``: a parent record's list (a
    unit's contacts); the parent must be visible (else 404)."""
    path = f"/{decl.parent_url}/{{parent_id}}/{decl.name}"

    @router.get(path, response=list[out], operation_id=f"{decl.name}_list")
    @paginate(LimitOffsetPagination)
    def list_(request: HttpRequest, parent_id: int, filters: Query[query]):  # type: ignore[valid-type]
        parent = selectors.parent(decl, user=request.user, pk=parent_id)
        params = {k: v for k, v in filters.dict().items() if v is not None}
        params.pop("consortium", None)
        return selectors.listing(decl, user=request.user, parent_id=parent.pk, params=params)

    @router.post(path, response={201: out}, operation_id=f"{decl.name}_create")
    def create(request: HttpRequest, response: HttpResponse, parent_id: int, payload: create_in):  # type: ignore[valid-type]
        parent = selectors.parent(decl, user=request.user, pk=parent_id)
        data = {**payload.dict(), f"{decl.parent}_id": parent.pk}
        obj = services.create_record(decl, actor=request.user, **data)
        set_etag(response, obj.version)
        return Status(201, fetch(request, obj.pk))


def _add_move(router: Router, decl: Declaration, move: Move, out: Any, fetch: Any) -> None:
    path = f"/{decl.api_segment}/{{pk}}/{move.name}"
    op = f"{decl.api_segment.replace('/', '_').replace('-', '_')}_{move.name}"
    body = move_schema(move, decl.model.__name__)
    if body is None:

        @router.post(path, response=out, operation_id=op, summary=str(move.label))
        def bare(request: HttpRequest, response: HttpResponse, pk: int):
            obj = move.call(
                actor=request.user, **{decl.id_name: pk}, version=client_version(request, None)
            )
            set_etag(response, obj.version)
            return fetch(request, obj.pk)

        return

    @router.post(path, response=out, operation_id=op, summary=str(move.label))
    def with_body(request: HttpRequest, response: HttpResponse, pk: int, payload: body):  # type: ignore[name-defined]
        data = payload.dict()
        data["version"] = client_version(request, data.get("version"))
        obj = move.call(actor=request.user, **{decl.id_name: pk}, **data)
        set_etag(response, obj.version)
        return fetch(request, obj.pk)
