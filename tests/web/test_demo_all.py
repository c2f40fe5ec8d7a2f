"""The whole demo (consortia, projects, contracts, IP, resources, bookings, ledger) loads through
the `demo` command and a second run resets it to the same state."""

from __future__ import annotations

from django.core.management import call_command


def _counts():
    from gongsheng.cooperation.models import Project
    from gongsheng.ledger.models import LedgerEntry
    from gongsheng.sharing.models import Booking

    return (
        Project.objects.count(),
        Booking.objects.count(),
        LedgerEntry.objects.count(),
        sorted(LedgerEntry.objects.values_list("value", flat=True))[:50],
    )


def test_demo_command_loads_every_app_and_resets(db):
    call_command("demo", verbosity=0)
    first = _counts()
    assert first[0] > 5 and first[1] > 100 and first[2] > 100
    call_command("demo", verbosity=0)
    assert _counts() == first
