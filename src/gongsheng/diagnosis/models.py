"""A consortium's diagnosis settings and its stored diagnosis results (decision 0702)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import Versioned


class DiagnosisSettings(Versioned):
    """Tolerance and thresholds of one consortium's diagnosis (defaults: MODELS.md, 0201)."""

    consortium = models.OneToOneField(
        "consortia.Consortium",
        verbose_name=_("consortium"),
        on_delete=models.CASCADE,
        related_name="diagnosis_settings",
    )
    tolerance = models.FloatField(
        _("tolerance"),
        default=0.05,
        validators=[MinValueValidator(0.0), MaxValueValidator(0.5)],
        help_text=_("net gains within this share of a pair's flow count as zero"),
    )
    joint_body_share = models.FloatField(
        _("joint body share"),
        default=0.5,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
        help_text=_("a joint body covering this share of the window makes a pair integrated"),
    )
    continuous_share = models.FloatField(
        _("continuous share"),
        default=0.6,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
        help_text=_("coverage of the window from which cooperation is continuous"),
    )
    max_gap_days = models.PositiveIntegerField(
        _("longest gap (days)"),
        default=90,
        validators=[MaxValueValidator(3660)],
        help_text=_("continuous cooperation has no longer gap"),
    )
    min_dimensions = models.PositiveSmallIntegerField(
        _("dimensions for integration"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    inactive_months = models.PositiveSmallIntegerField(
        _("inactive after (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    cold_ratio = models.FloatField(
        _("enterprise / school input ratio"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(100.0)],
        help_text=_("below this ratio the consortium is 'schools hot, enterprises cold'"),
    )
    hhi_max = models.FloatField(
        _("largest concentration index"),
        default=0.25,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
    )
    top_share_max = models.FloatField(
        _("largest share of one unit"),
        default=0.5,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
    )
    year_from = models.PositiveSmallIntegerField(
        _("default window from (year)"), null=True, blank=True
    )
    year_to = models.PositiveSmallIntegerField(_("default window to (year)"), null=True, blank=True)

    #: the fields ``settings_update`` may change
    EDITABLE = frozenset(
        {
            "tolerance",
            "joint_body_share",
            "continuous_share",
            "max_gap_days",
            "min_dimensions",
            "inactive_months",
            "cold_ratio",
            "hhi_max",
            "top_share_max",
            "year_from",
            "year_to",
        }
    )

    class Meta:
        verbose_name = _("diagnosis settings")
        verbose_name_plural = _("diagnosis settings")
        ordering = ["consortium_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_from__isnull=True)
                | models.Q(year_to__isnull=True)
                | models.Q(year_to__gte=models.F("year_from")),
                name="diagnosis_settings_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.consortium}: tolerance {self.tolerance}"


class DiagnosisResult(models.Model):
    """A stored diagnosis of one consortium and window, shared by every process.

    ``stamp`` is a digest of cheap aggregates over the inputs (decision 0702); a result whose
    stamp differs from the current one is stale and is recomputed on the next read. The
    summary, units, trends and alerts are JSON (``payload``); the pairs, thousands per
    consortium, are NumPy columns in ``pairs`` (JSON would cost seconds to write and read).
    """

    consortium = models.ForeignKey(
        "consortia.Consortium",
        verbose_name=_("consortium"),
        on_delete=models.CASCADE,
        related_name="diagnosis_results",
    )
    window_key = models.CharField(_("window"), max_length=20)
    #: ``all``: from every entry that counts (secretariat, supervisors); ``members``: from the
    #: entries every member may see, not the confidential ones (units, observers; 0804)
    audience = models.CharField(_("audience"), max_length=10, default="all")
    stamp = models.CharField(_("data stamp"), max_length=64)
    payload = models.JSONField(_("result"))
    pairs = models.BinaryField(
        _("pairs"), default=bytes, help_text=_("the pair table's columns (NumPy .npz)")
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    duration = models.FloatField(_("duration (s)"), default=0.0)

    class Meta:
        verbose_name = _("diagnosis result")
        verbose_name_plural = _("diagnosis results")
        ordering = ["consortium_id", "window_key", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "window_key", "audience"], name="diagnosis_result_unique"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.consortium_id} {self.window_key} {self.audience}"
            f" ({self.computed_at:%Y-%m-%d %H:%M})"
        )
