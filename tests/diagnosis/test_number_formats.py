"""Amounts on the diagnosis pages as a finance page writes them: 7,684,500.00, through the one
``money`` filter (``core/templatetags/numbers.py``), in Chinese and in English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from gongsheng.core.templatetags.numbers import format_money
from tests.diagnosis.test_pages import _url, ids, post, warm

pytestmark = pytest.mark.django_db

GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_format_money(language):
    with translation.override(language):
        assert format_money(7684500) == "7,684,500.00"
        assert format_money("-1234567.125") == "-1,234,567.13"
        assert format_money(-0.001) == "0.00" and format_money(999.5, 0) == "1,000"
        assert format_money(None) == "" and format_money("—") == "—"


@pytest.fixture
def big_flows(world):
    return [
        post(world, "school", "ent", 7684500.25, dt.date(2025, 3, 1)),
        post(world, "ent", "school", 1234567.5, dt.date(2025, 5, 1)),
        post(world, "gov", "school", 2500000, dt.date(2025, 2, 1)),
    ]


def _cells(body, table_id):
    table = re.search(rf'id="{table_id}".*?</table>', body, re.S).group(0)
    return [c.strip() for c in re.findall(r'<td class="num[^"]*">([^<]*)</td>', table)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_diagnosis_pages_group_thousands_with_two_decimals(world, client, big_flows, language):
    client.cookies["django_language"] = language
    client.force_login(world.users["secretariat"])
    url = _url(world) + "?year_from=2025&year_to=2025"
    body = warm(client, url).content.decode()
    total = re.search(r'id="total-energy">([^<]*)<', body).group(1).strip()
    assert GROUPED.match(total), total  # the pairs' gains cancel out here: 0.00
    groups = _cells(body, "energy-by-group")
    assert groups and all(GROUPED.match(c) for c in groups) and "7,684,500.25" in groups, groups
    pairs = [c for c in _cells(body, "pair-table") if c]
    assert pairs and all(GROUPED.match(c) for c in pairs), pairs

    a, b = ids(world, "school", "ent")
    pair = warm(client, _url(world, "pairs", a, b) + "?year_from=2025&year_to=2025")
    body = pair.content.decode()
    numbers = _cells(body, "numbers")
    assert "7,684,500.25" in numbers and "1,234,567.50" in numbers, numbers
    assert all(GROUPED.match(c) for c in numbers[:14]), numbers  # the amounts' rows
    energy = re.search(r'id="pair-energy"[^>]*>([^<]*)<', body).group(1).split()[0]
    assert GROUPED.match(energy), energy
    assert {"7,684,500.25", "1,234,567.50"} <= set(_cells(body, "entries"))

    province = client.get("/diagnosis/").content.decode()
    row = re.search(rf'<tr data-consortium="{world.a.pk}">(.*?)</tr>', province, re.S).group(1)
    assert any(GROUPED.match(c.strip()) for c in re.findall(r">([^<>]+)</td>", row)), row
