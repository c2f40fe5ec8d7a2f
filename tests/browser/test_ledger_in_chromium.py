"""The ledger in Chromium: filter the list as you choose, reverse an entry, see the summaries."""

from __future__ import annotations

import random

from tests.browser.conftest import login


def _load_ledger_demo():
    import importlib

    from django.apps import apps

    from gongsheng.consortia.models import Consortium, Unit
    from gongsheng.ledger.demo import load_demo_data

    # live-server tests flush the tables, data migrations included: restore the categories
    defaults = importlib.import_module("gongsheng.ledger.migrations.0002_default_categories")
    defaults.forwards(apps, None)

    main = Consortium.objects.filter(is_demo=True).order_by("pk").first()
    units = {u.short_name: u for u in Unit.objects.filter(memberships__consortium=main)}
    load_demo_data(consortium=main, units=units, rng=random.Random(1))
    return main


def test_ledger_filter_reverse_and_summaries(demo_server, page):
    main = _load_ledger_demo()
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/consortia/{main.pk}/ledger/")
    page.wait_for_selector("#entry-table")
    assert page.locator("#entry-table tbody tr").count() > 3
    page.select_option("select[name=category]", "expert_hours")
    # the three expert-hour entries of the demo, swapped in by htmx without a page load
    page.wait_for_function(
        "() => document.querySelectorAll('#entry-table tbody tr').length === 3", timeout=30000
    )
    assert "expert_hours" in page.url
    page.click("#entry-table tbody tr:first-child a")
    page.wait_for_selector("#chain")
    page.fill("input[name=note]", "测试冲销")
    with page.expect_navigation():
        page.click("form[action$='/reverse/'] button")
    assert page.locator("#chain tbody tr").count() == 2
    assert "-" in page.locator("#chain tbody tr:nth-child(2) td.num").inner_text()
    page.goto(f"{demo_server.url}/consortia/{main.pk}/ledger/summaries/")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert page.locator("#chart-types canvas").count() == 1
    assert page.locator("#by-unit tbody tr").count() > 5
