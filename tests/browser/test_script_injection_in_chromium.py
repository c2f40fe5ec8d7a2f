"""Stored script injection (issue 14, point 2), in Chromium.

A payload goes into every free-text field that reaches a page, a chart or a report — unit
name and short name, consortium name, project name, contract title, resource name, ledger
category name, policy title, a ledger entry's note, the units of an uploaded workbook —
written through the services by whoever may write it (the unit's own admin for its unit, the
secretariat, the platform admin for a platform category). The secretariat then opens the
pages where they show, hovers every item of every chart (tooltips are HTML), and the test
fails if any payload ran (``window.__pwned``, a dialog), became markup (an ``<img src=x>``,
an element with an ``on…`` attribute), or made the browser log an error — a blocked inline
script is a Content-Security-Policy violation in the console, so a payload that reached the
HTML unescaped fails the test even though the policy stopped it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.browser.conftest import login
from tests.browser.test_charts_in_chromium import (
    _diagnosis_stored,
    _load_whole_demo,
    console_errors,
)

#: the payloads (each field gets as much as it holds, with a tag saying which field it is)
LONG = (
    '<img src=x onerror="window.__pwned=1;alert(1)">"><svg onload="window.__pwned=1">'
    "<script>window.__pwned=1</script>'\"{{7*7}}"
)
SHORT = '"><img src=x onerror=__pwned=1>{{7*7}}'

#: markup a payload would have made, anywhere in the document (tooltips included)
INJECTED = """() => {
  const found = [];
  document.querySelectorAll("img[src='x'], svg[onload]")
    .forEach(el => found.push(el.outerHTML.slice(0, 80)));
  document.querySelectorAll("script:not([type='application/json'])").forEach(el => {
    if (el.textContent.includes("__pwned")) found.push(el.outerHTML.slice(0, 80));
  });
  document.querySelectorAll("*").forEach(el => {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(el.tagName + " " + attr.name);
    }
  });
  return {pwned: window.__pwned === undefined ? null : window.__pwned, found: found};
}"""

#: show the tooltip of every item of every chart (series data by index; graph and Sankey
#: edges by pointing at their middle, as a mouse would); returns the texts the charts showed
HOVER_ALL = """() => {
  const texts = [];
  const boxes = Array.from(document.querySelectorAll("[data-chart], .chart"));
  for (const box of boxes) {
    const chart = window.echarts && window.echarts.getInstanceByDom(box);
    if (!chart) continue;
    (chart.getOption().series || []).forEach((series, s) => {
      for (let i = 0; i < Math.min((series.data || []).length, 80); i += 1) {
        chart.dispatchAction({type: "showTip", seriesIndex: s, dataIndex: i});
        texts.push(box.innerText);
      }
      const model = chart.getModel().getSeriesByIndex(s);
      const edges = model && model.getEdgeData ? model.getEdgeData() : null;
      for (let i = 0; edges && i < Math.min(edges.count(), 80); i += 1) {
        const group = edges.getItemGraphicEl(i);
        const el = group && group.childOfName ? (group.childOfName("line") || group) : group;
        if (!el) continue;
        const shape = el.shape || {};
        const rect = el.getBoundingRect();
        const point = shape.x1 !== undefined
          ? el.transformCoordToGlobal((shape.x1 + shape.x2) / 2, (shape.y1 + shape.y2) / 2)
          : el.transformCoordToGlobal(rect.x + rect.width / 2, rect.y + rect.height / 2);
        chart.dispatchAction({type: "showTip", x: point[0], y: point[1]});
        texts.push(box.innerText);
      }
    });
    chart.dispatchAction({type: "hideTip"});
  }
  return texts;
}"""


def _taint(main):
    """Write the payloads through the services, as those who may write each field."""
    from gongsheng.access.models import User
    from gongsheng.consortia import services as consortia
    from gongsheng.consortia.models import Unit
    from gongsheng.cooperation.models import Contract, Project
    from gongsheng.cooperation.services import contract_update, project_update
    from gongsheng.environment.models import PublicPolicy
    from gongsheng.environment.services import policy_update
    from gongsheng.ledger.models import Category, LedgerEntry
    from gongsheng.ledger.services import catalogue, entries
    from gongsheng.ledger.services.values import Party
    from gongsheng.sharing.models import SharedResource
    from gongsheng.sharing.services import resources

    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    secretariat, admin = users["secretariat"], users["admin"]
    unit = Unit.objects.get(pk=users["enterprise_admin"].unit_id)
    consortia.unit_update(
        actor=users["enterprise_admin"], unit_id=unit.pk, version=unit.version,
        name="U" + LONG, short_name="S" + SHORT,
    )  # fmt: skip
    consortia.consortium_update(
        actor=admin, consortium_id=main.pk, version=main.version, name="C" + LONG
    )
    project = Project.objects.filter(consortium=main).order_by("pk").first()
    project_update(
        actor=secretariat, project_id=project.pk, version=project.version, name="P" + LONG
    )
    contract = Contract.objects.filter(consortium=main).order_by("pk").first()
    contract_update(
        actor=secretariat, contract_id=contract.pk, version=contract.version, title="K" + LONG
    )
    resource = SharedResource.objects.filter(consortium=main).order_by("pk").first()
    resources.resource_update(
        actor=secretariat, resource_id=resource.pk, version=resource.version, name="R" + LONG
    )
    entry = LedgerEntry.objects.filter(consortium=main, giver_unit=unit).order_by("pk").first()
    category = Category.objects.get(pk=entry.category_id)
    catalogue.category_update(
        actor=admin, category_id=category.pk, version=category.version, name="G" + SHORT
    )
    other = LedgerEntry.objects.filter(consortium=main).exclude(receiver_unit=None)
    receiver_id = other.exclude(receiver_unit=unit).values_list("receiver_unit", flat=True)[0]
    noted = entries.entry_create(
        actor=secretariat, consortium_id=main.pk, date=dt.date(2025, 6, 1),
        category=category.code, quantity=Decimal(3), giver=Party.unit(unit.pk),
        receiver=Party.unit(receiver_id), note="N" + LONG,
    )  # fmt: skip
    policy = PublicPolicy.objects.filter(consortium=main).order_by("pk").first()
    policy_update(actor=secretariat, policy_id=policy.pk, version=policy.version, title="Y" + LONG)
    return {
        "unit": unit.pk,
        "partner": receiver_id,
        "project": project.pk,
        "contract": contract.pk,
        "resource": resource.pk,
        "entry": noted.pk,
        "policy": policy.pk,
    }


def _tainted_workbook(tmp_path):
    """The analysis example with the payload in every unit's name."""
    from openpyxl import load_workbook

    from gongsheng.workbook import build_files

    wb = load_workbook(build_files.EXAMPLE)
    sheet = wb["单元"]
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header) if h and str(h).startswith("名称")) + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column).value:
            sheet.cell(row, column).value = f"{row}{LONG}"
    path = tmp_path / "tainted.xlsx"
    wb.save(path)
    return path


