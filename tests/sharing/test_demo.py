"""The demo loader: deterministic, realistic patterns, a free rider, ledger flows, removable."""

from __future__ import annotations

import random

import pytest
from django.db.models import Sum

from gongsheng.consortia.models import Consortium, Unit
from gongsheng.ledger.models import LedgerEntry
from gongsheng.sharing import demo
from gongsheng.sharing.models import Booking, SharedResource

pytestmark = pytest.mark.django_db


def _load():
    from gongsheng.consortia.demo import load_demo
    from tests.sharing.support import ensure_categories

    ensure_categories()
    load_demo()
    main = Consortium.objects.get(code="binjiang-wind")
    units = {u.short_name: u for u in Unit.objects.filter(is_demo=True)}
    return main, units, demo.load_demo_data(consortium=main, units=units, rng=random.Random(7))


def test_demo_bookings_have_years_of_history_and_a_free_rider():
    _main, units, summary = _load()
    assert summary["resources"] == 10 and summary["approved"] > 300
    assert summary["pending"] > 0 and summary["rejected"] > 0 and summary["cancelled"] > 0
    years = {d.year for d in Booking.objects.dates("start", "year")}
    assert len(years) >= 3
    rider = units["江南运维"]
    assert not SharedResource.objects.filter(owner=rider).exists()
    used = Booking.objects.filter(unit=rider, status="approved").aggregate(h=Sum("hours"))["h"]
    assert used > 300
    # the ledger agrees with the approved bookings: host gives, user receives
    live = LedgerEntry.objects.filter(source_type="sharing.booking")
    assert (
        live.aggregate(q=Sum("quantity"))["q"]
        == Booking.objects.filter(status="approved").aggregate(h=Sum("hours"))["h"]
    )
    assert not live.filter(giver_unit=rider).exists()
    assert live.filter(receiver_unit=rider).exists()
    # the lead enterprise and the lead school both give and receive (integrated)
    for a, b in (("滨江风电", "滨江职院"), ("滨江职院", "滨江风电")):
        assert live.filter(giver_unit=units[a], receiver_unit=units[b]).exists()
    demo.remove_demo_data()
    assert not Booking.objects.exists() and not SharedResource.objects.exists()
    assert not LedgerEntry.objects.filter(source_type="sharing.booking").exists()
