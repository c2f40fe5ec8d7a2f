"""The demo's notifications: what the demo bookings told people, trimmed per person; a WeCom
group that stays inactive unless a WeCom service address is configured; removal leaves none."""

from __future__ import annotations

import random

from django.db.models import Count

from gongsheng.consortia.demo import load_demo
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.notifications import demo
from gongsheng.notifications.models import ChatChannel, Delivery, Notification


def test_demo_inboxes_are_trimmed_and_removed(db, settings):
    from gongsheng.sharing import demo as sharing_demo
    from tests.sharing.support import ensure_categories

    ensure_categories()
    load_demo()
    main = Consortium.objects.get(code="binjiang-wind")
    units = {u.short_name: u for u in Unit.objects.filter(memberships__consortium=main)}
    sharing_demo.load_demo_data(consortium=main, units=units, rng=random.Random(1))
    assert Notification.objects.count() > 2 * demo.KEEP_PER_PERSON  # years of bookings
    demo.load_demo_data(consortium=main, units=units, rng=random.Random(1))
    per_person = dict(
        Notification.objects.values_list("recipient__username").annotate(n=Count("id"))
    )
    assert per_person["enterprise_admin"] == demo.KEEP_PER_PERSON
    assert max(per_person.values()) <= demo.KEEP_PER_PERSON
    assert Notification.objects.filter(read_at__isnull=True).exists()
    kept = set(Notification.objects.values_list("pk", flat=True))
    assert set(Delivery.objects.values_list("notification_id", flat=True)) <= kept
    assert not ChatChannel.objects.get(consortium=main).is_active  # no WeCom address set
    demo.remove_demo_data()
    assert not Notification.objects.exists() and not Delivery.objects.exists()
    assert not ChatChannel.objects.exists()
