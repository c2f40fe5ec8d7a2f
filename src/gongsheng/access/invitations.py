"""The invitation: a one-time, expiring link that lets an invited person set their password.

The token is Django's password-reset token with its own salt and lifetime
(``GONGSHENG_INVITATION_DAYS``, default 7): it is signed with the secret key over the user's
password hash, last login and e-mail, so setting the password (or a second invitation
being used) makes every earlier link invalid — single use without storing anything.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override


def invitation_days() -> int:
    return int(getattr(settings, "GONGSHENG_INVITATION_DAYS", 7))


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "gongsheng.access.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        # only for people who have not set a password yet: once they have, no link works
        return f"{super()._make_hash_value(user, timestamp)}{user.has_usable_password()}"

    def check_token(self, user: Any, token: str | None) -> bool:
        """Like Django's, with the invitation's own lifetime."""
        if not (user and token) or user.has_usable_password() or not user.is_active:
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return self._num_seconds(self._now()) - ts <= invitation_days() * 86400


invitation_tokens = InvitationTokenGenerator()


def invitation_link(user: Any, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("access:invitation", args=[uid, invitation_tokens.make_token(user)])
    return (getattr(settings, "GONGSHENG_SITE_URL", "") or base_url).rstrip("/") + path


def send_invitation(user: Any, *, inviter: str, base_url: str) -> None:
    """Mail the invitation after the transaction commits (in the invitee's language, else
    Chinese); the console shows it in the embedded demo."""
    link = invitation_link(user, base_url)
    language = user.preferred_language or "zh-hans"

    def deliver() -> None:
        with override(language):
            context = {"user": user, "link": link, "inviter": inviter, "days": invitation_days()}
            subject = _("Your Gongsheng account")
            body = render_to_string("access/invitation_email.txt", context)
        send_mail(subject, body, None, [user.email])

    transaction.on_commit(deliver)
