"""The main navigation (from the app registry) fits one row at 1280 px and its menus open."""

from __future__ import annotations

from tests.browser.conftest import login


def _consortium_page(page, server):
    login(page, server, "secretariat")
    page.click("header nav >> text=概览")
    page.wait_for_load_state("networkidle")


def test_the_navigation_fits_one_row_at_1280_px(demo_server, page):
    _consortium_page(page, demo_server)
    assert page.viewport_size["width"] == 1280
    boxes = page.eval_on_selector_all(
        "header.top nav.main-nav > a, header.top nav.main-nav > details > summary",
        "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return [r.top, r.bottom, r.right]; })",
    )
    assert len(boxes) == 7  # 3 links + 4 menus
    tops = {round(top) for top, _bottom, _right in boxes}
    assert len(tops) == 1, boxes  # one row
    header = page.eval_on_selector(
        "header.top", "e => [e.getBoundingClientRect().height, e.scrollWidth, e.clientWidth]"
    )
    assert header[0] < 70 and header[1] <= header[2], header  # one line, nothing overflows
    assert max(right for _t, _b, right in boxes) <= 1280


def test_a_menu_opens_closes_the_others_and_leads_to_its_page(demo_server, page):
    _consortium_page(page, demo_server)
    contracts = page.locator("header nav details[data-menu=cooperation] a", has_text="合同")
    assert not contracts.is_visible()
    page.click("header nav details[data-menu=cooperation] > summary")
    assert contracts.is_visible()
    page.click("header nav details[data-menu=analysis] > summary")
    assert page.locator("header nav details[data-menu=analysis] a", has_text="诊断").is_visible()
    assert not contracts.is_visible()  # one menu open at a time
    page.keyboard.press("Escape")
    assert page.locator("header nav details[open]").count() == 0
    page.click("header nav details[data-menu=cooperation] > summary")
    with page.expect_navigation():
        contracts.click()
    assert "/contracts/" in page.url
    # the menu holding the current page is marked
    assert page.locator("header nav details.active[data-menu=cooperation]").count() == 1
    page.screenshot(path="test-results/navigation.png")
