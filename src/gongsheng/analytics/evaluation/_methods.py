"""Aggregation models: TOPSIS, fuzzy comprehensive evaluation, grey relational
analysis and coupling coordination."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._common import (
    as_benefit,
    as_matrix,
    as_vector,
    check_choice,
    check_finite,
    check_matrix_values,
    column_min_max,
    map_blocks,
    normalize_weights,
)

__all__ = [
    "COUPLING_LEVELS",
    "COUPLING_STAGES",
    "CouplingResult",
    "FuzzyResult",
    "GreyResult",
    "coupling_coordination",
    "fuzzy_evaluate",
    "grey_relational",
    "topsis",
]


def topsis(X, weights, benefit=None, *, normalization="vector"):
    r"""TOPSIS closeness of each entity to the ideal solution.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Entities by indicators, finite.
    weights : array_like, shape (n,)
        Non-negative indicator weights with a positive sum (the closeness does
        not depend on their scale).
    benefit : array_like of bool, shape (n,), optional
        True for benefit, False for cost indicators; None = all benefit.
    normalization : {"vector", "minmax"}, optional
        ``"vector"`` (default): classic Hwang-Yoon, :math:`r_{ij} = x_{ij}/\|x_j\|_2`;
        ``"minmax"``: :math:`r_{ij} = (x_{ij} - \min_j)/(\max_j - \min_j)`
        (reversed for cost), identical to pymcdm's default TOPSIS.

    Returns
    -------
    closeness : ndarray, shape (m,)
        :math:`C_i \in [0, 1]`, larger is better.

    Raises
    ------
    ValueError
        On NaN/inf, wrong shapes, negative weights or an unknown normalisation.

    Notes
    -----
    With :math:`v_{ij} = w_j r_{ij}`, the positive ideal :math:`v_j^+` is the best
    value of column *j* (max for benefit, min for cost under ``"vector"``; under
    ``"minmax"`` every column already points up, as in pymcdm), and :math:`v_j^-` the
    worst:

    .. math::

        D_i^\pm = \sqrt{\sum_j (v_{ij} - v_j^\pm)^2}, \qquad
        C_i = \frac{D_i^-}{D_i^+ + D_i^-}.

    A constant column contributes nothing to either distance (pymcdm maps it
    to 1, with the same effect); an entity equal to both ideals (all entities
    identical) gets :math:`C = 0.5`. The normalisation can change the ranking:
    report which one was used. The computation never forms the weighted
    matrix: it runs on cache-sized row blocks of ``X`` on a thread pool.

    References
    ----------
    .. [1] Hwang, C.-L., & Yoon, K. (1981). Multiple Attribute Decision Making:
       Methods and Applications. Springer, pp. 128-140.
       https://doi.org/10.1007/978-3-642-48318-9
    .. [2] Kizielewicz, B., Shekhovtsov, A., & Sałabun, W. (2023). pymcdm - The
       universal library for solving multi-criteria decision-making problems.
       SoftwareX, 22, 101368. https://doi.org/10.1016/j.softx.2023.101368

    Examples
    --------
    >>> from gongsheng.analytics.evaluation import topsis
    >>> X = [[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]]
    >>> topsis(X, [0.5, 0.5], [False, True], normalization="minmax").round(3).tolist()
    [0.5, 0.617, 0.5]
    >>> topsis([[1.0], [3.0]], [1.0]).tolist()   # the best and the worst
    [0.0, 1.0]
    """
    check_choice(normalization, "normalization", ("vector", "minmax"))
    X = as_matrix(X, check_values=False)
    m, n = X.shape
    w = normalize_weights(weights, "weights", n)
    b = as_benefit(benefit, n)
    lo, hi = column_min_max(X)  # NaN and inf show up here: no separate pass
    if not (np.isfinite(lo).all() and np.isfinite(hi).all()):
        check_matrix_values(X, "X")
    best = np.where(b, hi, lo)  # in X units: the scale per column is positive
    worst = np.where(b, lo, hi)
    if normalization == "minmax":
        divisor = hi - lo
    else:
        # Euclidean column norms, scaled by the largest magnitude so that no square overflows
        big = np.maximum(np.abs(lo), np.abs(hi))
        big[big == 0] = 1.0

        def squares(rows: slice) -> np.ndarray:
            t = X[rows] / big
            return np.einsum("ij,ij->j", t, t)

        divisor = big * np.sqrt(np.sum(map_blocks(squares, m, n), axis=0))
    with np.errstate(over="ignore"):
        k = np.divide(w, divisor, out=np.zeros(n), where=divisor > 0)
    # fast path: squares then one matrix-vector product with k**2; extreme magnitudes
    # (spans below ~1e-150 or values above ~1e150) divide first instead, never overflowing
    magnitude = max(float(np.abs(lo).max()), float(np.abs(hi).max()))
    k2 = k * k if (np.isfinite(k).all() and k.max() < 1e150 and magnitude < 1e150) else None
    divisor = np.where(k > 0, divisor, 1.0)
    w_eff = np.where(k > 0, w, 0.0)
    out = np.empty(m)

    def distance(block: np.ndarray, ref: np.ndarray, t: np.ndarray) -> np.ndarray:
        np.subtract(block, ref, out=t)
        if k2 is not None:
            np.square(t, out=t)
            return np.sqrt(t @ k2)
        t /= divisor  # tiny spans: divide first so that nothing overflows
        t *= w_eff
        return np.sqrt(np.einsum("ij,ij->i", t, t))

    def work(rows: slice) -> None:
        block = X[rows]
        t = np.empty_like(block)
        d_plus = distance(block, best, t)
        d_minus = distance(block, worst, t)
        total = d_plus + d_minus
        np.divide(d_minus, total, out=out[rows], where=total > 0)
        out[rows][total <= 0] = 0.5

    map_blocks(work, m, n)
    return out


FUZZY_OPERATORS = ("weighted_average", "min_max", "product_max", "bounded_sum")


@dataclass(frozen=True, eq=False)
class FuzzyResult:
    """Result of :func:`fuzzy_evaluate`.

    Attributes
    ----------
    membership : ndarray, shape (g,) or (m, g)
        Normalised membership of each grade (sums to 1).
    raw : ndarray
        :math:`B = A \\circ R` before normalisation.
    grade : int or ndarray of int
        Index of the grade of maximum membership.
    score : float, ndarray or None
        ``membership @ grade_scores`` when ``grade_scores`` was given.
    operator : str
        The composition operator used.
    """

    membership: np.ndarray
    raw: np.ndarray
    grade: int | np.ndarray
    score: float | np.ndarray | None
    operator: str


def fuzzy_evaluate(weights, R, *, operator="weighted_average", grade_scores=None):
    r"""Fuzzy comprehensive evaluation :math:`B = A \circ R`.

    Parameters
    ----------
    weights : array_like, shape (n,)
        Indicator weights :math:`A` (non-negative; rescaled to sum 1).
    R : array_like, shape (n, g) or (m, n, g)
        Membership of each indicator in each of *g* grades (values in [0, 1]),
        for one entity or a stack of *m* entities.
    operator : {"weighted_average", "min_max", "product_max", "bounded_sum"}
        The composition :math:`M(\cdot, +)` (default), :math:`M(\wedge, \vee)`,
        :math:`M(\cdot, \vee)` or :math:`M(\wedge, \oplus)`.
    grade_scores : array_like, shape (g,), optional
        Score of each grade (e.g. 95, 85, 75, 65, 55) for a defuzzified score.

    Returns
    -------
    result : FuzzyResult
        ``membership`` (normalised), ``raw``, ``grade`` (max membership),
        ``score`` and ``operator``.

    Raises
    ------
    ValueError
        On shapes that do not match, memberships outside [0, 1], NaN, an
        unknown operator, or an all-zero composition.

    Notes
    -----
    .. math::

        M(\cdot,+):\ b_k = \sum_i a_i r_{ik};\quad
        M(\wedge,\vee):\ b_k = \max_i \min(a_i, r_{ik});\quad
        M(\cdot,\vee):\ b_k = \max_i a_i r_{ik};\quad
        M(\wedge,\oplus):\ b_k = \min\bigl(1, \sum_i \min(a_i, r_{ik})\bigr).

    The membership vector is :math:`b / \sum_k b_k`, the grade is
    :math:`\arg\max_k b_k` (maximum-membership principle) and the score
    :math:`\sum_k b_k s_k / \sum_k b_k`.

    References
    ----------
    .. [1] Zadeh, L. A. (1965). Fuzzy sets. Information and Control, 8(3),
       338-353. https://doi.org/10.1016/S0019-9958(65)90241-X
    .. [2] 汪培庄. 模糊集合论及其应用. 上海科学技术出版社, 1983.

    Examples
    --------
    >>> from gongsheng.analytics.evaluation import fuzzy_evaluate
    >>> R = [[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]]
    >>> r = fuzzy_evaluate([0.6, 0.4], R, grade_scores=[90, 75, 60])
    >>> r.membership.round(2).tolist(), r.grade, round(r.score, 2)
    ([0.34, 0.42, 0.24], 1, 76.5)
    """
    check_choice(operator, "operator", FUZZY_OPERATORS)
    R = np.asarray(R, dtype=np.float64)
    if R.ndim not in (2, 3):
        raise ValueError(f"`R` must have shape (n, g) or (m, n, g); got {R.ndim}-d")
    n = R.shape[-2]
    a = normalize_weights(weights, "weights", n)
    check_finite(R, "R")
    if ((R < 0) | (R > 1)).any():
        raise ValueError("`R` must hold memberships in [0, 1]")
    if operator == "weighted_average":
        B = np.einsum("i,...ik->...k", a, R)
    elif operator == "min_max":
        B = np.minimum(a[:, None], R).max(axis=-2)
    elif operator == "product_max":
        B = (a[:, None] * R).max(axis=-2)
    else:
        B = np.minimum(1.0, np.minimum(a[:, None], R).sum(axis=-2))
    total = B.sum(axis=-1, keepdims=True)
    if (total <= 0).any():
        raise ValueError("`R` composes to zero membership in every grade: nothing to evaluate")
    membership = B / total
    grade = np.argmax(B, axis=-1)
    score = None
    if grade_scores is not None:
        s = as_vector(grade_scores, "grade_scores", size=R.shape[-1])
        score = membership @ s
    if R.ndim == 2:
        grade = int(grade)
        score = None if score is None else float(score)
    return FuzzyResult(membership=membership, raw=B, grade=grade, score=score, operator=operator)


@dataclass(frozen=True, eq=False)
class GreyResult:
    """Result of :func:`grey_relational`.

    Attributes
    ----------
    coefficients : ndarray, shape (k, n)
        Grey relational coefficients :math:`\\xi_i(j)`.
    grades : ndarray, shape (k,)
        Grey relational grades :math:`r_i` (weighted mean of the coefficients).
    rho : float
        Distinguishing coefficient used.
    normalization : str or None
        Normalisation applied to the reference and the sequences.
    weights : ndarray, shape (n,)
        Weights of the points (uniform unless given).
    """

    coefficients: np.ndarray
    grades: np.ndarray
    rho: float
    normalization: str | None
    weights: np.ndarray


def grey_relational(reference, sequences, *, rho=0.5, normalization=None, weights=None):
    r"""Deng's grey relational analysis of sequences against a reference.

    Parameters
    ----------
    reference : array_like, shape (n,)
        Reference sequence :math:`x_0`.
    sequences : array_like, shape (k, n)
        Comparison sequences :math:`x_i` (one per row).
    rho : float, optional
        Distinguishing coefficient in (0, 1], default 0.5.
    normalization : {None, "initial", "mean", "minmax"}, optional
        Applied to every sequence (reference included) on its own: divide by
        its first value, by its mean, or min-max rescale it. None: as given.
    weights : array_like, shape (n,), optional
        Weights of the points for the grade (default uniform).

    Returns
    -------
    result : GreyResult
        ``coefficients`` (k, n), ``grades`` (k,), and the options used.

    Raises
    ------
    ValueError
        On NaN, shapes that do not match, ``rho`` outside (0, 1], an unknown
        normalisation, or a zero first value / mean / range it would divide by.

    Notes
    -----
    With :math:`\Delta_i(j) = |x_0(j) - x_i(j)|` and the two-level extremes
    :math:`\Delta_{min} = \min_i\min_j \Delta_i(j)` and
    :math:`\Delta_{max} = \max_i\max_j \Delta_i(j)`:

    .. math::

        \xi_i(j) = \frac{\Delta_{min} + \rho\Delta_{max}}{\Delta_i(j) + \rho\Delta_{max}},
        \qquad r_i = \sum_j w_j \xi_i(j).

    If every sequence equals the reference (:math:`\Delta_{max} = 0`), all
    coefficients are 1.

    References
    ----------
    .. [1] Deng, J.-L. (1982). Control problems of grey systems. Systems &
       Control Letters, 1(5), 288-294. https://doi.org/10.1016/S0167-6911(82)80025-X
    .. [2] 刘思峰 等. 灰色系统理论及其应用. 科学出版社.

    Examples
    --------
    >>> from gongsheng.analytics.evaluation import grey_relational
    >>> g = grey_relational([1.0, 2.0, 3.0], [[1.0, 2.0, 3.0], [1.0, 2.0, 5.0]])
    >>> g.coefficients.round(4).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 0.3333]]
    >>> g.grades.round(4).tolist()
    [1.0, 0.7778]
    """
    check_choice(normalization, "normalization", (None, "initial", "mean", "minmax"))
    x0 = as_vector(reference, "reference")
    S = as_matrix(np.atleast_2d(np.asarray(sequences, dtype=np.float64)), "sequences")
    n = x0.shape[0]
    if S.shape[1] != n:
        raise ValueError(f"`sequences` must have {n} columns like `reference`; got {S.shape}")
    if not (np.isscalar(rho) and 0.0 < rho <= 1.0):
        raise ValueError(f"`rho` must be in (0, 1]; got {rho!r}")
    w = np.full(n, 1.0 / n) if weights is None else normalize_weights(weights, "weights", n)
    allx = np.vstack([x0, S])
    if normalization == "initial":
        base = allx[:, :1]
        if (base == 0).any():
            raise ValueError("normalization='initial' needs non-zero first values; got a 0")
        allx = allx / base
    elif normalization == "mean":
        base = allx.mean(axis=1, keepdims=True)
        if (base == 0).any():
            raise ValueError("normalization='mean' needs non-zero means; got a sequence of mean 0")
        allx = allx / base
    elif normalization == "minmax":
        lo = allx.min(axis=1, keepdims=True)
        span = allx.max(axis=1, keepdims=True) - lo
        if (span == 0).any():
            raise ValueError("normalization='minmax' needs non-constant sequences; got a constant")
        allx = (allx - lo) / span
    delta = np.abs(allx[1:] - allx[0])
    dmin, dmax = delta.min(), delta.max()
    # the same ratio with the differences scaled by dmax (no underflow)
    xi = np.ones_like(delta) if dmax == 0 else (dmin / dmax + rho) / (delta / dmax + rho)
    return GreyResult(
        coefficients=xi, grades=xi @ w, rho=float(rho), normalization=normalization, weights=w
    )


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
