"""``/api/openapi.json`` describes what the handlers answer: each operation's response schema is
the one its handler returns (no two schema classes share a component name, so none overwrites
another's), and every operation lists the problem statuses it can answer."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from gongsheng.api import api

REF = "#/components/schemas/"


def _operations():
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield prefix, path, operation


def _deref(schema: Any, defs: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """``schema`` with every ``$ref`` replaced by its definition (a cycle stays a name)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if ref is not None:
            name = ref.removeprefix(REF)
            if name in seen:
                return {"cycle": name}
            return _deref(defs[name], defs, (*seen, name))
        return {k: _deref(v, defs, seen) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_deref(v, defs, seen) for v in schema]
    return schema


def _handler_schema(operation, model) -> Any:
    """The response schema of ``model`` generated alone, as ninja generates it."""
    from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema

    schema = model.model_json_schema(
        ref_template=REF_TEMPLATE,
        by_alias=operation.by_alias,
        schema_generator=NinjaGenerateJsonSchema,
        mode="serialization",
    )
    defs = schema.pop("$defs", {})
    (only,) = schema["properties"].values()  # ninja's wrapper: one field, "response"
    return _deref(only, defs)


@pytest.fixture(scope="module")
def spec():
    from django.test import Client

    return Client().get("/api/openapi.json").json()  # served without the database


def test_every_response_schema_is_its_handlers(spec):
    components = spec["components"]["schemas"]
    wrong = []
    for prefix, path, operation in _operations():
        full = "/api/" + f"{prefix}/{path}".replace("//", "/").strip("/")
        for method in operation.methods:
            documented = spec["paths"][full.replace("<int:", "{").replace(">", "}")][
                method.lower()
            ]["responses"]
            for status, model in operation.response_models.items():
                if model is None or status is Ellipsis or "content" not in documented[str(status)]:
                    continue
                content = documented[str(status)]["content"]["application/json"]["schema"]
                if _deref(content, components) != _handler_schema(operation, model):
                    wrong.append(f"{method} {full} {status}")
    assert not wrong, wrong


def _models(model: Any, found: dict[str, set[str]], done: set[Any]) -> None:
    import typing

    if not (isinstance(model, type) and issubclass(model, BaseModel)) or model in done:
        return
    done.add(model)
    found.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")

    def types(annotation):
        yield annotation
        for arg in typing.get_args(annotation):
            yield from types(arg)

    for field in model.model_fields.values():
        for t in types(field.annotation):
            _models(t, found, done)


def test_no_two_schema_classes_share_a_component_name():
    from ninja.params.models import ParamModel

    found: dict[str, set[str]] = {}
    done: set[Any] = set()
    for _prefix, _path, operation in _operations():
        for model in operation.response_models.values():
            _models(model, found, done)
        for model in operation.models:
            if issubclass(model, ParamModel) and model.__ninja_param_source__ in ("query", "path"):
                continue  # query and path parameters are listed one by one, not as components
            _models(model, found, done)
    # ninja's own wrappers (the response field, paged lists) are made per operation
    shared = {
        name: where
        for name, where in found.items()
        if len(where) > 1
        and not where <= {"ninja.schema.NinjaResponseSchema"}
        and not all(w.startswith("ninja.") for w in where)
    }
    assert not shared, shared


def _by_operation(spec) -> dict[str, dict[str, Any]]:
    return {
        op["operationId"]: op | {"method": method, "path": path}
        for path, item in spec["paths"].items()
        for method, op in item.items()
    }


def test_every_operation_lists_its_problem_statuses(spec):
    ops = _by_operation(spec)
    assert spec["components"]["schemas"]["Problem"]["required"][:3] == ["type", "title", "status"]
    for op in ops.values():
        problems = {
            int(code)
            for code, response in op["responses"].items()
            if "application/problem+json" in response.get("content", {})
        }
        assert {401, 403} <= problems, op["operationId"]
        if op.get("parameters") or op.get("requestBody"):
            assert {404, 422} <= problems, op["operationId"]
        if op["method"] in ("post", "patch", "put", "delete"):
            assert 409 in problems, op["operationId"]
    # the paged diagnosis lists answer a cold window with a 202 problem
    pairs = next(op for op in ops.values() if op["path"].endswith("/diagnosis/pairs"))
    assert "application/problem+json" in pairs["responses"]["202"]["content"]
    me = next(op for op in ops.values() if op["path"] == "/api/me")
    assert set(me["responses"]) == {"200", "401", "403"}  # no input: no 404, no 422
