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


def _check_pairwise(A: Any, name: str = "A", rtol: float = 0.01) -> np.ndarray:
    A = as_matrix(A, name)
    n = A.shape[0]
    if A.shape != (n, n):
        raise ValueError(f"`{name}` must be a square pairwise comparison matrix; got {A.shape}")
    if (A <= 0).any():
        i, j = np.argwhere(A <= 0)[0]
        raise ValueError(f"`{name}` must be positive; got {float(A[i, j])} at ({i}, {j})")
    product = A * A.T
    bad = np.abs(product - 1.0) > rtol
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(
            f"`{name}` must be reciprocal (a_ij * a_ji within {rtol:.0%} of 1); got "
            f"a[{i},{j}] * a[{j},{i}] = {float(A[i, j])} * {float(A[j, i])} = {product[i, j]:.4g}"
        )
    return A


def ahp(A, *, method="eigenvector", ri="saaty", threshold=0.1):
    r"""Analytic hierarchy process: weights and consistency of a pairwise matrix.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Positive reciprocal comparison matrix, :math:`a_{ij}` = importance of
        *i* over *j* on Saaty's 1-9 scale. Reciprocity is checked within
        rounding: :math:`a_{ij} a_{ji}` within 1% of 1 (0.333 for 1/3 passes).
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
