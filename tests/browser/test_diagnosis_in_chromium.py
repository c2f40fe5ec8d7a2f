"""The diagnosis in Chromium: the secretariat opens the consortium's diagnosis (a cold window:
the page shows the background job's progress, the worker computes it, htmx loads the result),
the network graph renders with nodes and edges, and a click on an edge opens the pair's
evidence."""

from __future__ import annotations

import random

from tests.browser.conftest import login
from tests.browser.test_jobs_in_chromium import _work_until_done


def _load_demo():
    import importlib

    from django.apps import apps

    from gongsheng.consortia.models import Consortium, Unit
    from gongsheng.cooperation.demo import load_demo_data as cooperation_demo
    from gongsheng.ledger.demo import load_demo_data as ledger_demo

    # live-server tests flush the tables, data migrations included: restore the categories
    defaults = importlib.import_module("gongsheng.ledger.migrations.0002_default_categories")
    defaults.forwards(apps, None)
    main = Consortium.objects.filter(is_demo=True).order_by("pk").first()
    units = {u.short_name: u for u in Unit.objects.filter(memberships__consortium=main)}
    ledger_demo(consortium=main, units=units, rng=random.Random(1))
    cooperation_demo(consortium=main, units=units, rng=random.Random(2))
    return main


def test_graph_renders_and_an_edge_opens_the_pair_evidence(demo_server, page):
    main = _load_demo()
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/consortia/{main.pk}/diagnosis/")
    # cold: the frame comes first with the job's progress; nothing is computed in the request
    page.wait_for_selector("#diagnosis-computing .job-progress[data-state='queued']")
    _work_until_done()
    # htmx polls the job; once it has succeeded the result replaces the progress
    page.wait_for_selector("#chart-graph", timeout=30000)
    page.wait_for_selector("body[data-charts-ready='1']", timeout=60000)
    counts = page.evaluate(
        """() => {
            const chart = window.gongshengDiagnosis.chart("chart-graph");
            const series = chart.getOption().series[0];
            return {nodes: series.data.length, edges: series.links.length};
        }"""
    )
    assert counts["nodes"] >= 2 and counts["edges"] >= 1, counts
    assert page.locator("#chart-graph canvas").count() == 1
    assert page.locator("#pair-table tbody tr[data-pair]").count() >= 1

    # a click on the first edge, dispatched through the ECharts instance (pixel positions of
    # a force layout move), opens the pair's evidence
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const chart = window.gongshengDiagnosis.chart("chart-graph");
                const link = chart.getOption().series[0].links[0];
                chart.trigger("click", {componentType: "series", seriesType: "graph",
                                        dataType: "edge", data: link});
            }"""
        )
    page.wait_for_selector("#verdict")
    assert "/diagnosis/pairs/" in page.url
    assert page.locator("#entries tbody tr a[href*='/ledger/entries/']").count() >= 1
    # the evidence is one more click away: the ledger entry itself
    with page.expect_navigation():
        page.click("#entries tbody tr:first-child a")
    page.wait_for_selector("#chain")
