"""Benefit distribution: exact and Monte Carlo Shapley values, modified Shapley,
Nash bargaining and the core.

Games are arrays of length 2**n indexed by coalition bitmask (bit *i* set if and
only if player *i* is in the coalition) or mappings from sets of player indices.
"""

from ._games import MAX_EXACT_PLAYERS
from ._shapley import MonteCarloShapleyResult, shapley, shapley_monte_carlo
from ._sharing import CoreResult, core_check, modified_shapley, nash_bargaining

__all__ = [
    "MAX_EXACT_PLAYERS",
    "CoreResult",
    "MonteCarloShapleyResult",
    "core_check",
    "modified_shapley",
    "nash_bargaining",
    "shapley",
    "shapley_monte_carlo",
]
