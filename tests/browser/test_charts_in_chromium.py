"""Every chart page in Chromium, as the secretariat, on the whole demo: the shared chart script
(``web/static/web/charts.js``) draws every ``[data-chart]`` box on a canvas with data in its
series and ink on the canvas, and no page logs a console error (a Content-Security-Policy
violation included) or throws. The report of ``gongsheng analyze`` draws its charts too: the
offline file and the platform's copy of an uploaded workbook's report (sandboxed)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from tests.browser.conftest import login

#: a chart box that is not drawn: no canvas, no series with data, or a blank canvas
EMPTY_BOXES = """() => Array.from(document.querySelectorAll("[data-chart]"))
    .filter(box => box.dataset.mounted !== "empty")
    .filter(box => {
      const chart = window.gongshengCharts && window.gongshengCharts.chart(box.id);
      const canvas = box.querySelector("canvas");
      if (!chart || !canvas) return true;
      const series = chart.getOption().series || [];
      if (!series.some(s => (s.data || []).length > 0)) return true;
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) ink += 1; }
      return ink < 200;
    })
    .map(box => box.id || box.dataset.chart)"""

#: the report's charts (SVG): each drawn, with data in a series and shapes in its SVG
EMPTY_REPORT_CHARTS = """() => Array.from(document.querySelectorAll(".chart"))
    .filter(el => {
      const chart = window.echarts && window.echarts.getInstanceByDom(el);
      if (!chart) return true;
      const series = chart.getOption().series || [];
      if (!series.some(s => (s.data || []).length > 0)) return true;
      return el.querySelectorAll("svg path, svg circle, svg rect").length < 5;
    })
    .map(el => el.id)"""

SHOTS = os.environ.get("GONGSHENG_CHART_SHOTS")  # a directory: screenshots of every page


def console_errors(page) -> list[str]:
    """Collect the page's console errors (CSP violations are logged as errors) and uncaught
    exceptions into the returned list."""
    errors: list[str] = []

    def console(message):
        where = message.location.get("url", "")
        # chromium asks for /favicon.ico on its own; the platform has none (not a page's error)
        if message.type == "error" and not where.endswith("/favicon.ico"):
            errors.append(f"{message.text} ({where})")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _load_whole_demo():
    from django.apps import apps

    from gongsheng.consortia.models import Consortium
    from gongsheng.distribution.models import Study
    from gongsheng.modelling.models import Scenario
    from gongsheng.sharing.models import SharedResource
    from gongsheng.web import demo

    # live-server tests flush the tables, data migrations included: restore the categories
    defaults = importlib.import_module("gongsheng.ledger.migrations.0002_default_categories")
    defaults.forwards(apps, None)
    demo.load()
    main = Consortium.objects.get(code="binjiang-wind", is_demo=True)
    _add_early_years(main)
    return (
        main,
        Study.objects.filter(consortium=main).exclude(results=None).order_by("pk").first(),
        Scenario.objects.filter(consortium=main).order_by("pk").first(),
        SharedResource.objects.filter(consortium=main).order_by("pk").first(),
    )


def _add_early_years(main):
    """The demo ledger has too few years to fit the dynamics: add ten earlier ones."""
    from types import SimpleNamespace

    from gongsheng.consortia.models import Unit
    from tests.modelling.support import post_outputs, synthetic_series

    members = Unit.objects.filter(memberships__consortium=main).order_by("pk")
    units = {
        "school": members.filter(type="higher_vocational").first(),
        "ent": members.filter(type="enterprise").first(),
    }
    post_outputs(SimpleNamespace(a=main, units=units), synthetic_series(10), first_year=2010)


def test_every_chart_page_draws_every_chart_without_errors(live_server, transactional_db, page):
    main, study, scenario, resource = _load_whole_demo()
    assert study is not None and scenario is not None and resource is not None
    errors = console_errors(page)
    login(page, live_server, "secretariat")
    c = main.pk
    pages = {
        "overview": (f"/consortia/{c}/", 2),
        "ledger summaries": (f"/consortia/{c}/ledger/summaries/", 2),
        "resource": (f"/resources/{resource.pk}/", 2),
        "utilisation": (f"/consortia/{c}/utilisation/", 2),
        "study": (f"/distribution/{study.pk}/", 1),
        "dynamics": (f"/consortia/{c}/modelling/dynamics/", 1),
        "game": (f"/consortia/{c}/modelling/game/", 2),
        "scenario": (f"/modelling/scenarios/{scenario.pk}/", 2),
        "diagnosis": (f"/consortia/{c}/diagnosis/", 4),
    }
    _diagnosis_stored(c)  # as the worker beside `serve` would have done on the first visit
    for name, (path, at_least) in pages.items():
        page.goto(live_server.url + path, timeout=120000)
        ready = page.wait_for_function(
            "() => document.body.dataset.chartsReady === '1' || null", timeout=60000
        )
        assert ready, name
        boxes = page.locator("[data-chart]").count()
        assert boxes >= at_least, f"{name}: {boxes} chart boxes"
        page.wait_for_timeout(1200)  # the animation and the graph's layout settle
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
        assert page.evaluate(EMPTY_BOXES) == [], f"{name}: empty chart boxes"
        assert errors == [], f"{name}: {errors}"
    _uploaded_report_draws(page, live_server, errors)


def _uploaded_report_draws(page, server, errors):
    """The report of an uploaded workbook, as the platform serves it (sandboxed)."""
    from gongsheng.access.models import User
    from gongsheng.jobs.services import job_start
    from gongsheng.web.jobs import ANALYZE
    from gongsheng.workbook import build_files
    from tests.browser.test_jobs_in_chromium import _work_until_done

    job = job_start(
        actor=User.objects.get(username="secretariat"),
        kind=ANALYZE,
        params={"source": "example.xlsx"},
        files={"workbook": build_files.EXAMPLE.read_bytes()},
    )
    _work_until_done()
    response = page.goto(f"{server.url}/jobs/{job.pk}/files/report.html")
    assert response is not None and "sandbox" in response.headers["content-security-policy"]
    _report_draws(page, errors, "uploaded report")


def _report_draws(page, errors, name):
    page.wait_for_function("() => document.querySelectorAll('.chart svg').length >= 5")
    page.wait_for_timeout(1200)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert page.evaluate(EMPTY_REPORT_CHARTS) == [], f"{name}: empty charts"
    assert errors == [], f"{name}: {errors}"


def test_the_offline_report_draws_every_chart(page, tmp_path):
    """``gongsheng analyze`` on the example: the report opened from the disk draws its five
    charts under its own policy (its scripts by hash) without an error."""
    from gongsheng.cli import main
    from gongsheng.workbook import build_files

    out = tmp_path / "report"
    assert main(["gongsheng", "analyze", str(build_files.EXAMPLE), "--out", str(out)]) == 0
    errors = console_errors(page)
    page.goto(Path(out, "report.html").as_uri())
    _report_draws(page, errors, "offline report")


def _diagnosis_stored(consortium_id):
    from gongsheng.access.models import User
    from gongsheng.diagnosis.jobs import diagnosis_window_job
    from tests.browser.test_jobs_in_chromium import _work_until_done

    user = User.objects.get(username="secretariat")
    diagnosis_window_job(user=user, consortium_id=consortium_id)
    _work_until_done()