def test_no_stored_payload_runs_in_any_page_chart_or_report(
    live_server, transactional_db, page, tmp_path
):
    main = _load_whole_demo()[0]
    ids = _taint(main)
    _diagnosis_stored(main.pk)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors = console_errors(page)
    login(page, live_server, "secretariat")
    c = main.pk
    pages = [
        "/", "/consortia/", f"/consortia/{c}/", f"/consortia/{c}/units/",
        f"/units/{ids['unit']}/", f"/consortia/{c}/memberships/",
        f"/consortia/{c}/projects/", f"/projects/{ids['project']}/",
        f"/consortia/{c}/contracts/", f"/contracts/{ids['contract']}/",
        f"/consortia/{c}/resources/", f"/resources/{ids['resource']}/",
        f"/consortia/{c}/utilisation/", f"/consortia/{c}/ledger/",
        f"/ledger/entries/{ids['entry']}/", f"/consortia/{c}/ledger/summaries/",
        f"/consortia/{c}/ledger/rules/", f"/consortia/{c}/policies/",
        f"/policies/{ids['policy']}/", f"/consortia/{c}/diagnosis/",
        f"/consortia/{c}/diagnosis/pairs/{min(ids['unit'], ids['partner'])}/"
        f"{max(ids['unit'], ids['partner'])}/",
        f"/consortia/{c}/modelling/dynamics/", f"/consortia/{c}/modelling/game/",
        f"/consortia/{c}/distribution/", f"/consortia/{c}/alerts/", "/audit/",
    ]  # fmt: skip
    hovered: list[str] = []
    for path in pages:
        page.goto(live_server.url + path, timeout=120000)
        if page.locator("[data-chart]").count():
            page.wait_for_function(
                "() => document.body.dataset.chartsReady === '1' || null", timeout=60000
            )
            hovered += page.evaluate(HOVER_ALL)
        assert page.evaluate(INJECTED) == {"pwned": None, "found": []}, path
        assert errors == [] and dialogs == [], f"{path}: {errors} {dialogs}"
    page.goto(f"{live_server.url}/units/{ids['unit']}/")
    assert "U<img src=x" in page.inner_text("main")  # shown, as text
    # the graph's tooltips did show the names, as text: a unit's and a pair's (its edge)
    assert any("U<img src=x" in text for text in hovered)
    assert any("U<img src=x" in text and " – " in text for text in hovered)
    # a delete form asks first (data-confirm, no inline handler): dismissed, nothing happens
    from gongsheng.environment.models import PublicPolicy

    page.goto(f"{live_server.url}/policies/{ids['policy']}/")
    page.click("#delete-form button[type=submit]")
    page.wait_for_timeout(300)
    assert dialogs == [page.get_attribute("#delete-form", "data-confirm")]
    assert PublicPolicy.objects.filter(pk=ids["policy"]).exists() and errors == []


