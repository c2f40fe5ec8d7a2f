"""Inbox messages, deliveries (the evidence of what went out where), preferences, chat groups.

Consortia and units are named by string (``"consortia.Consortium"``), as Django allows, so this
app imports nothing above ``access``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import Versioned, consortium_fk, unit_fk, user_fk


class Channel(models.TextChoices):
    MAIL = "mail", _("e-mail")
    CHAT = "chat", _("chat group")


class ChatKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group bot")
    DINGTALK = "dingtalk", _("DingTalk robot")
    FEISHU = "feishu", _("Feishu bot")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Notification(models.Model):
    """One message in one user's inbox. The title is kept as its event and params, so each
    reader sees it in their own language; the record it is about is named generically."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    consortium = consortium_fk("+", on_delete=models.CASCADE, optional=True)
    event = models.CharField(_("event"), max_length=60)
    params = models.JSONField(default=dict, blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField(null=True, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    actor_name = models.CharField(_("from"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.render()[0]

    def render(self) -> tuple[str, str]:
        from gongsheng.notifications import events

        try:
            kind = events.get(self.event)
        except ValueError:
            return self.event, ""
        return kind.render(self.params)


class ChatChannel(Versioned):
    """A chat group a consortium (or one unit in it) registers: a WeCom group bot, a DingTalk
    robot or a Feishu bot, the events it receives, and its webhook key (kept secret)."""

    consortium = consortium_fk("chat_channels", on_delete=models.CASCADE)
    unit = unit_fk(
        _("unit"),
        "chat_channels",
        on_delete=models.CASCADE,
        optional=True,
        help_text=_("Leave empty for the whole consortium's group."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ChatKind.choices)
    key = models.CharField(
        _("webhook key or URL"),
        max_length=300,
        help_text=_("The key (or the whole webhook address) the group's bot settings show."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk only: the robot's signing secret (加签), if it has one."),
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("chat group")
        verbose_name_plural = _("chat groups")
        ordering = ["consortium", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_key(self) -> str:
        return f"…{self.key[-4:]}" if len(self.key) > 4 else "…"


class DeliveryQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The delivery log is evidence; it is never deleted.")

    def _purge(self) -> tuple[int, dict[str, int]]:
        """Only for demo data (``notifications.demo``): real deliveries are never deleted."""
        return super().delete()


class Delivery(models.Model):
    """One message sent (or tried) through one channel: by mail to a user, or to a chat group.
    Kept as evidence: who, what, channel, when, result. Never deleted."""

    # the evidence outlives the consortium
    consortium = consortium_fk("+", on_delete=models.SET_NULL, optional=True)
    event = models.CharField(_("event"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    recipient = user_fk(_("recipient"))
    chat_channel = models.ForeignKey(
        ChatChannel,
        verbose_name=_("chat group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    address = models.CharField(_("to"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    result = models.TextField(_("result"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["consortium", "-created_at"], name="notif_delivery_log_idx"),
            models.Index(fields=["state"], name="notif_delivery_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="mail", chat_channel__isnull=True)
                | Q(channel="chat", recipient__isnull=True),
                name="notif_delivery_shape",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}: {self.subject}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("The delivery log is evidence; it is never deleted.")


class Preference(models.Model):
    """A user's choice for one event and channel (mail or chat); the inbox is always on.
    Without a row the event's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(_("event"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("on"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "event", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="notif_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event} {self.channel}: {self.enabled}"
