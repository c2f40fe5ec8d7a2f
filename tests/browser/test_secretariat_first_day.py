"""Issue 13, "Done when", as a new secretariat's first day in Debian's chromium, through the
pages only: register a unit (a wrong credit code is refused at its field, in Chinese), admit
its application from the queue the overview links to, invite its admin (who sets a password
through the mailed one-time link and sees the unit's pages), then book a shared resource on
the unit's behalf and approve it: the ledger shows that unit consuming. Along the way no page
logs a console error, no page shows two Latin words of ours in a row, and every step's
message says what changed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from stdnum.cn import uscc

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

NAME, SHORT = "滨江智能运维科技有限公司", "智能运维"
ADMIN, PASSWORD = "zhao.lei", "Turbine-keeper-42"
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’.-]*(?:[ \t]+[A-Za-z][A-Za-z'’.-]*)+")
# the visible text of each text node: a run of words of ours comes from one translated text,
# while neighbouring buttons ("PDF", "Word") or a value beside a label are separate nodes
VISIBLE_TEXTS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest("script, style, template") || !el.checkVisibility()) continue;
    if (node.textContent.trim()) out.push(node.textContent.trim());
  }
  return out;
}"""


class Watch:
    """What the pages a browser context opens say that a Chinese user should not see."""

    def __init__(self, page, allowed: set[str]) -> None:
        self.page, self.allowed = page, allowed
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"{exc} ({page.url})"))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def check(self) -> None:
        """No console error so far, and no run of Latin words that is not the data's."""
        assert self.errors == [], self.errors
        runs = [
            run
            for text in self.page.evaluate(VISIBLE_TEXTS)
            if not any(text in allowed for allowed in self.allowed)
            for run in LATIN_RUN.findall(text)
        ]
        assert runs == [], f"{self.page.url}: {runs}"

    def message(self) -> str:
        self.check()
        return self.page.locator(".messages").inner_text()


def _submit(page, form: str) -> None:
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state("networkidle")


def _follow(page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state("networkidle")


def _menu(page, group: str, href: str) -> None:
    """Open a menu of the main navigation and follow its link to ``href``."""
    page.click(f"details[data-menu='{group}'] summary")
    _follow(page, f"details[data-menu='{group}'] a[href='{href}']")


def _resource(consortium):
    """The lead enterprise's assembly line, as the sharing demo registers it, with its price."""
    from gongsheng.access.actors import SYSTEM
    from gongsheng.consortia.models import Unit
    from gongsheng.sharing import demo, services
    from tests.sharing.support import price

    code, name, kind, owner, capacity, location = next(
        row for row in demo.RESOURCES if row[0] == "assembly-line"
    )
    price(consortium, codes=("equipment_use",), value=demo.PRICES["equipment_use"])
    return services.resource_create(
        actor=SYSTEM, consortium_id=consortium.pk, code=code, name=name, kind=kind,
        owner_id=Unit.objects.get(is_demo=True, short_name=owner).pk, capacity=capacity,
        location=location,
    )  # fmt: skip


def _a_tuesday() -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=7)
    return day + dt.timedelta(days=(2 - day.isoweekday()) % 7)


def _mailed_link(server) -> str:
    found = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return f"{server.url}/{found.group(0).split('://', 1)[1].split('/', 1)[1]}"