def test_no_payload_runs_in_the_report_of_an_uploaded_workbook(demo_server, page, tmp_path):
    """Unit names of an uploaded workbook: the analyze page, the report as the platform serves
    it (sandboxed) and as downloaded (its own policy), every tooltip hovered."""
    from gongsheng.access.models import User
    from gongsheng.jobs.models import JobState
    from gongsheng.jobs.services import job_start
    from gongsheng.web.jobs import ANALYZE
    from tests.browser.test_jobs_in_chromium import _work_until_done

    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors = console_errors(page)
    login(page, demo_server, "secretariat")
    server = demo_server
    job = job_start(
        actor=User.objects.get(username="secretariat"),
        kind=ANALYZE,
        params={"source": f"{LONG}.xlsx"},
        files={"workbook": _tainted_workbook(tmp_path).read_bytes()},
    )
    _work_until_done()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    page.goto(f"{server.url}/analyze/?job={job.pk}")
    assert page.evaluate(INJECTED) == {"pwned": None, "found": []}, "analyze page"
    for url in (f"{server.url}/jobs/{job.pk}/files/report.html", _offline(job, tmp_path)):
        page.goto(url)
        page.wait_for_function("() => document.querySelectorAll('.chart svg').length >= 5")
        hovered = page.evaluate(HOVER_ALL)
        assert any("<img src=x" in text for text in hovered), url
        assert page.evaluate(INJECTED) == {"pwned": None, "found": []}, url
        assert errors == [] and dialogs == [], f"{url}: {errors} {dialogs}"


def _offline(job, tmp_path):
    """The job's report as a file on the disk (as downloaded): its own policy only."""
    from django.core.files.storage import default_storage

    path = tmp_path / "report.html"
    with default_storage.open(job.files["report.html"], "rb") as f:
        path.write_bytes(f.read())
    return path.as_uri()


def test_pages_with_scripts_work_under_the_policy(demo_server, page):
    """The policy blocks nothing of ours: the API's Swagger UI draws, the language select
    submits by itself and a delete form asks first (data-autosubmit, data-confirm)."""
    errors = console_errors(page)
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30000)
    page.goto(f"{demo_server.url}/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert errors == []
