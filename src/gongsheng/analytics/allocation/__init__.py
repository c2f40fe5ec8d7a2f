"""Benefit distribution: exact and Monte Carlo Shapley values, modified Shapley,
Nash bargaining, the core, the least core and the nucleolus.

Games are arrays of length 2**n indexed by coalition bitmask (bit *i* set if and
only if player *i* is in the coalition) or mappings from sets of player indices.
"""

from ._core import EXCESS_KINDS, LP_MAX_PLAYERS, LeastCoreResult, least_core, nucleolus
from ._games import MAX_EXACT_PLAYERS
from ._shapley import MonteCarloShapleyResult, shapley, shapley_monte_carlo
from ._sharing import CoreResult, core_check, modified_shapley, nash_bargaining

__all__ = [
    "EXCESS_KINDS",
    "LP_MAX_PLAYERS",
    "MAX_EXACT_PLAYERS",
    "CoreResult",
    "LeastCoreResult",
    "MonteCarloShapleyResult",
    "core_check",
    "least_core",
    "modified_shapley",
    "nash_bargaining",
    "nucleolus",
    "shapley",
    "shapley_monte_carlo",
]
