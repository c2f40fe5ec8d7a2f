"""Browser tests: Debian's chromium driven by Playwright (never a downloaded browser).

Skipped with one line of reason when chromium is not installed, except in CI
(``GONGSHENG_REQUIRE_BROWSER=1``), where a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("GONGSHENG_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required here (GONGSHENG_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context_dir = tempfile.mkdtemp(prefix="gongsheng-chromium-")
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=FLAGS, env={"HOME": context_dir}
        )
        yield browser
        browser.close()
        shutil.rmtree(context_dir, ignore_errors=True)


@pytest.fixture
def demo_server(live_server, transactional_db):
    from gongsheng.consortia.demo import load_demo

    load_demo()
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login(page, server, username: str) -> None:
    page.goto(f"{server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "gongsheng-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
