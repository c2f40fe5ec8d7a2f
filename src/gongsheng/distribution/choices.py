"""Choices of benefit-distribution studies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StudyScope(models.TextChoices):
    PROJECT = "project", _("one project")
    CONSORTIUM = "consortium", _("the whole consortium")


class GameKind(models.TextChoices):
    FULL = "full", _("every coalition")
    PAIRWISE = "pairwise", _("singletons and pairs (pairwise synergies)")


class ValueSource(models.TextChoices):
    LEDGER = "ledger", _("from the ledger")
    ENTERED = "entered", _("entered")
    TOTAL = "total", _("the total to distribute")
    MISSING = "missing", _("missing")


class TotalSource(models.TextChoices):
    LEDGER = "ledger", _("from the ledger")
    ENTERED = "entered", _("entered")


class WeightMethod(models.TextChoices):
    EQUAL = "equal", _("equal weights")
    AHP = "ahp", _("AHP (pairwise comparisons)")
    ENTROPY = "entropy", _("entropy weights")


class Method(models.TextChoices):
    SHAPLEY = "shapley", _("Shapley value")
    MODIFIED = "modified", _("modified Shapley value")
    NASH = "nash", _("Nash bargaining")
    INPUT = "input", _("share of input")


#: the factors of the modified Shapley value, in this order
FACTORS = ("risk", "input", "effort")
#: their names on the pages
FACTOR_LABELS = {"risk": _("risk borne"), "input": _("input"), "effort": _("effort")}
