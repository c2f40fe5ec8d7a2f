from django.db import models
from django.utils.translation import gettext_lazy as _


class ScenarioKind(models.TextChoices):
    LOGISTIC = "logistic", _("Logistic dynamics")
    GAME = "game", _("government–school–enterprise game")


class Group(models.TextChoices):
    """Unit groups of the dynamics (the diagnosis contract's groups)."""

    GOVERNMENT = "government", _("government and park")
    SCHOOL = "school", _("schools")
    ENTERPRISE = "enterprise", _("enterprises")
    RESEARCH = "research", _("research institutes")
    OTHER = "other", _("other units")


class Quality(models.TextChoices):
    """The quality parameter (质参量) whose series the Logistic system is fitted to."""

    OUTPUTS = "outputs", _("outputs (value received)")
    INPUTS = "inputs", _("inputs (value given)")
    NET = "net", _("net value (outputs − inputs)")


class Measure(models.TextChoices):
    PER_YEAR = "per_year", _("per year")
    CUMULATIVE = "cumulative", _("cumulative")


#: the parameters of the government–school–enterprise game, in the analytics' order, with the
#: label shown and whether a consortium's policies can supply it (incentives and penalties)
GAME_PARAMETERS: tuple[tuple[str, str, bool], ...] = (
    ("delta_r", "ΔR", False),
    ("alpha", "α", False),
    ("c_s", "C_s", False),
    ("c_e", "C_e", False),
    ("s_s", "S_s", False),
    ("s_e", "S_e", False),
    ("g_s", "G_s", True),
    ("g_e", "G_e", True),
    ("t", "T", True),
    ("p_s", "P_s", True),
    ("p_e", "P_e", True),
    ("c_g", "C_g", False),
    ("l", "L", False),
)
GAME_HELP = {
    "delta_r": _("synergy gain of joint cooperation"),
    "alpha": _("school's share of the synergy gain, 0–1"),
    "c_s": _("school's cost of cooperating"),
    "c_e": _("enterprise's cost of cooperating"),
    "s_s": _("spill-over to a defecting school"),
    "s_e": _("spill-over to a defecting enterprise"),
    "g_s": _("subsidy to a cooperating school"),
    "g_e": _("subsidy to a cooperating enterprise"),
    "t": _("tax incentive for a cooperating enterprise"),
    "p_s": _("penalty on a defecting school"),
    "p_e": _("penalty on a defecting enterprise"),
    "c_g": _("government's cost of being active (supervision)"),
    "l": _("credibility benefit of an active government"),
}
#: incentives whose "how large must it be" threshold the game page reports
SWEEP_PARAMETERS = ("g_s", "g_e", "t", "p_s", "p_e")
