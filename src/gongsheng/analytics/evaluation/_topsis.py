"""TOPSIS: closeness to the ideal solution."""

from __future__ import annotations

import numpy as np

from ._common import (
    as_benefit,
    as_matrix,
    check_choice,
    check_matrix_values,
    column_min_max,
    map_blocks,
    normalize_weights,
)

__all__ = ["topsis"]


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
