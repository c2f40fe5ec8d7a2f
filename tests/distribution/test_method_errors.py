"""Why a sharing rule has no result: stored as a reason code (decision 0808), shown on the
study page and in the API in the reader's language; results stored before codes keep their
English line."""

from __future__ import annotations

import pytest

from gongsheng.distribution.models import Study

pytestmark = pytest.mark.django_db

NOT_ENTERED_ZH = "未录入：Unit school 的风险；Unit ent 的风险；Unit gov 的风险；Unit school 的努力"
NOT_ENTERED_EN = (
    "not entered — risk: Unit school; risk: Unit ent; risk: Unit gov; effort: Unit school"
)


@pytest.fixture
def computed(world, ledger_project, client):
    """A project study computed without risk and effort: the modified Shapley value has none."""
    client.force_login(world.users["secretariat"])
    r = client.post("/api/distribution/studies", {
        "consortium_id": world.a.pk, "scope": "project", "title": "API",
        "project_id": ledger_project.pk, "history_from": "2025-01-01"},
        content_type="application/json")  # fmt: skip
    sid = r.json()["id"]
    client.put(f"/api/distribution/studies/{sid}/values", {"values": {"5": 300, "6": 400}},
               content_type="application/json", HTTP_IF_MATCH='W/"1"')  # fmt: skip
    assert client.post(f"/api/distribution/studies/{sid}/compute").status_code == 200
    return Study.objects.get(pk=sid)


def test_the_reason_is_stored_as_a_code(computed):
    row = computed.results["methods"]["modified"]
    assert row["error_code"]["code"] == "allocation.not_entered"
    assert row["error"].startswith(NOT_ENTERED_EN)  # the English line beside it


def test_page_and_api_in_the_readers_language(world, computed, client):
    body = client.get(f"/distribution/{computed.pk}/").content.decode()
    assert NOT_ENTERED_ZH in body and "not entered" not in body
    url = f"/api/distribution/studies/{computed.pk}"
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"]["methods"]
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"]["methods"]
    assert zh["modified"]["error"].startswith(NOT_ENTERED_ZH)
    assert en["modified"]["error"].startswith(NOT_ENTERED_EN)
    assert zh["modified"]["error_code"] == en["modified"]["error_code"]


def test_nash_refusal_from_the_analytics_in_chinese(world, computed, client):
    """An error the analytics raise (ValueError carrying its reason) renders too."""
    results = computed.results
    Study.objects.filter(pk=computed.pk).update(
        results={**results, "methods": {**results["methods"], "nash": {
            "error": "`disagreement` sums to 130.0, more than `total` = 120.0: no agreement "
                     "improves on disagreement",
            "error_code": {"code": "allocation.disagreement_exceeds",
                           "params": {"sum": "130.0", "total": "120.0"}}}}}
    )  # fmt: skip
    body = client.get(f"/distribution/{computed.pk}/").content.decode()
    assert "谈判破裂点之和为 130.0，超过总额 120.0：任何协议都不优于破裂点" in body


def test_a_result_stored_before_codes_keeps_its_line(world, computed, client):
    results = computed.results
    old = {"error": "not entered — risk: Unit school"}
    Study.objects.filter(pk=computed.pk).update(
        results={**results, "methods": {**results["methods"], "modified": old}}
    )
    body = client.get(f"/distribution/{computed.pk}/").content.decode()
    assert "not entered — risk: Unit school" in body
    api = client.get(f"/api/distribution/studies/{computed.pk}").json()
    assert api["results"]["methods"]["modified"] == old
