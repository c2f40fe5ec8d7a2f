"""Demo notifications: what the other apps' demo data told people, trimmed to the most recent
few per person (years of demo bookings would otherwise fill every inbox and print hundreds of
mails), and a WeCom group for the secretariat.

The group is active only when ``GONGSHENG_WECOM_URL`` names a (fake or private) WeCom service,
so an offline demo sends nothing to the internet; start ``gongsheng chat_fake_server`` and set
the variable to watch the group receive each booking request.
"""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from gongsheng.access.actors import SYSTEM
from gongsheng.notifications.models import ChatChannel, ChatKind, Delivery, Notification
from gongsheng.notifications.services import chat_channel_create

#: notifications each demo person keeps (the newest), with their mails
KEEP_PER_PERSON = 6


def load_demo_data(*, consortium: Any, units: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    demo = Q(consortium__is_demo=True)
    keep: list[int] = []
    for user_id in (
        Notification.objects.filter(demo).values_list("recipient_id", flat=True).distinct()
    ):
        keep += list(
            Notification.objects.filter(demo, recipient_id=user_id)
            .order_by("-id")
            .values_list("pk", flat=True)[:KEEP_PER_PERSON]
        )
    # not sent yet (the demo loads in one transaction): the trimmed ones are never sent
    Delivery.objects.filter(demo).exclude(notification_id__in=keep)._purge()
    Notification.objects.filter(demo).exclude(pk__in=keep).delete()
    Notification.objects.filter(pk__in=keep[1::2]).update(read_at=timezone.now())  # some read
    chat_channel_create(
        actor=SYSTEM,
        consortium_id=consortium.pk,
        name="秘书处企业微信群（演示）",
        kind=ChatKind.WECOM,
        key="gongsheng-demo",
        events=["booking.requested", "membership.applied", "ip.breach", "diagnosis.digest"],
        is_active=bool(settings.GONGSHENG_CHAT_BASE_URLS.get(ChatKind.WECOM)),
    )
    return {"notifications": len(keep), "chat_groups": 1}


def remove_demo_data() -> None:
    """The demo's notifications, deliveries and chat groups (demo evidence only)."""
    demo = Q(consortium__is_demo=True)
    Delivery.objects.filter(demo)._purge()
    Notification.objects.filter(demo).delete()
    ChatChannel.objects.filter(demo).delete()