def test_a_secretariats_first_day(demo_server, browser, page):
    from gongsheng.consortia.models import Consortium, Membership, Unit
    from gongsheng.ledger.models import LedgerEntry
    from gongsheng.sharing.models import Booking

    consortium = Consortium.objects.get(code="binjiang-wind")
    c = consortium.pk
    resource = _resource(consortium)
    watch = Watch(page, {consortium.description})  # the demo's description is data
    body = "91330108MA2BRWXYT"
    good = body + uscc.calc_check_digit(body)
    wrong = body + ("0" if good[-1] != "0" else "1")

    # 1. a unit: a wrong check character is named at its field, then the right code
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/consortia/{c}/")
    watch.check()
    _follow(page, f"main a[href='/consortia/{c}/units/']")
    _follow(page, "#new-record")
    watch.check()
    page.fill("#id_credit_code", wrong)
    page.fill("#id_name", NAME)
    page.fill("#id_short_name", SHORT)
    page.select_option("#id_type", "enterprise")
    _submit(page, "#unit-form")
    watch.check()
    error = page.locator(".field:has(#id_credit_code) .errorlist").inner_text()
    assert "统一社会信用代码的校验码应为" in error and good[-1] in error, error
    assert not Unit.objects.filter(name=NAME).exists()
    page.fill("#id_credit_code", good)
    _submit(page, "#unit-form")
    assert watch.message() == f"已登记单位“{NAME}”，其入会申请已进入待审批队列。"
    unit = Unit.objects.get(credit_code=good)
    membership = Membership.objects.get(unit=unit, consortium=consortium)
    assert membership.status == "applied"

    # 2. its application, admitted from the queue that the overview's count links to
    _follow(page, f"nav.main-nav > a[href='/consortia/{c}/']")
    watch.check()
    _follow(page, "#stat-pending")
    assert "待审批的申请" in page.locator("h1").inner_text()
    watch.check()
    _follow(page, f"tr[data-id='{membership.pk}'] a")
    watch.check()
    page.fill("#admit-note", "符合风电运维方向")
    _submit(page, "#admit-form")
    assert watch.message() == f"已批准加入：{NAME}。"
    membership.refresh_from_db()
    assert membership.status == "admitted" and membership.approved_by.username == "secretariat"

    # 3. its admin, invited from 人员; the mailed one-time link in a fresh browser
    _menu(page, "platform", f"/consortia/{c}/people/")
    watch.check()
    page.fill("#id_username", ADMIN)
    page.fill("#id_display_name", "赵磊")
    page.fill("#id_email", "zhao.lei@example.cn")
    page.select_option("#id_unit", str(unit.pk))
    page.select_option("#id_role", "unit_admin")
    _submit(page, "#invite-form")
    assert watch.message() == "已邀请 赵磊；链接已发送至 zhao.lei@example.cn。"
    assert [m.to for m in mail.outbox] == [["zhao.lei@example.cn"]]

    fresh = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    admin = fresh.new_page()
    admin_watch = Watch(admin, {consortium.description})
    admin.goto(_mailed_link(demo_server))
    admin_watch.check()
    admin.fill("#id_new_password1", PASSWORD)
    admin.fill("#id_new_password2", PASSWORD)
    _submit(admin, "main form")
    assert admin_watch.message() == "密码已设置，请用它登录。"
    admin.fill("#id_username", ADMIN)
    admin.fill("#id_password", PASSWORD)
    _submit(admin, "main form")
    assert admin.locator("#account-link").inner_text() == "赵磊"
    admin_watch.check()
    _follow(admin, f"main a[href='/consortia/{c}/units/']")
    admin.fill("input[name=q]", SHORT)
    admin.locator("#unit-table tbody tr").filter(has_text=NAME).wait_for()
    _follow(admin, f"#unit-table a[href^='/units/{unit.pk}/']")
    admin_watch.check()
    assert NAME in admin.locator("h1").inner_text() and good in admin.locator("main").inner_text()
    assert admin.locator(f"a[href='/units/{unit.pk}/edit/']").count() == 1  # its own unit
    _menu(admin, "platform", f"/consortia/{c}/people/")
    admin_watch.check()
    assert ADMIN in admin.locator("#people-list").inner_text()
    fresh.close()

    # 4. a booking on the unit's behalf, approved from the queue; the ledger names the unit
    _menu(page, "resources", f"/consortia/{c}/resources/")
    watch.check()
    _follow(page, f"a[href='/resources/{resource.pk}/']")
    watch.check()
    _follow(page, "#book-link")
    watch.check()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert page.input_value("#id_day") == tomorrow.isoformat()  # the browser took the value
    day = _a_tuesday()
    page.select_option("#id_unit", str(unit.pk))
    page.fill("#id_day", day.isoformat())
    page.fill("#id_start_time", "08:30")
    page.fill("#id_end_time", "11:30")
    _submit(page, "#booking-form")
    slot = f"{resource.name} {day:%Y-%m-%d} 08:30–11:30 ({NAME})"
    assert watch.message() == f"已提交预约：{slot}，待资源所属单位审批。"
    booking = Booking.objects.get(resource=resource)
    assert booking.unit_id == unit.pk and booking.status == "pending"

    _menu(page, "resources", f"/consortia/{c}/bookings/mine/")
    watch.check()
    _follow(page, f"a[href='/consortia/{c}/bookings/queue/']")
    watch.check()
    _follow(page, f"#queue tr[data-booking='{booking.pk}'] button.approve")
    assert watch.message() == f"已批准预约：{slot}。"
    booking.refresh_from_db()
    assert booking.status == "approved"
    entry = LedgerEntry.objects.get(source_type="sharing.booking", source_id=booking.pk)
    assert (entry.giver_unit_id, entry.receiver_unit_id) == (resource.owner_id, unit.pk)
    _menu(page, "resources", f"/consortia/{c}/ledger/")
    watch.check()
    _follow(page, f"a[href='/ledger/entries/{entry.pk}/']")
    watch.check()
    text = page.locator("main").inner_text()
    assert NAME in text and f"{day:%Y-%m-%d} 08:30–11:30" in text and "00:30–" not in text
    assert "管委会" not in text  # the park committee consumes nothing here
