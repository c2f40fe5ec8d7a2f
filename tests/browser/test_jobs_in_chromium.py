"""Background jobs in Chromium: the analyze page returns at once with the job's progress,
htmx polls it, and once the worker has finished (run here in the test's own thread: the
in-memory SQLite test database takes no concurrent writer), the page shows the report's
summary and its download links without a reload."""

from __future__ import annotations

import time

from django.db import OperationalError

from gongsheng.workbook import build_files
from tests.browser.conftest import login


def _work_until_done(timeout: float = 120.0) -> None:
    from gongsheng.jobs.models import ACTIVE_STATES, Job
    from gongsheng.jobs.worker import run_pending

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            run_pending(worker_id="browser-worker")
            if not Job.objects.filter(state__in=ACTIVE_STATES).exists():
                return
        except OperationalError:  # a poll of the page holds the database: try again
            pass
        time.sleep(0.2)
    raise AssertionError("the job did not finish")


def test_analyze_shows_progress_then_the_report(demo_server, page):
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/analyze/")
    page.set_input_files("#id_workbook", str(build_files.EXAMPLE))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    # the page answers at once with the job's progress component, waiting for the worker
    page.wait_for_selector(".job-progress[data-state='queued']")
    _work_until_done()
    # htmx polls the component until the job has ended
    page.wait_for_selector("#analyze-success", timeout=30000)
    assert page.locator(".job-progress[data-state='succeeded']").count() == 1
    assert "华屿电子信息有限公司" in page.inner_text("#analyze-success")
    href = page.get_attribute("#analyze-success a.btn >> nth=0", "href")
    assert href and href.endswith("/files/report.html")
    report = page.request.get(f"{demo_server.url}{href}")
    assert report.status == 200 and "共生诊断报告" in report.text()
