"""Users, their roles per consortium, API tokens and share grants.

Other apps' models are named by string (``"consortia.Unit"``), as Django allows, so this
package imports no app above it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongsheng.access.roles import Role
from gongsheng.core.models import consortium_fk, unit_fk, user_fk


class User(AbstractUser):
    """A person who signs in. Belongs to at most one member unit."""

    unit = unit_fk(_("unit"), "users", optional=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    #: made by ``gongsheng demo``: the demo removes and replaces only these accounts
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignment(models.Model):
    """A user's role in one consortium (``consortium`` is empty for platform administrators)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    consortium = consortium_fk("role_assignments", on_delete=models.CASCADE, optional=True)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = user_fk()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "consortium"], name="access_role_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(consortium__isnull=True),
                name="access_global_role_unique",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.PLATFORM_ADMIN, consortium__isnull=True)
                | (~Q(role=Role.PLATFORM_ADMIN) & Q(consortium__isnull=False)),
                name="access_role_consortium_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.consortium or '*'}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A named, revocable API token; only its hash is stored."""

    PREFIX = "gs_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ShareGrant(models.Model):
    """A unit shares one confidential record with another named unit (audited)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    unit = unit_fk(_("shared with"), "share_grants", on_delete=models.CASCADE)
    granted_by = user_fk()
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("share grant")
        verbose_name_plural = _("share grants")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "unit"], name="access_share_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "unit"], name="access_share_ct_unit")]

    def __str__(self) -> str:
        return f"{self.content_type.model}#{self.object_id} → {self.unit_id}"
