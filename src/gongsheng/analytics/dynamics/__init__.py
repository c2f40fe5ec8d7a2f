r"""Logistic (Lotka–Volterra) symbiosis dynamics of n units, and fitting them to data.

Gongsheng's convention (``../shared/docs/MODELS.md``)::

    dx_i/dt = r_i x_i (1 − x_i/N_i + Σ_{j≠i} a_ij x_j/N_j)

with a_ij the effect of unit j on unit i (positive = benefit). Other published conventions are
converted on input by name (:func:`convert_interactions`).

References
----------
.. [1] Murray, J. D. Mathematical Biology I: An Introduction, 3rd ed., Springer, 2002,
       §3.5 (mutualism), doi:10.1007/b98868.
.. [2] 王子龙, 谭清美, 许箫迪. 企业集群共生演化模型及实证研究. 《中国管理科学》, 2006,
       14(2): 141-148.
.. [3] Virtanen, P. et al. SciPy 1.0. Nature Methods 17, 261-272 (2020),
       doi:10.1038/s41592-019-0686-2 (solve_ivp, least_squares).
"""

from gongsheng.analytics._ode import Trajectory
from gongsheng.analytics.dynamics._fit import LogisticFit, fit_logistic
from gongsheng.analytics.dynamics._system import (
    CONVENTIONS,
    EquilibriumResult,
    LogisticSystem,
    StabilityResult,
    convert_interactions,
)

__all__ = [
    "CONVENTIONS",
    "EquilibriumResult",
    "LogisticFit",
    "LogisticSystem",
    "StabilityResult",
    "Trajectory",
    "convert_interactions",
    "fit_logistic",
]
