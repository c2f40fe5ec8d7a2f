"""Booking a shared resource in Debian's chromium: a school books the lead enterprise's
equipment, the enterprise approves it, and a second overlapping booking is refused with a
message that names the taken slot."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tests.browser.conftest import login


def _free_thursday(resource) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=14)
    day += dt.timedelta(days=(4 - day.isoweekday()) % 7)
    while day.isoformat() in resource.closed_dates:
        day += dt.timedelta(days=7)
    return day


def _resource():
    from gongsheng.consortia.models import Consortium, Unit
    from gongsheng.sharing import demo
    from gongsheng.sharing.models import SharedResource
    from tests.sharing.support import ensure_categories

    ensure_categories()
    main = Consortium.objects.get(code="binjiang-wind")
    if not SharedResource.objects.filter(consortium=main).exists():
        units = {u.short_name: u for u in Unit.objects.filter(is_demo=True)}
        demo.load_demo_data(consortium=main, units=units, rng=random.Random(1))
    # the lead enterprise's single-capacity assembly line
    return SharedResource.objects.get(consortium=main, code="assembly-line")


def _book(page, server, resource, day, start, end):
    page.goto(f"{server.url}/resources/{resource.pk}/")
    page.click("#book-link")
    page.fill("#id_day", day.isoformat())
    page.fill("#id_start_time", start)
    page.fill("#id_end_time", end)
    page.click("#booking-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_book_approve_and_refuse_an_overlap(demo_server, browser, page):
    from gongsheng.ledger.models import LedgerEntry
    from gongsheng.sharing.models import Booking

    resource = _resource()
    assert resource.owner.short_name == "滨江风电"
    day = _free_thursday(resource)

    login(page, demo_server, "school_admin")
    _book(page, demo_server, resource, day, "14:00", "16:00")
    booking = Booking.objects.get(resource=resource, start__date=day)
    assert booking.status == "pending" and booking.unit.short_name == "滨江职院"
    assert page.locator(f"#calendar [data-booking='{booking.pk}']").count() == 1

    owner = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    owner_page = owner.new_page()
    login(owner_page, demo_server, "enterprise_admin")
    owner_page.goto(f"{demo_server.url}/consortia/{resource.consortium_id}/bookings/queue/")
    row = owner_page.locator(f"#queue tr[data-booking='{booking.pk}']")
    row.locator("button.approve").click()
    owner_page.wait_for_load_state("networkidle")
    assert owner_page.locator(f"#queue tr[data-booking='{booking.pk}']").count() == 0
    owner.close()
    booking.refresh_from_db()
    assert booking.status == "approved"
    entry = LedgerEntry.objects.get(source_type="sharing.booking", source_id=booking.pk)
    assert entry.giver_unit_id == resource.owner_id and entry.receiver_unit_id == booking.unit_id

    _book(page, demo_server, resource, day, "15:00", "17:00")
    errors = page.locator("[data-field='start_time']")
    errors.wait_for()
    text = errors.inner_text()
    assert "14:00" in text and "16:00" in text  # names the slot that is taken
    assert page.locator("#booking-errors").count() == 1
    assert Booking.objects.filter(resource=resource, start__date=day).count() == 1


def test_the_secretariat_books_for_a_unit_and_the_ledger_shows_it_at_0830(
    demo_server, browser, page
):
    """Issue 13, points 3 and 5: the date comes prefilled in a form the date input takes; the
    secretariat names the booking unit; the ledger shows that unit consuming, at 08:30."""
    from gongsheng.consortia.models import Unit
    from gongsheng.ledger.models import LedgerEntry
    from gongsheng.sharing.models import Booking

    resource = _resource()
    school = Unit.objects.get(is_demo=True, short_name="滨江职院")
    day = _free_thursday(resource) + dt.timedelta(days=1)  # a Friday
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/resources/{resource.pk}/")
    page.click("#book-link")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert page.input_value("#id_day") == tomorrow.isoformat()  # the browser took the value
    page.select_option("#id_unit", str(school.pk))
    page.fill("#id_day", day.isoformat())
    page.fill("#id_start_time", "08:30")
    page.fill("#id_end_time", "10:30")
    page.click("#booking-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    booking = Booking.objects.get(resource=resource, start__date=day)
    assert booking.unit_id == school.pk
    assert timezone.localtime(booking.start).strftime("%H:%M") == "08:30"

    owner = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    owner_page = owner.new_page()
    login(owner_page, demo_server, "enterprise_admin")
    owner_page.goto(f"{demo_server.url}/consortia/{resource.consortium_id}/bookings/queue/")
    owner_page.locator(f"#queue tr[data-booking='{booking.pk}'] button.approve").click()
    owner_page.wait_for_load_state("networkidle")
    owner.close()

    entry = LedgerEntry.objects.get(source_type="sharing.booking", source_id=booking.pk)
    page.goto(f"{demo_server.url}/ledger/entries/{entry.pk}/")
    text = page.locator("main").inner_text()
    assert school.name in text  # the school consumes the hours, not the park committee
    assert f"{day:%Y-%m-%d} 08:30–10:30" in text and "00:30–" not in text
