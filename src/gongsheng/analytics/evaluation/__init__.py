"""Evaluation models: indicator weights, TOPSIS, fuzzy and grey evaluation,
coupling coordination and multi-level indicator trees.

Conventions follow ``docs/models.md``; every function's docstring gives its
formula and sources.
"""

from ._ahp import RI_TABLES, AHPResult, ahp
from ._coupling import COUPLING_LEVELS, COUPLING_STAGES, CouplingResult, coupling_coordination
from ._fuzzy_grey import (
    GREY_EVALUATE_NORMALIZATIONS,
    FuzzyResult,
    GreyResult,
    fuzzy_evaluate,
    grey_evaluate,
    grey_relational,
)
from ._topsis import topsis
from ._tree import WEIGHT_METHODS, Indicator, IndicatorTree, TreeEvaluation
from ._weights import (
    CRITIC_CORRELATIONS,
    ENTROPY_NORMALIZATIONS,
    combine_weights,
    critic_weights,
    entropy_weights,
)

__all__ = [
    "COUPLING_LEVELS",
    "COUPLING_STAGES",
    "CRITIC_CORRELATIONS",
    "ENTROPY_NORMALIZATIONS",
    "GREY_EVALUATE_NORMALIZATIONS",
    "RI_TABLES",
    "WEIGHT_METHODS",
    "AHPResult",
    "CouplingResult",
    "FuzzyResult",
    "GreyResult",
    "Indicator",
    "IndicatorTree",
    "TreeEvaluation",
    "ahp",
    "combine_weights",
    "coupling_coordination",
    "critic_weights",
    "entropy_weights",
    "fuzzy_evaluate",
    "grey_evaluate",
    "grey_relational",
    "topsis",
]
