r"""Evolutionary games: replicator dynamics of k populations with two strategies each.

x_p is the share of population p choosing its first strategy (index 0: cooperate / active)::

    dx_p/dt = x_p (1 − x_p) Δ_p(x),   Δ_p = E[U_p | first] − E[U_p | second]

with expectations over the other populations' mixed states. Conventions and the two standard
models: ``../shared/docs/MODELS.md``.

References
----------
.. [1] Taylor, P. D., Jonker, L. B. Evolutionary stable strategies and game dynamics.
       Mathematical Biosciences 40 (1978) 145-156, doi:10.1016/0025-5564(78)90077-9.
.. [2] Friedman, D. Evolutionary games in economics. Econometrica 59(3) (1991) 637-666,
       doi:10.2307/2938222.
.. [3] Selten, R. A note on evolutionarily stable strategies in asymmetric animal conflicts.
       Journal of Theoretical Biology 84(1) (1980) 93-101, doi:10.1016/S0022-5193(80)81038-1.
.. [4] Hofbauer, J., Sigmund, K. Evolutionary Games and Population Dynamics. Cambridge
       University Press, 1998, doi:10.1017/CBO9781139173179.
"""

from gongsheng.analytics._ode import Trajectory
from gongsheng.analytics.games._game import ReplicatorGame
from gongsheng.analytics.games._kernels import EQUILIBRIUM_TYPES, BasinResult, Equilibrium
from gongsheng.analytics.games._models import (
    DEFAULT_PARAMETERS,
    MODELS,
    government_school_enterprise,
    school_enterprise,
)
from gongsheng.analytics.games._sweep import (
    SweepChange,
    SweepResult,
    cooperation_threshold,
    sweep,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "EQUILIBRIUM_TYPES",
    "MODELS",
    "BasinResult",
    "Equilibrium",
    "ReplicatorGame",
    "SweepChange",
    "SweepResult",
    "Trajectory",
    "cooperation_threshold",
    "government_school_enterprise",
    "school_enterprise",
    "sweep",
]
