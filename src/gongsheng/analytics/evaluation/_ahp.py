"""Analytic hierarchy process: priority weights and consistency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._numbers import is_real
from ._common import as_matrix, check_choice

__all__ = ["AHP_METHODS", "RI_TABLES", "AHPResult", "ahp"]


#: random consistency indices RI for n = 1 ... 15 (n <= 2: 0)
RI_TABLES: dict[str, tuple[float, ...]] = {
    # Saaty, as printed in 姜启源《数学模型》
    "saaty": (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59),
    # the simulated table common in Chinese papers
    "cn": (0, 0, 0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59),
}

AHP_METHODS = ("eigenvector", "column_mean", "geometric_mean")


@dataclass(frozen=True, eq=False)
class AHPResult:
    """Result of :func:`ahp`.

    Attributes
    ----------
    weights : ndarray, shape (n,)
        Priority weights, summing to 1.
    lambda_max : float
        Principal eigenvalue (or its estimate for the approximate methods).
    ci : float
        Consistency index :math:`(\\lambda_{max} - n)/(n - 1)` (0 for n <= 2).
    ri : float
        Random index used.
    cr : float
        Consistency ratio ``ci / ri`` (0 for n <= 2).
    consistent : bool
        ``cr < threshold``.
    method, ri_table : str
        The options used.
    threshold : float
        The acceptance threshold for ``cr``.
    """

    weights: np.ndarray
    lambda_max: float
    ci: float
    ri: float
    cr: float
    consistent: bool
    method: str
    ri_table: str
    threshold: float


def _round_half_up(x: np.ndarray, decimals: int) -> np.ndarray:
    """x rounded half up (0.125 → 0.13, as papers print 1/8), not to even as ``np.round``;
    the 1e-9 absorbs the binary error of x·10^d (1/6·100 = 16.666…, 1/8·100 = 12.5 exactly)."""
    scale = 10.0**decimals
    return np.floor(x * scale + 0.5 + 1e-9) / scale


def _printed_reciprocal(A: np.ndarray) -> np.ndarray:
    """P[i, j]: a_ij is 1/a_ji rounded half up to some 2…12 decimals (0.33 for 1/3)."""
    inv = 1.0 / A.T
    P = np.zeros(A.shape, dtype=bool)
    for d in range(2, 13):
        P |= np.abs(A - _round_half_up(inv, d)) <= 1e-12 * np.maximum(A, 1.0)
    return P


def _check_pairwise(A: Any, name: str = "A") -> np.ndarray:
    """``A`` validated as a reciprocal matrix, with printed reciprocals made exact.

    a_ji is accepted when a_ij·a_ji = 1 (to 1e-9) or when one of the two is the reciprocal of
    the other rounded half up to two or more decimals (1/3 → 0.33 or 0.333, 1/6 → 0.17,
    1/7 → 0.14, 1/8 → 0.13, 1/9 → 0.11); the rounded entry is then replaced by the exact
    reciprocal, so 0.33 and 1/3 give the same weights."""
    A = as_matrix(A, name)
    n = A.shape[0]
    if A.shape != (n, n):
        raise ValueError(f"`{name}` must be a square pairwise comparison matrix; got {A.shape}")
    if (A <= 0).any():
        i, j = np.argwhere(A <= 0)[0]
        raise ValueError(f"`{name}` must be positive; got {float(A[i, j])} at ({i}, {j})")
    if not np.allclose(np.diag(A), 1.0, rtol=0, atol=1e-9):
        k = int(np.flatnonzero(np.abs(np.diag(A) - 1.0) > 1e-9)[0])
        raise ValueError(f"`{name}` must have 1 on the diagonal; got a[{k},{k}] = {A[k, k]:g}")
    exact = np.abs(A * A.T - 1.0) <= 1e-9
    printed = _printed_reciprocal(A)
    bad = ~(exact | printed | printed.T)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        lo, hi = (i, j) if A[i, j] <= A[j, i] else (j, i)  # blame the smaller: the reciprocal
        want = 1.0 / A[hi, lo]
        raise ValueError(
            f"`{name}` must be reciprocal (a_ji = 1/a_ij, or 1/a_ij rounded half up to 2 or more "
            f"decimals); got a[{i},{j}] * a[{j},{i}] = {float(A[i, j]):g} * {float(A[j, i]):g} = "
            f"{float(A[i, j] * A[j, i]):.4g}: a[{lo},{hi}] = {float(A[lo, hi]):g} is "
            f"{float(A[lo, hi] - want):+.4g} off 1/a[{hi},{lo}] = {want:.4g} "
            f"({float(A[lo, hi] / want - 1):+.1%})"
        )
    # make the printed entry exact: the smaller of the pair when both read as rounded
    fix = printed & ~exact & (~printed.T | (A < A.T))
    return np.where(fix, 1.0 / A.T, A)


def ahp(A, *, method="eigenvector", ri="saaty", threshold=0.1):
    r"""Analytic hierarchy process: weights and consistency of a pairwise matrix.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Positive reciprocal comparison matrix, :math:`a_{ij}` = importance of
        *i* over *j* on Saaty's 1-9 scale. Reciprocity is checked within
        printing: :math:`a_{ji}` is accepted when it is :math:`1/a_{ij}` or
        :math:`1/a_{ij}` rounded half up to two or more decimals (0.33 or 0.333
        for 1/3, 0.17 for 1/6, 0.14 for 1/7, 0.13 for 1/8, 0.11 for 1/9), and
        the exact reciprocal is then used. Otherwise the message names the pair
        and how far it is off.
    method : {"eigenvector", "column_mean", "geometric_mean"}, optional
        Principal eigenvector (default), column-normalised row mean (和积法)
        or normalised row geometric mean (方根法).
    ri : {"saaty", "cn"} or float, optional
        Random index table (n = 3 ... 15) or an explicit RI value.
    threshold : float, optional
        ``cr`` below which the matrix is accepted (default 0.1).

    Returns
    -------
    result : AHPResult
        ``weights``, ``lambda_max``, ``ci``, ``ri``, ``cr``, ``consistent`` and
        the options used.

    Raises
    ------
    ValueError
        If ``A`` is not square, positive, finite and reciprocal; if ``method``
        or ``ri`` is unknown; or if n > 15 with a named RI table.

    Notes
    -----
    Eigenvector: :math:`A w = \lambda_{max} w`, :math:`w \ge 0`, :math:`\sum w = 1`.
    Column mean: :math:`w_i = \frac{1}{n}\sum_j a_{ij}/\sum_k a_{kj}`. Geometric mean:
    :math:`w_i \propto (\prod_j a_{ij})^{1/n}`. For the approximate methods
    :math:`\lambda_{max} = \frac{1}{n}\sum_i (Aw)_i / w_i`. Then

    .. math::

        CI = \frac{\lambda_{max} - n}{n - 1}, \qquad CR = CI / RI_n ,

    accepted when :math:`CR < 0.1`; :math:`n \le 2` is always consistent
    (CI = CR = 0).

    References
    ----------
    .. [1] Saaty, T. L. (1977). A scaling method for priorities in hierarchical
       structures. Journal of Mathematical Psychology, 15(3), 234-281.
       https://doi.org/10.1016/0022-2496(77)90033-5
    .. [2] 姜启源, 谢金星, 叶俊. 数学模型(第五版). 高等教育出版社, 2018, 第8章.
    .. [3] Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill
       (the matrices printed with two-decimal reciprocals).

    Examples
    --------
    >>> from gongsheng.analytics.evaluation import ahp
    >>> r = ahp([[1, 2, 4], [1/2, 1, 2], [1/4, 1/2, 1]])   # perfectly consistent
    >>> [round(float(x), 4) for x in r.weights]
    [0.5714, 0.2857, 0.1429]
    >>> round(r.lambda_max, 10), round(r.cr, 10), r.consistent
    (3.0, 0.0, True)
    """
    check_choice(method, "method", AHP_METHODS)
    if isinstance(ri, str):
        check_choice(ri, "ri", tuple(RI_TABLES))
    elif not (is_real(ri) and ri > 0):
        raise ValueError(f"`ri` must be 'saaty', 'cn' or a positive number; got {ri!r}")
    A = _check_pairwise(A)
    n = A.shape[0]
    if isinstance(ri, str):
        if n > len(RI_TABLES[ri]):
            raise ValueError(
                f"`A` is {n} x {n}, but the {ri!r} RI table stops at n = {len(RI_TABLES[ri])}; "
                "pass `ri` as a number"
            )
        ri_value, ri_name = float(RI_TABLES[ri][n - 1]), ri
    else:
        ri_value, ri_name = float(ri), "given"

    if method == "eigenvector":
        vals, vecs = np.linalg.eig(A)
        k = int(np.argmax(vals.real))
        w = np.abs(vecs[:, k].real)
        w = w / w.sum()
        lam = float(vals[k].real)
    else:
        if method == "column_mean":
            w = (A / A.sum(axis=0)).mean(axis=1)
        else:
            w = np.exp(np.log(A).mean(axis=1))
        w = w / w.sum()
        lam = float(((A @ w) / w).mean())
    if n <= 2:
        ci = cr = 0.0
    else:
        # lambda_max >= n for every positive reciprocal matrix (Saaty 1977, Theorem 1), so a
        # value below n is rounding noise: clamp it, which also keeps -0.0 out of the output
        ci = max((lam - n) / (n - 1), 0.0)
        cr = ci / ri_value
    return AHPResult(
        weights=w,
        lambda_max=lam,
        ci=float(ci),
        ri=ri_value if n > 2 else 0.0,
        cr=float(cr),
        consistent=bool(cr < threshold),
        method=method,
        ri_table=ri_name,
        threshold=float(threshold),
    )
