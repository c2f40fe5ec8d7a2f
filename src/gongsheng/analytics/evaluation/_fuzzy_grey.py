"""Fuzzy comprehensive evaluation and grey relational analysis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._numbers import is_real
from ._common import (
    as_benefit,
    as_matrix,
    as_vector,
    check_choice,
    check_finite,
    normalize_weights,
)

__all__ = [
    "FUZZY_OPERATORS",
    "GREY_EVALUATE_NORMALIZATIONS",
    "FuzzyResult",
    "GreyResult",
    "fuzzy_evaluate",
    "grey_evaluate",
    "grey_relational",
]

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
    """Result of :func:`grey_relational` and :func:`grey_evaluate`.

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
        This suits time series; for alternatives × indicators use
        :func:`grey_evaluate`, which normalises columns with their direction.
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
    if not (is_real(rho) and 0.0 < rho <= 1.0):
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
    xi = _coefficients(allx[0], allx[1:], rho)
    return GreyResult(
        coefficients=xi, grades=xi @ w, rho=float(rho), normalization=normalization, weights=w
    )


def _coefficients(x0: np.ndarray, S: np.ndarray, rho: float) -> np.ndarray:
    """Deng's ξ_i(j) of the rows of ``S`` against ``x0`` with the two-level extremes."""
    delta = np.abs(S - x0)
    dmin, dmax = delta.min(), delta.max()
    # the same ratio with the differences scaled by dmax (no underflow)
    return np.ones_like(delta) if dmax == 0 else (dmin / dmax + rho) / (delta / dmax + rho)


GREY_EVALUATE_NORMALIZATIONS = ("minmax", "ratio")


def grey_evaluate(X, *, benefit=None, rho=0.5, weights=None, normalization="minmax"):
    r"""Grey relational evaluation of alternatives (rows) on indicators (columns).

    As evaluation papers do it (灰色关联评价): every column is normalised with its
    direction, the ideal alternative (the best normalised value of every column)
    is the reference, and Deng's coefficients of each alternative against it are
    averaged with the indicator weights. Use :func:`grey_relational` for time
    series, whose normalisation works per sequence: applied to the rows of an
    evaluation matrix it mixes the indicators' units.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Alternatives × indicators.
    benefit : array_like of bool, shape (n,), optional
        True for a benefit column (more is better), False for a cost column;
        default all benefit.
    rho : float, optional
        Distinguishing coefficient in (0, 1], default 0.5.
    weights : array_like, shape (n,), optional
        Indicator weights for the grade (default uniform).
    normalization : {"minmax", "ratio"}, optional
        ``minmax`` (default): benefit (x − min)/(max − min), cost
        (max − x)/(max − min), so the ideal is 1 in every column (a constant
        column is 1 throughout and does not discriminate). ``ratio``: benefit
        x/max, cost min/x (needs positive values).

    Returns
    -------
    result : GreyResult
        ``coefficients`` (m, n) against the ideal, ``grades`` (m,), options.

    Raises
    ------
    ValueError
        On NaN, a ``benefit`` that is not one bool per column, ``rho`` outside
        (0, 1], an unknown normalisation, or non-positive values with ``ratio``.

    Notes
    -----
    With :math:`z_{ij}` the normalised matrix, :math:`z_0(j) = \max_i z_{ij}`,
    :math:`\Delta_i(j) = |z_0(j) - z_{ij}|` and the two-level extremes over all
    alternatives and indicators,

    .. math::

        \xi_i(j) = \frac{\Delta_{min} + \rho\Delta_{max}}{\Delta_i(j) + \rho\Delta_{max}},
        \qquad r_i = \sum_j w_j \xi_i(j),

    and the alternatives rank by :math:`r_i`, largest first.

    References
    ----------
    .. [1] Deng, J.-L. (1982). Control problems of grey systems. Systems &
       Control Letters, 1(5), 288-294. https://doi.org/10.1016/S0167-6911(82)80025-X
    .. [2] 刘思峰 等. 灰色系统理论及其应用. 科学出版社 (灰色关联决策).
    .. [3] Kuo, Y., Yang, T., Huang, G.-W. (2008). The use of grey relational
       analysis in solving multiple attribute decision-making problems.
       Computers & Industrial Engineering, 55(1), 80-93.
       https://doi.org/10.1016/j.cie.2007.12.002

    Examples
    --------
    >>> from gongsheng.analytics.evaluation import grey_evaluate
    >>> g = grey_evaluate([[100, 0.2], [80, 0.1], [120, 0.4]], benefit=[True, False])
    >>> [round(float(v), 4) for v in g.grades]
    [0.55, 0.6667, 0.6667]
    """
    check_choice(normalization, "normalization", GREY_EVALUATE_NORMALIZATIONS)
    A = as_matrix(X, "X")
    n = A.shape[1]
    b = as_benefit(benefit, n)
    if not (is_real(rho) and 0.0 < rho <= 1.0):
        raise ValueError(f"`rho` must be in (0, 1]; got {rho!r}")
    w = np.full(n, 1.0 / n) if weights is None else normalize_weights(weights, "weights", n)
    lo, hi = A.min(axis=0), A.max(axis=0)
    if normalization == "minmax":
        span = hi - lo
        Z = np.where(b, A - lo, hi - A) / np.where(span > 0, span, 1.0)
        Z[:, span == 0] = 1.0
    else:
        if (A <= 0).any():
            i, j = np.argwhere(A <= 0)[0]
            raise ValueError(
                f"normalization='ratio' needs positive values; got {float(A[i, j])} at row {i}, "
                f"column {j}"
            )
        Z = np.where(b, A / hi, lo / A)
    xi = _coefficients(Z.max(axis=0), Z, rho)
    return GreyResult(
        coefficients=xi, grades=xi @ w, rho=float(rho), normalization=normalization, weights=w
    )
