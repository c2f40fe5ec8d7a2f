"""Import and export of bookings: rows go through the booking service, so opening hours,
overlaps (also with the file's own earlier rows), quotas and membership are checked for every
row and named by row and column; a file with any problem books nothing. Exports per resource
and per unit."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from gongsheng.access.actors import SYSTEM
from gongsheng.core.context import request_scope
from gongsheng.sharing import services
from gongsheng.sharing.models import Booking
from gongsheng.transfer.exporting import export_xlsx
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.resources import RowContext, get_resource
from tests.sharing.support import at, make_resource, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(world):
    return make_resource(world, code="base")


def _book(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _run(world, data, user="secretariat"):
    with request_scope(), translation.override("en"):
        return run_import(
            get_resource("bookings"), filename="b.xlsx", data=data,
            context=RowContext(actor=world.users[user], consortium_id=world.a.pk),
        )  # fmt: skip


def _when(day: dt.date, a: str, b: str) -> list[str]:
    return [f"{day} {a}", f"{day} {b}"]


def test_bookings_import_with_chinese_headers_as_pending_bookings(world, base):
    res = get_resource("bookings")
    header = [res.column(n).header("zh-hans") for n in ("resource", "unit", "start", "end",
                                                         "quantity", "purpose")]  # fmt: skip
    assert "用途" in header
    monday, u = next_weekday(1), world.units
    data = _book([
        header,
        ["base", u["school"].credit_code, *_when(monday, "08:30", "10:00"), 1, "实训课"],
        ["base", u["other"].credit_code, at(monday, 14).replace(tzinfo=None),
         at(monday, 16).replace(tzinfo=None), "", ""],  # Excel date-time cells
    ])  # fmt: skip
    assert _run(world, data).created == 2
    school, other = Booking.objects.order_by("start")
    assert (school.unit_id, school.status, school.purpose) == (u["school"].pk, "pending", "实训课")
    assert (other.start, other.end, other.hours) == (at(monday, 14), at(monday, 16), Decimal(2))


def test_every_bad_booking_row_is_named_and_nothing_is_booked(world, base):
    u, monday = world.units, next_weekday(1)
    services.quota_create(actor=SYSTEM, consortium_id=world.a.pk, period="month",
                          hours=Decimal(3), unit_id=u["gov"].pk, resource_id=base.pk)  # fmt: skip
    past = monday - dt.timedelta(days=28)
    data = _book([
        ["resource", "unit", "start", "end", "quantity"],
        ["base", u["school"].credit_code, *_when(monday, "09:00", "11:00"), 1],  # fine alone
        ["base", u["other"].credit_code, *_when(monday, "10:00", "12:00"), 1],  # overlaps row 2
        ["base", u["other"].credit_code, *_when(next_weekday(6), "09:00", "10:00"), 1],  # Sat
        ["base", u["ent"].credit_code, *_when(monday, "14:00", "15:00"), 1],  # its own
        ["base", u["gov"].credit_code, *_when(next_weekday(2), "08:00", "12:00"), 1],  # quota
        ["base", u["school"].credit_code, *_when(past, "09:00", "10:00"), 1],  # past
        ["base", u["school"].credit_code, *_when(monday, "07:00", "09:00"), 1],  # too early
        ["lab", u["x"].credit_code, "tomorrow", f"{monday}", 1],  # unknown, bad times
    ])  # fmt: skip
    with pytest.raises(ImportFailed) as exc:
        _run(world, data)
    found = {(e.row, e.field) for e in exc.value.errors}
    assert {(9, "resource"), (9, "unit"), (9, "start"), (9, "end")} <= found
    # the service's checks run only when every cell could be read: fix row 9 and see them
    with pytest.raises(ImportFailed) as exc:
        _run(world, _book([r for i, r in enumerate(load_rows(data), start=1) if i != 9]))
    found = {(e.row, e.field) for e in exc.value.errors}
    assert found == {(3, "start"), (4, "start"), (5, "unit"), (6, "end"), (7, "start"),
                     (8, "start")}, [e.as_dict() for e in exc.value.errors]  # fmt: skip
    messages = {e.row: str(e.message) for e in exc.value.errors}
    assert "overlaps" in messages[3] and "quota" in messages[6]
    assert all(e.column for e in exc.value.errors)
    assert not Booking.objects.exists()


def load_rows(data: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.values]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_booking_export_reimports_unchanged_and_a_changed_row_is_refused(world, base, lang):
    u, monday = world.units, next_weekday(1)
    booking = services.booking_create(actor=SYSTEM, resource_id=base.pk, unit_id=u["school"].pk,
                                      start=at(monday, 9), end=at(monday, 10))  # fmt: skip
    res = get_resource("bookings")
    user = world.users["secretariat"]
    data = export_xlsx(res, res.export_queryset(user, RowContext(user, world.a.pk)), lang=lang)
    assert _run(world, data).unchanged == 1
    rows = load_rows(data)
    end = rows[0].index(res.column("end").header(lang))
    rows[1][end] = f"{monday} 11:00"
    with pytest.raises(ImportFailed) as exc:
        _run(world, _book(rows))
    assert {(e.row, e.field) for e in exc.value.errors} == {(2, "end")}
    assert Booking.objects.get(pk=booking.pk).end == at(monday, 10)


def test_bookings_export_per_resource_and_per_unit(world, base, client):
    u, monday = world.units, next_weekday(1)
    lab = make_resource(world, code="lab", owner="school")
    for resource, unit, hour in ((base, "school", 9), (base, "other", 14), (lab, "other", 9)):
        services.booking_create(actor=SYSTEM, resource_id=resource.pk, unit_id=u[unit].pk,
                                start=at(monday, hour), end=at(monday, hour + 1))  # fmt: skip

    def codes(response):
        assert response.status_code == 200, response.content[:300]
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)[1:]
        return sorted((r[1], r[3]) for r in rows)

    client.force_login(world.users["secretariat"])
    assert codes(client.get(f"/resources/{base.pk}/?export=xlsx")) == sorted(
        [("base", u["school"].credit_code), ("base", u["other"].credit_code)]
    )
    client.force_login(world.users["school_admin"])  # sees its own bookings and its lab's
    assert codes(client.get(f"/consortia/{world.a.pk}/bookings/mine/?export=xlsx")) == [
        ("base", u["school"].credit_code)
    ]
    assert codes(client.get(f"/resources/{lab.pk}/?export=xlsx")) == [
        ("lab", u["other"].credit_code)
    ]
    client.force_login(world.users["observer"])  # sees no bookings at all
    assert codes(client.get(f"/resources/{base.pk}/?export=xlsx")) == []


def test_booking_export_takes_constant_queries(world, base):
    from tests.support.queries import assert_constant_queries

    res, user = get_resource("bookings"), world.users["secretariat"]
    u, monday = world.units, next_weekday(1)

    def grow():
        for hour, unit in ((9, "school"), (10, "other"), (14, "gov")):
            services.booking_create(actor=SYSTEM, resource_id=base.pk, unit_id=u[unit].pk,
                                    start=at(monday, hour), end=at(monday, hour + 1))  # fmt: skip

    def render():
        return export_xlsx(res, res.export_queryset(user, RowContext(user, world.a.pk)))

    render()  # the user's roles are loaded once and cached
    assert_constant_queries(render, grow)
