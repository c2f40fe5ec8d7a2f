from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyLevel(models.TextChoices):
    """The level of the body that issued the policy."""

    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    MUNICIPAL = "municipal", _("municipal")
    DISTRICT = "district", _("district / county")
    PARK = "park", _("park")


class PolicyKind(models.TextChoices):
    """The field of the measure (the 金融+财政+土地+信用 combination and the rest)."""

    FINANCE = "finance", _("finance")
    FISCAL = "fiscal", _("fiscal")
    TAX = "tax", _("tax")
    LAND = "land", _("land")
    CREDIT = "credit", _("credit")
    EMPLOYMENT = "employment", _("employment")
    OTHER = "other", _("other")


class Instrument(models.TextChoices):
    """How the measure acts on its targets."""

    REWARD = "reward", _("reward")
    SUBSIDY = "subsidy", _("subsidy")
    TAX_RELIEF = "tax_relief", _("tax relief")
    CREDIT_SUPPORT = "credit_support", _("credit support")
    LAND_SUPPLY = "land_supply", _("land supply")
    PENALTY = "penalty", _("penalty")
    REQUIREMENT = "requirement", _("requirement")
    OTHER = "other", _("other")


class AmountBasis(models.TextChoices):
    """What the amount is; the annual amount follows (decision 0704)."""

    PER_YEAR = "per_year", _("total per year")
    TOTAL = "total", _("total over the term")
    PER_UNIT = "per_unit", _("per unit per year")
    PER_STUDENT = "per_student", _("per student per year")
    PER_PROJECT = "per_project", _("per project")
    PERCENTAGE = "percentage", _("percentage of a base")


class Classification(models.TextChoices):
    """What the policy means for the consortium."""

    POSITIVE = "positive", _("positive")
    NEUTRAL = "neutral", _("neutral")
    NEGATIVE = "negative", _("negative")


class TargetGroup(models.TextChoices):
    """The groups of units a policy is aimed at (the diagnosis's unit groups)."""

    SCHOOL = "school", _("schools")
    ENTERPRISE = "enterprise", _("enterprises")
    GOVERNMENT = "government", _("government")
    RESEARCH = "research", _("research")


#: the bases whose amount is multiplied by ``quantity`` (units, students, projects, CNY base)
QUANTITY_BASES = frozenset(
    {
        AmountBasis.PER_UNIT,
        AmountBasis.PER_STUDENT,
        AmountBasis.PER_PROJECT,
        AmountBasis.PERCENTAGE,
    }
)
