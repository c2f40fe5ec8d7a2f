"""Every chart page in Chromium, as the secretariat, on the whole demo: the shared chart script
(``web/static/web/charts.js``) draws every ``[data-chart]`` box on a canvas, and no page logs a
console error or throws."""

from __future__ import annotations

import importlib

from tests.browser.conftest import login

EMPTY_BOXES = """() => Array.from(document.querySelectorAll("[data-chart]"))
    .filter(box => !box.querySelector("canvas"))
    .map(box => box.id || box.dataset.chart)"""


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
    errors: list[str] = []

    def console(message):
        where = message.location.get("url", "")
        # chromium asks for /favicon.ico on its own; the platform has none (not a page's error)
        if message.type == "error" and not where.endswith("/favicon.ico"):
            errors.append(f"{message.text} ({where})")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
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
        assert page.evaluate(EMPTY_BOXES) == [], f"{name}: empty chart boxes"
        assert errors == [], f"{name}: {errors}"


def _diagnosis_stored(consortium_id):
    from gongsheng.access.models import User
    from gongsheng.diagnosis.jobs import diagnosis_window_job
    from tests.browser.test_jobs_in_chromium import _work_until_done

    user = User.objects.get(username="secretariat")
    diagnosis_window_job(user=user, consortium_id=consortium_id)
    _work_until_done()
