"""Units and applications in Debian's chromium: the secretariat registers a unit (a wrong check
character is refused at the credit code, in Chinese), the unit's application waits in the
queue the overview links to, and is admitted from there."""

from __future__ import annotations

from tests.browser.conftest import login


def _submit(page, form: str) -> None:
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_secretariat_registers_a_unit_and_admits_its_application(demo_server, page):
    from gongsheng.consortia.credit_code import make
    from gongsheng.consortia.models import Consortium, Membership, Unit

    consortium = Consortium.objects.get(code="binjiang-wind")
    good = make("91330108MA2BRWXYT")
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/consortia/{consortium.pk}/units/")
    page.click("#new-record")
    page.fill("#id_credit_code", wrong)
    page.fill("#id_name", "浏览器测试科技有限公司")
    page.select_option("#id_type", "enterprise")
    _submit(page, "#unit-form")
    error = page.locator(".field:has(#id_credit_code) .errorlist").inner_text()
    assert "统一社会信用代码的校验码应为" in error and good[-1] in error
    assert not Unit.objects.filter(name="浏览器测试科技有限公司").exists()

    page.fill("#id_credit_code", good)
    _submit(page, "#unit-form")
    unit = Unit.objects.get(credit_code=good)
    membership = Membership.objects.get(unit=unit, consortium=consortium)
    assert membership.status == "applied"

    page.goto(f"{demo_server.url}/consortia/{consortium.pk}/")
    page.click("#stat-pending")
    page.wait_for_load_state("networkidle")
    assert "待审批的申请" in page.locator("h1").inner_text()
    page.click(f"tr[data-id='{membership.pk}'] a")
    page.wait_for_load_state("networkidle")
    page.fill("#admit-note", "符合产业链方向")
    _submit(page, "#admit-form")
    assert "已批准加入" in page.content()
    membership.refresh_from_db()
    assert membership.status == "admitted" and membership.approved_by.username == "secretariat"
