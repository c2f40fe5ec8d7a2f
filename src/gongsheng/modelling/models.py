"""Saved scenarios: a run of the Logistic fit or of the game, kept so a secretariat can compare."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongsheng.core.models import Versioned
from gongsheng.modelling.choices import ScenarioKind


class Scenario(Versioned):
    """The inputs of one run and its results as shown (JSON), frozen when saved.

    ``inputs`` are the form's values (for the fit: groups, quality parameter, measure, window;
    for the game: the thirteen parameters, the sweep bracket and the grid); ``result`` is the
    run's JSON payload, the same the API returns. Renaming or annotating bumps the version;
    the inputs and results never change (save a new scenario instead).
    """

    consortium = models.ForeignKey(
        "consortia.Consortium", verbose_name=_("consortium"), on_delete=models.CASCADE,
        related_name="modelling_scenarios",
    )  # fmt: skip
    kind = models.CharField(_("model"), max_length=12, choices=ScenarioKind.choices)
    name = models.CharField(_("name"), max_length=120)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("modelling scenario")
        verbose_name_plural = _("modelling scenarios")
        ordering = ["consortium_id", "-id"]
        indexes = [models.Index(fields=["consortium", "kind", "-id"], name="modelling_sc_list")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
