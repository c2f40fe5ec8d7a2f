"""The REST API: tokens, pagination shape, problem details, ETags and 409 on stale versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongsheng.access.models import ApiToken
from gongsheng.access.services import token_create, token_revoke


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def token(world):
    def make(username: str, **kw):
        user = world.users[username]
        return token_create(actor=user, user=user, name="test", **kw)[1]

    return make


class TestTokens:
    def test_token_is_stored_hashed_and_works(self, world, client, token):
        raw = token("unit_admin")
        assert not ApiToken.objects.filter(key_hash=raw).exists()
        body = client.get("/api/me", **bearer(raw)).json()
        assert body["username"] == "unit_admin"
        assert body["roles"] == [{"role": "unit_admin", "consortium_id": world.a.pk}]

    def test_revoked_expired_and_unknown_tokens_are_refused(self, world, client, token):
        raw = token("unit_admin")
        token_revoke(actor=world.users["unit_admin"], token_id=ApiToken.objects.get().pk)
        r = client.get("/api/me", **bearer(raw))
        assert r.status_code == 401 and r["Content-Type"] == "application/problem+json"
        expired = token("unit_admin", expires_at=timezone.now() + dt.timedelta(seconds=1))
        ApiToken.objects.filter(name="test", revoked_at=None).update(
            expires_at=timezone.now() - dt.timedelta(days=1)
        )
        assert client.get("/api/me", **bearer(expired)).status_code == 401
        assert client.get("/api/me", **bearer("gs_nonsense")).status_code == 401

    def test_token_command_prints_a_working_token(self, world, client):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("token", "observer", "--name", "cli", stdout=out)
        assert client.get("/api/me", **bearer(out.getvalue().strip())).status_code == 200


class TestLists:
    def test_lists_are_paginated_items_and_count(self, world, client, token):
        raw = token("secretariat")
        body = client.get(f"/api/units?consortium={world.a.pk}&limit=2", **bearer(raw)).json()
        assert set(body) == {"items", "count"}
        assert body["count"] == 4 and len(body["items"]) == 2
        assert body["items"][0]["membership"]["consortium_id"] == world.a.pk

    def test_filters_are_the_page_filters(self, world, client, token):
        raw = token("secretariat")
        body = client.get(
            f"/api/units?consortium={world.a.pk}&type=enterprise&q=unit", **bearer(raw)
        ).json()
        assert {u["name"] for u in body["items"]} == {"Unit ent", "Unit other"}


class TestErrors:
    def test_validation_errors_are_problem_details_with_fields(self, world, client, token):
        raw = token("secretariat")
        r = client.post(
            "/api/units",
            {"credit_code": "123", "name": "", "type": "enterprise", "consortium_id": world.a.pk},
            content_type="application/json",
            **bearer(raw),
        )
        assert r.status_code == 422
        body = r.json()
        assert body["status"] == 422 and body["title"] and body["detail"]
        assert {"credit_code", "name"} <= {e["field"] for e in body["errors"]}

    def test_other_consortium_records_are_404_like_missing_ones(self, world, client, token):
        raw = token("unit_admin")
        missing = client.get("/api/units/999999", **bearer(raw))
        hidden = client.get(f"/api/units/{world.units['x'].pk}", **bearer(raw))
        assert missing.status_code == hidden.status_code == 404
        assert missing.json()["detail"] == hidden.json()["detail"]

    def test_forbidden_change_is_403(self, world, client, token):
        raw = token("unit_admin")
        r = client.patch(
            f"/api/units/{world.units['other'].pk}",
            {"city": "x"},
            content_type="application/json",
            **bearer(raw),
        )
        assert r.status_code == 403


class TestConcurrency:
    def test_etag_and_stale_if_match_gives_409(self, world, client, token):
        raw = token("secretariat")
        url = f"/api/units/{world.units['ent'].pk}"
        r = client.get(url, **bearer(raw))
        etag = r["ETag"]
        first = client.patch(
            url, {"city": "A"}, content_type="application/json", HTTP_IF_MATCH=etag, **bearer(raw)
        )
        assert first.status_code == 200 and first["ETag"] != etag
        second = client.patch(
            url, {"city": "B"}, content_type="application/json", HTTP_IF_MATCH=etag, **bearer(raw)
        )
        assert second.status_code == 409
        assert second.json()["current_version"] == first.json()["version"]
        assert client.get(url, **bearer(raw)).json()["city"] == "A"

    def test_version_in_body_works_too(self, world, client, token):
        raw = token("secretariat")
        url = f"/api/units/{world.units['ent'].pk}"
        v = client.get(url, **bearer(raw)).json()["version"]
        ok = client.patch(
            url, {"city": "A", "version": v}, content_type="application/json", **bearer(raw)
        )
        stale = client.patch(
            url, {"city": "B", "version": v}, content_type="application/json", **bearer(raw)
        )
        assert (ok.status_code, stale.status_code) == (200, 409)


class TestDocs:
    def test_openapi_and_docs_work_offline(self, db, client):
        spec = client.get("/api/openapi.json").json()
        assert "/api/units" in spec["paths"]
        html = client.get("/api/docs").content.decode()
        assert "cdn" not in html.lower()
        assert "/static/ninja/swagger-ui-bundle.js" in html

    def test_membership_transition_endpoint(self, world, client, token):
        raw = token("secretariat")
        m = world.memberships["other"]
        r = client.post(
            f"/api/memberships/{m.pk}/transition",
            {"to_status": "withdrawn", "on": "2025-06-01"},
            content_type="application/json",
            **bearer(raw),
        )
        assert r.status_code == 200 and r.json()["status"] == "withdrawn"
        bad = client.post(
            f"/api/memberships/{m.pk}/transition",
            {"to_status": "expelled"},
            content_type="application/json",
            **bearer(raw),
        )
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
