"""Coupling coordination degree of several subsystems."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._common import (
    as_matrix,
    check_choice,
    normalize_weights,
)

__all__ = ["COUPLING_LEVELS", "COUPLING_STAGES", "CouplingResult", "coupling_coordination"]

#: the ten levels of the coupling coordination degree D, in tenths, (lo, hi]
COUPLING_LEVELS = (
    "极度失调",
    "严重失调",
    "中度失调",
    "轻度失调",
    "濒临失调",
    "勉强协调",
    "初级协调",
    "中级协调",
    "良好协调",
    "优质协调",
)
#: the four stages of the coupling degree C: (0, .3], (.3, .5], (.5, .8], (.8, 1]
COUPLING_STAGES = ("低水平耦合", "拮抗", "磨合", "高水平耦合")
_STAGE_EDGES = np.array([0.3, 0.5, 0.8])
_LEVEL_EDGES = np.arange(1, 10) / 10.0


@dataclass(frozen=True, eq=False)
class CouplingResult:
    """Result of :func:`coupling_coordination`.

    Scalars for one system (``U`` of shape (s,)), arrays of shape (m,) for m.

    Attributes
    ----------
    C : float or ndarray
        Coupling degree in [0, 1].
    T : float or ndarray
        Comprehensive development index :math:`\\sum_i \\beta_i U_i`.
    D : float or ndarray
        Coupling coordination degree :math:`\\sqrt{C T}`.
    level, level_code : str / int or ndarray
        Level of D (ten Chinese labels) and its number 1-10.
    stage, stage_code : str / int or ndarray
        Stage of C (four Chinese labels) and its number 1-4.
    weights : ndarray, shape (s,)
        The :math:`\\beta_i` used.
    variant : str
        ``"standard"`` or ``"modified"``.
    """

    C: float | np.ndarray
    T: float | np.ndarray
    D: float | np.ndarray
    level: str | np.ndarray
    level_code: int | np.ndarray
    stage: str | np.ndarray
    stage_code: int | np.ndarray
    weights: np.ndarray
    variant: str


def coupling_coordination(U, *, weights=None, variant="standard"):
    r"""Coupling degree C, development index T and coordination degree D.

    Parameters
    ----------
    U : array_like, shape (s,) or (m, s)
        Comprehensive evaluation of each of ``s >= 2`` subsystems, in [0, 1]
        (one row per region / year / consortium).
    weights : array_like, shape (s,), optional
        Contributions :math:`\beta_i` of the subsystems to T (default equal).
    variant : {"standard", "modified"}, optional
        The classic coupling degree (default) or the modified one of Wang
        et al. (2021), which spreads C over [0, 1].

    Returns
    -------
    result : CouplingResult
        ``C``, ``T``, ``D``, ``level``, ``level_code``, ``stage``,
        ``stage_code``, ``weights``, ``variant``.

    Raises
    ------
    ValueError
        On NaN, fewer than two subsystems, values outside [0, 1], bad weights
        or an unknown variant.

    Notes
    -----
    Standard (do not drop the factor *s*, a common published mistake):

    .. math::

        C = \frac{s\,(\prod_i U_i)^{1/s}}{\sum_i U_i}, \quad
        T = \sum_i \beta_i U_i, \quad D = \sqrt{C T}.

    Modified (Wang et al. 2021), with :math:`U_{max} = \max_i U_i`:

    .. math::

        C = \sqrt{\Bigl[1 - \frac{\sum_{i>j}|U_i - U_j|}{\sum_{k=1}^{s-1} k}\Bigr]
            \Bigl[\prod_i \frac{U_i}{U_{max}}\Bigr]^{1/(s-1)}} .

    Any :math:`U_i = 0` gives C = 0. Levels of D are tenths, intervals
    (lo, hi] with D = 0 in the first (极度失调 ... 优质协调); stages of C are
    (0, 0.3] 低水平耦合, (0.3, 0.5] 拮抗, (0.5, 0.8] 磨合, (0.8, 1] 高水平耦合,
    C = 0 in the first.

    References
    ----------
    .. [1] 廖重斌. 环境与经济协调发展的定量评判及其分类体系. 热带地理,
       1999, 19(2): 171-177.
    .. [2] 王淑佳, 孔伟, 任亮, 等. 国内耦合协调度模型的误区及修正.
       自然资源学报, 2021, 36(3): 793-810.

    Examples
    --------
    >>> from gongsheng.analytics.evaluation import coupling_coordination
    >>> r = coupling_coordination([0.64, 0.36])
    >>> round(r.C, 4), round(r.T, 4), round(r.D, 4)
    (0.96, 0.5, 0.6928)
    >>> r.level, r.level_code, r.stage, r.stage_code
    ('初级协调', 7, '高水平耦合', 4)
    """
    check_choice(variant, "variant", ("standard", "modified"))
    A = np.asarray(U, dtype=np.float64)
    single = A.ndim == 1
    A = as_matrix(np.atleast_2d(A), "U")
    s = A.shape[1]
    if s < 2:
        raise ValueError(f"`U` must have at least 2 subsystems (columns); got {s}")
    if ((A < 0) | (A > 1)).any():
        raise ValueError("`U` must hold evaluations in [0, 1]; normalise first")
    beta = np.full(s, 1.0 / s) if weights is None else normalize_weights(weights, "weights", s)
    has_zero = (A == 0).any(axis=1)
    safe = np.where(has_zero[:, None], 1.0, A)
    if variant == "standard":
        C = s * np.exp(np.log(safe).mean(axis=1)) / safe.sum(axis=1)
    else:
        iu, ju = np.triu_indices(s, 1)
        spread = np.abs(safe[:, iu] - safe[:, ju]).sum(axis=1) / (s * (s - 1) / 2)
        ratio = np.exp(np.log(safe / safe.max(axis=1, keepdims=True)).sum(axis=1) / (s - 1))
        C = np.sqrt(np.clip(1.0 - spread, 0.0, None) * ratio)
    C = np.clip(np.where(has_zero, 0.0, C), 0.0, 1.0)
    T = A @ beta
    D = np.sqrt(C * T)
    level_code = np.searchsorted(_LEVEL_EDGES, D, side="left") + 1
    stage_code = np.searchsorted(_STAGE_EDGES, C, side="left") + 1
    level = np.array(COUPLING_LEVELS)[level_code - 1]
    stage = np.array(COUPLING_STAGES)[stage_code - 1]
    if single:
        return CouplingResult(
            C=float(C[0]),
            T=float(T[0]),
            D=float(D[0]),
            level=str(level[0]),
            level_code=int(level_code[0]),
            stage=str(stage[0]),
            stage_code=int(stage_code[0]),
            weights=beta,
            variant=variant,
        )
    return CouplingResult(
        C=C,
        T=T,
        D=D,
        level=level,
        level_code=level_code,
        stage=stage,
        stage_code=stage_code,
        weights=beta,
        variant=variant,
    )
