"""Abstract base models shared by the apps."""

from __future__ import annotations

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
