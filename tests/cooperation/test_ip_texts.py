"""The IP rules engine's bases and reasons in the reader's language (decision 0808): every
message of the engine has its Chinese text with no English words left, the statutes are named
as the Chinese laws name them, and recorded actions and alerts show them in Chinese or English
when read."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils.translation import override

from gongsheng.alerts.models import Alert
from gongsheng.analytics.reasons import placeholders
from gongsheng.cooperation import ip_rules, services
from gongsheng.cooperation.ip_texts import ip_text

ZH, EN = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}, {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize("key", sorted(ip_rules.MESSAGES))
def test_every_message_of_the_engine_has_its_chinese_text(key):
    message = ip_rules.MESSAGES[key]
    params = {name: ("general" if name == "kind" else "许可 #7") for name in placeholders(message)}
    text = ip_rules.Text(message, **params)
    with override("zh-hans"):
        zh = ip_text(text)
    with override("en"):
        en = ip_text(text)
    assert en == str(text)
    assert zh != en and re.findall(r"[A-Za-z]{2,}", zh) == [], zh


def test_the_statutes_are_named_as_the_laws_name_them():
    with override("zh-hans"):
        named = {k: ip_text(ip_rules.MESSAGES[k]) for k in ("patent_14", "civil_859",
                                                              "civil_860", "civil_861")}  # fmt: skip
    assert named == {
        "patent_14": "《中华人民共和国专利法》第十四条",
        "civil_859": "《中华人民共和国民法典》第八百五十九条",
        "civil_860": "《中华人民共和国民法典》第八百六十条",
        "civil_861": "《中华人民共和国民法典》第八百六十一条",
    }


def test_a_recorded_english_line_is_read_back_and_a_clause_stays_as_written():
    line = (
        "Licence #7: licence terms (a licensee may sublicense or transfer only where its licence "
    )
    line += "says so)"
    with override("zh-hans"):
        assert ip_text(line).startswith("Licence #7：许可合同条款")
        assert ip_text(
            "a sole licensee without a sublicensing term may not pass the technology on"
        ) == ("排他许可的被许可人没有分许可条款，不得将该技术再提供给他人")
        assert ip_text("HT-1 §7.2") == "HT-1 §7.2"


@pytest.mark.django_db
def test_the_asset_page_and_the_alerts_show_the_basis_in_the_readers_language(world, coop, client):
    asset = coop["ip commissioned"]
    services.ip_action_record(
        actor=world.users["secretariat"], asset_id=asset.pk, unit_id=world.units["school"].pk,
        action="transfer", on=dt.date(2025, 6, 1), counterparty_id=world.units["other"].pk,
    )  # fmt: skip
    client.force_login(world.users["secretariat"])
    zh = client.get(f"/ip/{asset.pk}/", **ZH).content.decode()
    en = client.get(f"/ip/{asset.pk}/", **EN).content.decode()
    assert "《中华人民共和国民法典》第八百五十九条" in zh and "Civil Code Art. 859" not in zh
    assert "Civil Code Art. 859" in en
    alert = Alert.objects.get(kind="ip_rule_breach")
    assert alert.reason_code["params"]["basis"]["msgid"] == "Civil Code Art. 859"
    zh = client.get(f"/consortia/{world.a.pk}/alerts/", **ZH).content.decode()
    en = client.get(f"/consortia/{world.a.pk}/alerts/", **EN).content.decode()
    assert "违反知识产权规则" in zh and "优先受让" in zh and "pre-emption" not in zh
    assert "IP rule breach" in en and "pre-emption right" in en
