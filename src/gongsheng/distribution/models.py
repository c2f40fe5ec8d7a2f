"""Benefit-distribution studies: players, coalition values with their sources, results."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import Versioned, consortium_fk, user_fk
from gongsheng.distribution.choices import (
    GameKind,
    Method,
    StudyScope,
    TotalSource,
    ValueSource,
    WeightMethod,
)

#: every coalition is stored (and shown in the form) up to this many players
MAX_FULL_PLAYERS = 10
#: a pairwise game stores n + n(n-1)/2 values; beyond this the form would be unusable
MAX_PAIRWISE_PLAYERS = 60


class Study(Versioned):
    """One benefit-distribution study of a project (players = its participants) or of the
    consortium (players = units or unit groups chosen by the user)."""

    consortium = consortium_fk("distribution_studies")
    scope = models.CharField(_("scope"), max_length=12, choices=StudyScope.choices)
    project = models.ForeignKey(
        "cooperation.Project", verbose_name=_("project"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="distribution_studies",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    history_from = models.DateField(
        _("history from"), null=True, blank=True,
        help_text=_("earliest ledger date used for coalition values (empty: all history)"),
    )  # fmt: skip
    game = models.CharField(_("game"), max_length=10, choices=GameKind.choices,
                            default=GameKind.FULL)  # fmt: skip
    total = models.DecimalField(_("total to distribute (CNY)"), max_digits=16, decimal_places=2)
    total_source = models.CharField(
        _("source of the total"), max_length=10, choices=TotalSource.choices
    )
    total_basis = models.CharField(_("basis of the total"), max_length=300, blank=True)
    weight_method = models.CharField(
        _("factor weights"), max_length=10, choices=WeightMethod.choices,
        default=WeightMethod.EQUAL,
    )  # fmt: skip
    ahp_matrix = models.JSONField(_("AHP pairwise matrix"), null=True, blank=True)
    samples = models.PositiveIntegerField(_("Monte Carlo samples"), default=2000)
    seed = models.PositiveIntegerField(_("random seed"), default=1)
    results = models.JSONField(_("results"), null=True, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True, editable=False)
    contract = models.ForeignKey(
        "cooperation.Contract", verbose_name=_("saved into contract"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )  # fmt: skip
    saved_method = models.CharField(
        _("saved method"), max_length=10, choices=Method.choices, blank=True, editable=False
    )
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("distribution study")
        verbose_name_plural = _("distribution studies")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["consortium", "scope"], name="dist_study_scope")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")), name="dist_study_period"
            ),
            models.CheckConstraint(
                condition=Q(scope="consortium", project__isnull=True)
                | Q(scope="project", project__isnull=False),
                name="dist_study_project",
            ),
            models.CheckConstraint(condition=Q(samples__gte=2), name="dist_study_samples"),
        ]

    def __str__(self) -> str:
        return self.title


class Player(models.Model):
    """A player of the game: one unit, or a group of units acting as one."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="players")
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("name"), max_length=200)
    units = models.ManyToManyField(
        "consortia.Unit", verbose_name=_("units"), related_name="distribution_players"
    )
    input_value = models.DecimalField(
        _("input (CNY, ledger)"), max_digits=16, decimal_places=2, default=0
    )
    risk = models.DecimalField(
        _("risk borne"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    effort = models.DecimalField(_("effort"), max_digits=12, decimal_places=4, null=True,
                                 blank=True)  # fmt: skip
    power = models.DecimalField(
        _("bargaining power"), max_digits=12, decimal_places=4, null=True, blank=True,
        help_text=_("empty: equal powers"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("player")
        verbose_name_plural = _("players")
        ordering = ["study", "position"]
        constraints = [
            models.UniqueConstraint(fields=["study", "position"], name="dist_player_position"),
            models.CheckConstraint(
                condition=(Q(risk__isnull=True) | Q(risk__gte=0))
                & (Q(effort__isnull=True) | Q(effort__gte=0))
                & (Q(power__isnull=True) | Q(power__gt=0)),
                name="dist_player_factors",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class CoalitionValue(models.Model):
    """v(S) for one coalition (bit *i* of ``mask`` = player at position *i*), with its source."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="coalitions")
    mask = models.BigIntegerField(_("coalition"))
    size = models.PositiveSmallIntegerField(_("size"))
    value = models.DecimalField(_("value (CNY)"), max_digits=16, decimal_places=2, null=True,
                                blank=True)  # fmt: skip
    source = models.CharField(_("source"), max_length=10, choices=ValueSource.choices,
                              default=ValueSource.MISSING)  # fmt: skip
    pools = models.JSONField(_("pools behind the value"), default=list, blank=True)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    entered_by = user_fk(_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("coalition value")
        verbose_name_plural = _("coalition values")
        ordering = ["study", "size", "mask"]
        constraints = [
            models.UniqueConstraint(fields=["study", "mask"], name="dist_coalition_unique"),
            models.CheckConstraint(
                condition=Q(source="missing", value__isnull=True)
                | (~Q(source="missing") & Q(value__isnull=False)),
                name="dist_coalition_source",
            ),
        ]

    def __str__(self) -> str:
        return f"v({self.mask})"

    def members(self) -> list[int]:
        return [i for i in range(self.mask.bit_length()) if self.mask >> i & 1]
