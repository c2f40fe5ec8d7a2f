"""Indicator weights: entropy, CRITIC and the combination of weights."""

from __future__ import annotations

import numpy as np
from scipy.special import entr

from .._numbers import is_real
from ._common import (
    as_benefit,
    as_matrix,
    check_choice,
    check_matrix_values,
    column_min_max,
    map_blocks,
    normalize_weights,
)

__all__ = [
    "CRITIC_CORRELATIONS",
    "ENTROPY_NORMALIZATIONS",
    "combine_weights",
    "critic_weights",
    "entropy_weights",
]

# smallest value the logarithm sees: 0 * log(_TINY) == 0 exactly, so 0 ln 0 = 0
_TINY = np.finfo(np.float64).tiny


ENTROPY_NORMALIZATIONS = ("minmax", "none", "shifted")


def entropy_weights(X, benefit=None, *, normalization="minmax", shift=1e-4):
    r"""Entropy weights of the columns of a decision matrix.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Entities (rows, ``m >= 2``) by indicators (columns), finite.
    benefit : array_like of bool, shape (n,), optional
        True for a benefit indicator (larger is better), False for a cost
        indicator. None (default) means every column is a benefit.
    normalization : {"minmax", "none", "shifted"}, optional
        ``"minmax"`` (default) rescales each column with its direction before
        the entropy is taken; ``"none"`` applies the entropy to ``X`` as given
        (``X`` must then be non-negative and ``benefit`` is ignored), which is
        the convention of pymcdm and scikit-criteria. ``"shifted"`` (平移) is
        the min-max with direction plus ``shift`` (x' + 0.0001, as many Chinese
        papers do so that no ln 0 occurs).
    shift : float, optional
        The shift added under ``"shifted"``, positive (default 1e-4); ignored
        otherwise.

    Returns
    -------
    weights : ndarray, shape (n,)
        Non-negative weights summing to 1.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-d array with at least two rows, ``benefit``
        has the wrong length, ``normalization`` is unknown, ``X`` is negative
        under ``"none"``, ``shift`` is not positive under ``"shifted"``, or no
        column carries information (all constant).

    Notes
    -----
    With ``"minmax"``, :math:`x'_{ij} = (x_{ij} - \min_i x_{ij})/(\max_i x_{ij} - \min_i x_{ij})`
    for a benefit column and :math:`(\max_i x_{ij} - x_{ij})/(\max - \min)` for a cost
    column. Then

    .. math::

        p_{ij} = x'_{ij} / \sum_i x'_{ij}, \qquad
        e_j = -\frac{1}{\ln m}\sum_i p_{ij}\ln p_{ij}, \qquad
        w_j = \frac{1 - e_j}{\sum_k (1 - e_k)},

    with :math:`0 \ln 0 = 0` (the limit, as in :func:`scipy.special.entr`). A
    constant column carries no information: :math:`e_j = 1`, :math:`w_j = 0`.
    ``"shifted"`` uses :math:`x'_{ij} + \delta` (δ = ``shift``) in place of
    :math:`x'_{ij}`; the weights then depend on δ and tend to the min-max ones
    as δ → 0.
    The scale of :math:`x'` cancels in :math:`p`, so the code works on
    :math:`|x - \text{ref}_j|` directly, in cache-sized row blocks spread over
    threads (the logarithms are the cost); under ``"none"`` the logarithm is
    taken directly and only columns holding a 0 are redone with
    :func:`scipy.special.entr`. scikit-criteria agrees with
    ``normalization="none"`` everywhere, pymcdm where ``X > 0``: pymcdm 1.4
    refuses a 0, and older versions gave its column an entropy of 0 (the
    largest weight).

    References
    ----------
    .. [1] Shannon, C. E. (1948). A mathematical theory of communication.
       Bell System Technical Journal, 27(3), 379-423.
       https://doi.org/10.1002/j.1538-7305.1948.tb01338.x
    .. [2] Zeleny, M. (1982). Multiple Criteria Decision Making. McGraw-Hill
       (entropy as a measure of the importance of a criterion).

    Examples
    --------
    >>> import numpy as np
    >>> from gongsheng.analytics.evaluation import entropy_weights
    >>> X = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    >>> entropy_weights(X).tolist()   # the constant column gets nothing
    [1.0, 0.0]
    >>> X = np.array([[1.0, 2.0], [2.0, 1.0], [4.0, 1.0]])
    >>> w = entropy_weights(X, normalization="none")
    >>> P = X / X.sum(axis=0)
    >>> d = 1 + (P * np.log(P)).sum(axis=0) / np.log(3)
    >>> bool(np.allclose(w, d / d.sum()))
    True
    """
    check_choice(normalization, "normalization", ENTROPY_NORMALIZATIONS)
    raw = as_matrix(X, min_rows=2, check_values=False)
    m, n = raw.shape
    b = as_benefit(benefit, n)
    if normalization == "shifted":
        return _shifted_entropy_weights(raw, b, shift)
    if normalization == "minmax":
        lo, hi = column_min_max(raw)
        if not (np.isfinite(lo).all() and np.isfinite(hi).all()):
            check_matrix_values(raw, "X")
        ref = np.where(b, lo, hi)
    else:
        ref = None
    has_cost = not b.all()

    def work(rows: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if ref is None:
            # raw data rarely hold zeros: take the logarithm directly; a column
            # with a 0 comes out NaN (0 * -inf) and is redone below
            t = raw[rows]
            with np.errstate(divide="ignore", invalid="ignore"):
                log_t = np.log(t)
            return t.sum(axis=0), np.einsum("ij,ij->j", t, log_t), t.min(axis=0)
        t = np.subtract(raw[rows], ref)
        if has_cost:  # hi - x for cost columns; benefit columns are >= 0 already
            np.abs(t, out=t)
        log_t = np.maximum(t, _TINY)  # min-max puts a 0 in every column
        np.log(log_t, out=log_t)
        return t.sum(axis=0), np.einsum("ij,ij->j", t, log_t), np.zeros(1)

    # one pass: sums, sums of t ln t, and (for "none") minima to check the sign
    parts = map_blocks(work, m, n)
    S = np.sum([p[0] for p in parts], axis=0)
    Q = np.sum([p[1] for p in parts], axis=0)
    if ref is None and min(float(p[2].min()) for p in parts) < 0:
        check_matrix_values(raw, "X", nonnegative=True)
    if ref is None and np.isfinite(S).all():
        redo = ~np.isfinite(Q)  # columns holding a 0: 0 ln 0 = 0
        if redo.any():
            Q[redo] = -entr(raw[:, redo]).sum(axis=0)
    if np.isfinite(S).all() and np.isfinite(Q).all():
        informative = S > 0
        # H = -sum p ln p = ln S - Q / S  for p = t / S
        safe_S = np.where(informative, S, 1.0)
        H = np.where(informative, np.log(safe_S) - Q / safe_S, np.log(m))
    else:
        check_matrix_values(raw, "X")  # NaN or inf in X; else finite values too large
        H = _scaled_entropy(raw, ref, m)
    d = np.clip(1.0 - H / np.log(m), 0.0, None)
    total = d.sum()
    if not total > 0:
        raise ValueError(
            "`X` carries no information: every column is constant (or uniform), "
            "so entropy weights are undefined"
        )
    return d / total


def _shifted_entropy_weights(raw: np.ndarray, b: np.ndarray, shift: object) -> np.ndarray:
    """Entropy weights of the directed min-max columns shifted by ``shift`` (平移)."""
    if not (is_real(shift) and shift > 0):
        raise ValueError(f"`shift` must be a positive number; got {shift!r}")
    check_matrix_values(raw, "X")
    lo, hi = raw.min(axis=0), raw.max(axis=0)
    span = hi - lo
    Z = np.abs(raw - np.where(b, lo, hi)) / np.where(span > 0, span, 1.0) + float(shift)
    H = entr(Z / Z.sum(axis=0)).sum(axis=0)
    d = np.clip(1.0 - H / np.log(raw.shape[0]), 0.0, None)
    d[span == 0] = 0.0  # a constant column carries no information (and H = ln m up to rounding)
    if not d.sum() > 0:
        raise ValueError(
            "`X` carries no information: every column is constant (or uniform), "
            "so entropy weights are undefined"
        )
    return d / d.sum()


def _scaled_entropy(raw: np.ndarray, ref, m: int) -> np.ndarray:
    """Column entropies for finite values so large that their sums overflow (rare path)."""
    Z = raw if ref is None else np.abs(raw - ref)
    top = Z.max(axis=0)
    top[top == 0] = 1.0
    Z = Z / top
    S = Z.sum(axis=0)
    informative = S > 0
    H = entr(Z / np.where(informative, S, 1.0)).sum(axis=0)
    return np.where(informative, H, np.log(m))


CRITIC_CORRELATIONS = ("directed", "unreversed")


def critic_weights(X, benefit=None, *, correlation="directed"):
    r"""CRITIC weights (Criteria Importance Through Intercriteria Correlation).

    Parameters
    ----------
    X : array_like, shape (m, n)
        Entities (rows, ``m >= 2``) by indicators (columns), finite.
    benefit : array_like of bool, shape (n,), optional
        True for a benefit indicator, False for a cost one; None = all benefit.
    correlation : {"directed", "unreversed"}, optional
        ``"directed"`` (default) takes the correlations of the normalised
        columns with cost columns reversed; ``"unreversed"`` takes them on the
        columns before the reversal (as given: min-max does not change a
        correlation), as some published examples do. The contrast σ_j is the
        same either way; a cost column's correlations change sign.

    Returns
    -------
    weights : ndarray, shape (n,)
        Non-negative weights summing to 1; a constant column gets 0.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-d array with two or more rows, ``benefit``
        has the wrong length, ``correlation`` is unknown, or no column varies.

    Notes
    -----
    Columns are min-max normalised with their direction; :math:`\sigma_j` is the
    standard deviation of column *j* and :math:`r_{jk}` the Pearson correlation of
    columns *j* and *k*:

    .. math::

        C_j = \sigma_j \sum_{k} (1 - r_{jk}), \qquad w_j = C_j / \sum_k C_k .

    The sum runs over the columns that vary (a constant column has no
    correlation and no information). When every varying column is perfectly
    correlated with the others (one varying column, or two entities), all
    :math:`C_j` vanish and the weights fall back to :math:`\sigma_j / \sum_k \sigma_k`.
    The choice of ``ddof`` cancels in
    :math:`w`. With every column a benefit, this agrees with pymcdm's
    ``critic_weights``. With ``correlation="unreversed"`` :math:`r_{jk}` is
    taken before cost columns are reversed, so it changes sign for a pair of
    one benefit and one cost column.

    References
    ----------
    .. [1] Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). Determining
       objective weights in multiple criteria problems: The CRITIC method.
       Computers & Operations Research, 22(7), 763-770.
       https://doi.org/10.1016/0305-0548(94)00059-H

    Examples
    --------
    >>> from gongsheng.analytics.evaluation import critic_weights
    >>> X = [[1.0, 1.0, 3.0], [2.0, 2.0, 1.0], [3.0, 3.0, 2.0]]
    >>> w = critic_weights(X)
    >>> bool(abs(w[0] - w[1]) < 1e-12)   # identical columns share the weight
    True
    >>> round(float(w.sum()), 12)
    1.0
    """
    check_choice(correlation, "correlation", CRITIC_CORRELATIONS)
    X = as_matrix(X, min_rows=2)
    n = X.shape[1]
    b = as_benefit(benefit, n)
    lo, hi = column_min_max(X)
    varies = hi > lo
    if not varies.any():
        raise ValueError("`X` carries no information: every column is constant")
    Z = (X[:, varies] - lo[varies]) / (hi - lo)[varies]
    unreversed = Z.copy() if correlation == "unreversed" else Z
    Z[:, ~b[varies]] = 1.0 - Z[:, ~b[varies]]
    sigma = Z.std(axis=0, ddof=1)
    R = np.atleast_2d(np.corrcoef(unreversed, rowvar=False))
    C = np.zeros(n)
    C[varies] = sigma * (1.0 - R).sum(axis=1)
    if not C.sum() > 0:  # all varying columns perfectly correlated: contrast alone
        C[varies] = sigma
    return C / C.sum()


def combine_weights(subjective, objective, *, alpha=0.5, method="linear"):
    r"""Combine subjective (e.g. AHP) and objective (e.g. entropy) weights.

    Parameters
    ----------
    subjective, objective : array_like, shape (n,)
        Non-negative weights (each rescaled to sum 1 first).
    alpha : float, optional
        Share of the subjective weights in ``"linear"`` (0 <= alpha <= 1,
        default 0.5); unused by ``"multiplicative"``.
    method : {"linear", "multiplicative"}, optional
        Linear mix (default) or normalised product.

    Returns
    -------
    weights : ndarray, shape (n,)
        Combined weights summing to 1.

    Raises
    ------
    ValueError
        On different lengths, negative or NaN weights, a zero sum, ``alpha``
        outside [0, 1], an unknown ``method``, or a product that is zero
        everywhere.

    Notes
    -----
    Linear: :math:`w_j = \alpha s_j + (1 - \alpha) o_j`. Multiplicative:
    :math:`w_j = s_j o_j / \sum_k s_k o_k`.

    References
    ----------
    .. [1] Ma, J., Fan, Z.-P., & Huang, L.-H. (1999). A subjective and objective
       integrated approach to determine attribute weights. European Journal of
       Operational Research, 112(2), 397-404.
       https://doi.org/10.1016/S0377-2217(98)00141-6

    Examples
    --------
    >>> from gongsheng.analytics.evaluation import combine_weights
    >>> combine_weights([0.6, 0.4], [0.2, 0.8], alpha=0.5).round(6).tolist()
    [0.4, 0.6]
    >>> combine_weights([0.6, 0.4], [0.2, 0.8], method="multiplicative").round(6).tolist()
    [0.272727, 0.727273]
    """
    check_choice(method, "method", ("linear", "multiplicative"))
    s = np.asarray(subjective, dtype=np.float64)
    o = np.asarray(objective, dtype=np.float64)
    if s.ndim != 1 or o.shape != s.shape:
        raise ValueError(
            f"`subjective` and `objective` must be 1-d of equal length; got {s.shape} and {o.shape}"
        )
    s = normalize_weights(s, "subjective", s.shape[0])
    o = normalize_weights(o, "objective", s.shape[0])
    if not (is_real(alpha) and 0.0 <= alpha <= 1.0):
        raise ValueError(f"`alpha` must be a number in [0, 1]; got {alpha!r}")
    if method == "linear":
        return alpha * s + (1.0 - alpha) * o
    prod = s * o
    if not prod.sum() > 0:
        raise ValueError("`subjective` * `objective` is zero everywhere: no combined weight")
    return prod / prod.sum()
