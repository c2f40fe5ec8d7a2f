"""The diagnosis's reasons in the reader's language (decision 0808): the consortium page's
alerts, the pair page's verdict, the alerts page and the API render the analytics' reason
codes in Chinese or English; results and alerts stored before reasons had codes still show
their English line."""

from __future__ import annotations

import pytest

from gongsheng.alerts.models import Alert
from gongsheng.alerts.services import alert_raise
from gongsheng.diagnosis import services
from tests.diagnosis.diag_data import build

pytestmark = pytest.mark.django_db

ZH, EN = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}, {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def refreshed(world, client):
    data = build(world)
    services.diagnosis_refresh(actor=world.users["secretariat"], consortium_id=world.a.pk)
    client.force_login(world.users["secretariat"])
    return data


def _page(client, url, lang):
    response = client.get(url, **lang)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_consortium_and_pair_pages_say_why_in_the_readers_language(world, client, refreshed):
    u = refreshed["u"]
    base = f"/consortia/{world.a.pk}/diagnosis/"
    zh, en = _page(client, base, ZH), _page(client, base, EN)
    assert "Unit school为寄生方" in zh and "is the parasite" not in zh
    assert "Unit school is the parasite" in en and "为寄生方" not in en
    a, b = sorted((u["school"], u["ent"]))
    pair = f"{base}pairs/{a}/{b}/"
    zh, en = _page(client, pair, ZH), _page(client, pair, EN)
    assert "寄生：" in zh and "共生能量" in zh and "pair energy" not in zh
    assert "parasitism: " in en and "pair energy" in en


def test_the_api_gives_the_reason_in_the_requests_language_with_its_code(world, client, refreshed):
    url = f"/api/consortia/{world.a.pk}/diagnosis/alerts"
    zh, en = client.get(url, **ZH).json()["items"], client.get(url, **EN).json()["items"]
    parasitic_zh = next(a for a in zh if a["kind"] == "parasitic_pair")
    parasitic_en = next(a for a in en if a["kind"] == "parasitic_pair")
    assert "为寄生方" in parasitic_zh["reason"] and "is the parasite" in parasitic_en["reason"]
    assert parasitic_zh["reason_code"] == parasitic_en["reason_code"]
    assert parasitic_zh["reason_code"]["code"] == "alert.parasitic_pair"
    assert parasitic_zh["reason_code"]["params"]["parasite"] == "Unit school"


def test_the_alerts_page_renders_title_and_reason_when_read(world, client, refreshed):
    url = f"/consortia/{world.a.pk}/alerts/"
    zh, en = _page(client, url, ZH), _page(client, url, EN)
    assert "寄生关系：Unit school / Unit ent" in zh and "搭便车：" in zh
    assert "Parasitic pair: Unit school / Unit ent" in en and "Free rider: " in en
    assert "Parasitic pair" not in zh and "寄生关系" not in en
    stored = Alert.objects.get(kind="parasitic_pair")
    assert stored.title_code["code"] == "alert_title.parasitic_pair"
    assert stored.reason_code["code"] == "alert.parasitic_pair"
    api = client.get(f"/api/alerts?consortium={world.a.pk}", **ZH).json()["items"]
    assert any(a["title"].startswith("寄生关系：") for a in api)


def test_what_was_stored_before_reasons_had_codes_still_renders(world, client, refreshed):
    # a result stored without the codes: its English lines show as they are
    result, _cached = services.diagnosis_result(consortium_id=world.a.pk)  # with its years
    assert result.payload["diagnosis"]["alerts"][0]["reason_code"]
    for a in result.payload["diagnosis"]["alerts"]:
        a.pop("reason_code")
    result.save(update_fields=["payload"])
    zh = _page(client, f"/consortia/{world.a.pk}/diagnosis/", ZH)
    assert "Unit school is the parasite" in zh
    # an alert raised as plain text
    alert_raise(
        actor=world.users["secretariat"], consortium_id=world.a.pk, kind="free_rider",
        title="Free rider: Old unit", reason="Old unit received 5.00 and put in 0.00.",
    )  # fmt: skip
    # and one whose code is no longer known shows the text it was raised with
    alert_raise(
        actor=world.users["secretariat"], consortium_id=world.a.pk, kind="concentration",
        title="Renamed: Gone unit", reason="Gone unit's line.",
        title_code={"code": "alert_title.renamed", "params": {}},
        reason_code={"code": "alert.renamed", "params": {}},
    )  # fmt: skip
    page = _page(client, f"/consortia/{world.a.pk}/alerts/", ZH)
    assert "Free rider: Old unit" in page and "Old unit received 5.00 and put in 0.00." in page
    assert "Renamed: Gone unit" in page and "Gone unit&#x27;s line." in page
