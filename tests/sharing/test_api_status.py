"""The create endpoints answer with ``ninja.Status`` (not the deprecated ``(status, body)``
tuple): the same status codes and bodies, and no DeprecationWarning."""

from __future__ import annotations

import warnings

import pytest

from tests.sharing.support import make_resource

pytestmark = pytest.mark.django_db


def test_create_endpoints_answer_201_and_204_without_deprecation_warnings(world, client):
    base = make_resource(world, code="base")
    u = world.units
    client.force_login(world.users["secretariat"])
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Returning tuple", category=DeprecationWarning)
        r = client.post("/api/projects", {"consortium_id": world.a.pk, "name": "API project",
                                          "type": "other", "lead_unit_id": u["ent"].pk},
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 201 and r.json()["name"] == "API project"
        pid = r.json()["id"]
        r = client.post(f"/api/projects/{pid}/participants", {"unit_id": u["school"].pk},
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 201
        r = client.post("/api/quotas", {"consortium_id": world.a.pk, "period": "month",
                                        "hours": "10", "resource_id": base.pk},
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 201 and r.json()["resource_id"] == base.pk
        r = client.delete(f"/api/quotas/{r.json()['id']}")
        assert r.status_code == 204 and r.content == b""
