"""Abstract base models shared by the apps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(TimeStamped):
    """A record edited by people: an integer version detects concurrent edits.

    Every update service takes the version the editor saw and refuses the save when the row has
    moved on (a hidden form field on pages, ``If-Match`` / ``version`` in the API), so two
    clerks editing the same record never overwrite each other.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


# The references that recur across the apps' models. Each returns the plain field the models
# used to spell out, with the same arguments, so the schema and the migrations stay as they are;
# ``optional`` is ``null=True, blank=True`` together. A reference of another shape (another
# ``on_delete``, a ``OneToOneField``) is still written out where it stands.


def consortium_fk(
    related_name: str,
    *,
    on_delete: Any = models.PROTECT,
    optional: bool = False,
    **options: Any,
) -> models.ForeignKey[Any, Any]:
    """The consortium a record belongs to (``verbose_name`` "consortium")."""
    return models.ForeignKey(
        "consortia.Consortium",
        verbose_name=_("consortium"),
        null=optional,
        blank=optional,
        on_delete=on_delete,
        related_name=related_name,
        **options,
    )


def unit_fk(
    verbose_name: Any,
    related_name: str = "+",
    *,
    on_delete: Any = models.PROTECT,
    optional: bool = False,
    **options: Any,
) -> models.ForeignKey[Any, Any]:
    """A member unit in some role (the role is the ``verbose_name``: "lead unit", "licensee")."""
    return models.ForeignKey(
        "consortia.Unit",
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=on_delete,
        related_name=related_name,
        **options,
    )


def user_fk(verbose_name: Any = None, **options: Any) -> models.ForeignKey[Any, Any]:
    """The person who did something to the record (created, approved, decided …).

    Optional, with no reverse accessor, and kept as ``NULL`` when the user is deleted, so the
    record and its history outlive the account.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )
