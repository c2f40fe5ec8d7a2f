"""The pages as a person sees them, in Debian's chromium."""

from __future__ import annotations

from openpyxl import Workbook

from tests.browser.conftest import login


def test_dashboard_shows_the_demo_consortium(demo_server, page):
    login(page, demo_server, "secretariat")
    assert "滨江经开区风电装备产业市域产教联合体" in page.locator("h1").inner_text()
    page.wait_for_selector("body[data-charts-ready='1']")
    # ECharts drew both charts on canvases
    assert page.locator("#chart-types canvas").count() == 1
    assert page.locator("#chart-years canvas").count() == 1
    assert int(page.locator("#stat-admitted").inner_text()) >= 35
    page.screenshot(path=str(_shots() / "dashboard.png"), full_page=True)


def test_unit_directory_filters_as_you_type(demo_server, page):
    login(page, demo_server, "secretariat")
    page.click("text=成员单位")
    page.wait_for_selector("#unit-table")
    total = page.locator("#unit-table tbody tr").count()
    page.fill("input[name=q]", "风电")
    page.wait_for_function(
        "n => document.querySelectorAll('#unit-table tbody tr').length < n", arg=total
    )
    rows = page.locator("#unit-table tbody tr td:first-child").all_inner_texts()
    assert rows and all("风电" in r for r in rows)
    assert "q=" in page.url  # the filter is in the address, so it can be bookmarked


def test_import_with_bad_cells_names_each_and_changes_nothing(demo_server, page, tmp_path):
    from gongsheng.consortia.models import Unit

    before = Unit.objects.count()
    book = Workbook()
    for row in [
        ["统一社会信用代码", "名称", "类型"],
        ["91110000100017643A", "坏代码（演示）", "企业"],
        ["91110108551385082Q", "", "火箭"],
    ]:
        book.active.append(row)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    login(page, demo_server, "secretariat")
    page.click("text=成员单位")
    page.click("text=导入")
    page.set_input_files("#id_file", str(path))
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#import-errors")
    cells = page.locator("#import-errors tbody tr").all_inner_texts()
    assert len(cells) == 3
    assert any(c.startswith("2") and "校验码" in c for c in cells)
    assert any(c.startswith("3") and "名称" in c for c in cells)
    assert any(c.startswith("3") and "类型" in c for c in cells)
    assert Unit.objects.count() == before


def test_english_switch_and_observer_sees_no_contacts(demo_server, page):
    login(page, demo_server, "observer")
    with page.expect_navigation():
        page.select_option("header select[name=language]", "en")
    assert "Overview" in page.locator("header nav").inner_text()
    page.click("text=Member units")
    page.click("#unit-table tbody tr:first-child a")
    assert "visible to the unit itself and the secretariat" in page.content()


def _shots():
    from pathlib import Path

    path = Path("test-results")
    path.mkdir(exist_ok=True)
    return path
