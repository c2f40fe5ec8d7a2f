"""A clerk creates a project, moves it through its lifecycle and sees the ledger change."""

from __future__ import annotations

from tests.browser.conftest import login


def test_clerk_moves_a_project_and_the_ledger_follows(demo_server, page):
    from gongsheng.consortia.models import Consortium, Unit
    from tests.support.ledger_seed import ensure_default_categories

    ensure_default_categories()
    consortium = Consortium.objects.get(code="binjiang-wind")
    lead = Unit.objects.get(short_name="滨江风电")
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/consortia/{consortium.pk}/projects/")
    page.click("#new-project")
    page.fill("#id_name", "叶片检测联合攻关（浏览器测试）")
    page.select_option("#id_type", "joint_rd")
    page.select_option("#id_lead_unit", str(lead.pk))
    page.fill("#id_starts_on", "2026-03-01")
    page.click("#project-form button[type=submit]")
    page.wait_for_selector("#project-status[data-status=draft]")
    assert page.locator("#ledger tr.ledger-entry").count() == 0

    # the lead unit's actual input: a commitment of 200000, 150000 paid
    page.select_option("#input-form select[name=unit]", str(lead.pk))
    page.select_option("#input-form select[name=category]", "money")
    page.fill("#input-form input[name=committed]", "200000")
    page.fill("#input-form input[name=actual]", "150000")
    page.fill("#input-form input[name=on]", "2026-03-15")
    page.click("#input-form button[type=submit]")
    page.wait_for_selector("#inputs td:has-text('150000')")
    assert page.locator("#ledger tr.ledger-entry").count() == 0  # not approved yet

    # a move that needs a reason is refused with a clear message, nothing changes
    for step in ("proposed", "feasibility"):
        page.click(f"button[data-move={step}]")
        page.wait_for_selector(f"#project-status[data-status={step}]")
    page.click("button[data-move=draft]")
    page.wait_for_selector(".messages li.error")
    assert page.locator("#project-status").get_attribute("data-status") == "feasibility"

    page.fill("#move-reason", "可行性论证通过")
    page.click("button[data-move=approved]")
    page.wait_for_selector("#project-status[data-status=approved]")
    assert page.locator("#ledger tr.ledger-entry").count() == 1
    assert page.locator("#ledger-total").inner_text() == "150,000.00"  # money with thousands separators (issue 13.3)
    row = page.locator("#ledger tr.ledger-entry").first.inner_text()
    assert "滨江风电" in row and "项目账户" in row  # the pool by its name, not its code

    for step in ("contracted", "in_progress"):
        page.click(f"button[data-move={step}]")
        page.wait_for_selector(f"#project-status[data-status={step}]")
    # an output to the school, which reaches the ledger at acceptance
    school = Unit.objects.get(short_name="滨江职院")
    page.fill("#output-form input[name=title]", "检测工艺规程")
    page.select_option("#output-form select[name=category]", "money")
    page.fill("#output-form input[name=quantity]", "20000")
    page.select_option("#output-form select[name=receiver]", str(school.pk))
    page.fill("#output-form input[name=on]", "2026-09-01")
    page.click("#output-form button[type=submit]")
    page.wait_for_selector("#outputs td:has-text('检测工艺规程')")
    assert page.locator("#ledger tr.ledger-entry").count() == 1
    page.click("button[data-move=acceptance]")
    page.wait_for_selector("#project-status[data-status=acceptance]")
    assert page.locator("#ledger tr.ledger-entry").count() == 2
    assert "滨江职院" in page.locator("#ledger tr.ledger-entry").nth(1).inner_text()
    page.click("button[data-move=closed]")
    page.wait_for_selector("#project-status[data-status=closed]")
    assert page.locator("#transitions tbody tr").count() == 7
    assert page.locator("button[data-move]").count() == 0
