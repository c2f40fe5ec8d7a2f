"""Sending one delivery: Django's mail, or a chat group through apprise's WeCom, DingTalk and Feishu
plugins (which build the real payloads and signatures).

Private deployments (企业微信私有化部署, a DingTalk or Feishu gateway inside the intranet) give the
service's address in ``GONGSHENG_WECOM_URL`` / ``GONGSHENG_DINGTALK_URL`` / ``GONGSHENG_FEISHU_URL``
(settings ``GONGSHENG_CHAT_BASE_URLS``); it replaces the public host in the plugin's endpoint,
and the tests point it at a local fake server.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import apprise
from django.conf import settings
from django.core.mail import EmailMessage

from gongsheng.notifications.models import ChatKind

_KEY_RE = {
    ChatKind.WECOM: re.compile(r"^[a-z0-9_-]+$", re.I),
    ChatKind.DINGTALK: re.compile(r"^[a-z0-9]+$", re.I),
    ChatKind.FEISHU: re.compile(r"^[a-z0-9_-]+$", re.I),
}
_SECRET_RE = re.compile(r"^[a-z0-9]+$", re.I)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    result: str


def webhook_key(kind: str, key: str) -> str | None:
    """The bot's key from what the group's settings show: the key itself or the whole webhook
    address. ``None`` when it is not one."""
    key = key.strip()
    if "://" in key:
        parts = urlsplit(key)
        query = parse_qs(parts.query)
        if kind == ChatKind.WECOM:
            key = (query.get("key") or [""])[0]
        elif kind == ChatKind.DINGTALK:
            key = (query.get("access_token") or [""])[0]
        else:
            key = parts.path.rstrip("/").rsplit("/", 1)[-1]
    pattern = _KEY_RE.get(kind)  # type: ignore[call-overload]
    return key if pattern is not None and key and pattern.match(key) else None


def secret_ok(secret: str) -> bool:
    return not secret or bool(_SECRET_RE.match(secret))


def _apprise_url(kind: str, key: str, secret: str) -> str:
    # cto / rto: apprise's connect and read timeouts
    t = settings.GONGSHENG_CHAT_TIMEOUT
    if kind == ChatKind.WECOM:
        return f"wecombot://{key}/?cto={t}&rto={t}"
    if kind == ChatKind.DINGTALK:
        where = f"{secret}@{key}" if secret else key
        return f"dingtalk://{where}/?cto={t}&rto={t}"
    return f"feishu://{key}/?cto={t}&rto={t}"


def _plugin(kind: str, key: str, secret: str) -> apprise.plugins.NotifyBase | None:
    plugin = apprise.Apprise.instantiate(_apprise_url(kind, key, secret))
    if plugin is None:
        return None
    base = settings.GONGSHENG_CHAT_BASE_URLS.get(kind, "").rstrip("/")
    if base:
        # the plugin's own endpoint with the deployment's host in place of the public one
        if kind == ChatKind.WECOM:
            plugin.api_url = f"{base}/cgi-bin/webhook/send?key={plugin.key}"
        elif kind == ChatKind.DINGTALK:
            plugin.notify_url = base + "/robot/send?access_token={token}"
        else:
            plugin.notify_url = base + "/open-apis/bot/v2/hook/{token}/"
    return plugin


def send_chat(*, kind: str, key: str, secret: str, title: str, body: str) -> Outcome:
    """Post one message to a chat group; the outcome carries apprise's own account of it."""
    bare = webhook_key(kind, key)
    if bare is None or not secret_ok(secret):
        return Outcome(False, "invalid webhook key or secret")
    plugin = _plugin(kind, bare, secret)
    if plugin is None:
        return Outcome(False, "apprise refused the webhook settings")
    with apprise.LogCapture(level=logging.INFO, fmt="%(levelname)s %(message)s") as log:
        # a body is required; a message that is only a title goes as the body
        ok = plugin.notify(title=title, body=body) if body else plugin.notify(body=title)
    text = log.getvalue().strip() if hasattr(log, "getvalue") else ""
    return Outcome(bool(ok), text[:2000] or ("sent" if ok else "failed"))


def send_mail(*, address: str, subject: str, body: str) -> Outcome:
    """One e-mail through Django's mail (SMTP from the environment; console in the demo)."""
    message = EmailMessage(
        subject=subject.replace("\n", " ")[:250],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    try:
        sent = message.send(fail_silently=False)
    except Exception as exc:
        return Outcome(False, f"{type(exc).__name__}: {exc}"[:2000])
    return Outcome(bool(sent), "sent" if sent else "the mail backend sent nothing")
