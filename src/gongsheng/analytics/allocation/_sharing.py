"""Sharing rules beside the Shapley value: modified Shapley, Nash bargaining, the core."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._numbers import is_real
from ..reasons import Reason
from ._games import MAX_EXACT_PLAYERS, as_game, coalition_sums

__all__ = ["CoreResult", "core_check", "modified_shapley", "nash_bargaining"]


def _vector(x, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1 or a.shape[0] < 1:
        raise ValueError(f"`{name}` must be a non-empty 1-d array; got shape {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"`{name}` must be finite (no NaN or inf)")
    return a


def _scalar(x, name: str) -> float:
    if isinstance(x, bool) or not is_real(x):
        raise ValueError(f"`{name}` must be a finite number; got {x!r}")
    return float(x)


def modified_shapley(phi, total, factors, *, factor_weights=None):
    r"""Modified Shapley value (修正Shapley值) adjusted by risk, input, effort ...

    Parameters
    ----------
    phi : array_like, shape (n,)
        Shapley value of the n players.
    total : float
        The value to share, :math:`v(N)`.
    factors : array_like, shape (n, k)
        Non-negative adjustment factors (risk borne, input, effort ...), one
        column per factor; each column is normalised to sum 1 over players.
    factor_weights : array_like, shape (k,), optional
        Importance :math:`\lambda` of each factor (rescaled to sum 1; default equal).

    Returns
    -------
    allocation : ndarray, shape (n,)
        :math:`\phi'`, with the same sum as ``phi`` (efficiency is kept).

    Raises
    ------
    ValueError
        On NaN, shapes that do not match, negative factors or weights, or a
        factor column summing to 0.

    Notes
    -----
    .. math::

        K_i = \sum_k \lambda_k \frac{f_{ik}}{\sum_j f_{jk}}, \qquad
        \phi'_i = \phi_i + \Bigl(K_i - \frac{1}{n}\Bigr) v(N),

    so :math:`\sum_i \phi'_i = \sum_i \phi_i` because :math:`\sum_i K_i = 1`. A
    player with an average share of the factors keeps its Shapley value.

    References
    ----------
    .. [1] 戴建华, 薛恒新. 基于Shapley值法的动态联盟伙伴企业利益分配策略.
       中国管理科学, 2004, 12(4): 33-36.

    Examples
    --------
    >>> from gongsheng.analytics.allocation import modified_shapley
    >>> modified_shapley([40.0, 60.0], 100.0, [[0.5], [0.5]]).tolist()   # average factors
    [40.0, 60.0]
    >>> modified_shapley([40.0, 60.0], 100.0, [[3.0], [1.0]]).tolist()   # 0 bears 3/4 of the risk
    [65.0, 35.0]
    """
    phi = _vector(phi, "phi")
    total = _scalar(total, "total")
    n = phi.shape[0]
    F = np.asarray(factors, dtype=np.float64)
    if F.ndim == 1:
        F = F[:, None]
    if F.ndim != 2 or F.shape[0] != n or F.shape[1] < 1:
        raise ValueError(f"`factors` must have shape ({n}, k), one row per player; got {F.shape}")
    if not np.isfinite(F).all():
        raise ValueError("`factors` must be finite (no NaN or inf)")
    if (F < 0).any():
        raise ValueError(Reason("allocation.factors_negative"))
    sums = F.sum(axis=0)
    if (sums <= 0).any():
        j = int(np.flatnonzero(sums <= 0)[0])
        raise ValueError(Reason("allocation.factor_sums_zero", column=j))
    k = F.shape[1]
    if factor_weights is None:
        lam = np.full(k, 1.0 / k)
    else:
        lam = _vector(factor_weights, "factor_weights")
        if lam.shape[0] != k:
            raise ValueError(f"`factor_weights` must have {k} elements; got {lam.shape[0]}")
        if (lam < 0).any() or not lam.sum() > 0:
            raise ValueError(Reason("allocation.weights_not_positive"))
        lam = lam / lam.sum()
    K = (F / sums) @ lam
    return phi + (K - 1.0 / n) * total


def nash_bargaining(total, disagreement, *, powers=None):
    r"""Asymmetric Nash bargaining solution for sharing a total value.

    Parameters
    ----------
    total : float
        The value V to share.
    disagreement : array_like, shape (n,)
        Disagreement points :math:`d_i` (what each gets without agreement),
        with :math:`\sum_i d_i \le V`.
    powers : array_like, shape (n,), optional
        Bargaining powers :math:`\beta_i > 0` (default equal).

    Returns
    -------
    allocation : ndarray, shape (n,)
        :math:`u_i`, summing to V.

    Raises
    ------
    ValueError
        On NaN, wrong shapes, non-positive powers, or :math:`\sum d > V` (no
        agreement is better than disagreement for everyone).

    Notes
    -----
    The maximiser of :math:`\prod_i (u_i - d_i)^{\beta_i}` subject to
    :math:`\sum_i u_i = V` is

    .. math::

        u_i = d_i + \frac{\beta_i}{\sum_j \beta_j}\Bigl(V - \sum_j d_j\Bigr).

    References
    ----------
    .. [1] Nash, J. F. (1950). The bargaining problem. Econometrica, 18(2),
       155-162. https://doi.org/10.2307/1907266
    .. [2] Kalai, E. (1977). Nonsymmetric Nash solutions and replications of
       2-person bargaining. International Journal of Game Theory, 6(3),
       129-133. https://doi.org/10.1007/BF01774658

    Examples
    --------
    >>> from gongsheng.analytics.allocation import nash_bargaining
    >>> nash_bargaining(100.0, [10.0, 30.0]).tolist()
    [40.0, 60.0]
    >>> nash_bargaining(100.0, [10.0, 30.0], powers=[2, 1]).tolist()
    [50.0, 50.0]
    """
    total = _scalar(total, "total")
    d = _vector(disagreement, "disagreement")
    n = d.shape[0]
    if powers is None:
        beta = np.ones(n)
    else:
        beta = _vector(powers, "powers")
        if beta.shape[0] != n:
            raise ValueError(f"`powers` must have {n} elements; got {beta.shape[0]}")
        if (beta <= 0).any():
            raise ValueError(Reason("allocation.powers_not_positive", powers=str(beta.tolist())))
    surplus = total - d.sum()
    if surplus < -1e-12 * max(abs(total), 1.0):
        raise ValueError(
            Reason("allocation.disagreement_exceeds", sum=str(float(d.sum())), total=str(total))
        )
    return d + beta / beta.sum() * surplus


@dataclass(frozen=True, eq=False)
class CoreResult:
    """Result of :func:`core_check`.

    Attributes
    ----------
    in_core : bool
        Efficient and no coalition can do better on its own (within ``atol``).
    efficient : bool
        :math:`\\sum_i x_i = v(N)` within ``atol``.
    individually_rational : bool
        :math:`x_i \\ge v(\\{i\\})` for every player, within ``atol``.
    max_excess : float
        :math:`\\max_{S \\ne \\emptyset, N} (v(S) - x(S))`; positive means a coalition
        is short-changed (-inf for one player).
    most_violated : frozenset
        The coalition attaining ``max_excess`` (its mask is ``most_violated_mask``).
    most_violated_mask : int
        Bitmask of ``most_violated`` (-1 when there is no proper coalition).
    excesses : ndarray, shape (2**n,)
        :math:`v(S) - x(S)` for every coalition mask.
    atol : float
        The tolerance used.
    """

    in_core: bool
    efficient: bool
    individually_rational: bool
    max_excess: float
    most_violated: frozenset
    most_violated_mask: int
    excesses: np.ndarray
    atol: float


def core_check(values, allocation, *, atol=1e-9):
    r"""Check whether an allocation lies in the core of a game.

    Parameters
    ----------
    values : array_like of length 2**n, or mapping
        The characteristic function, as for :func:`shapley`.
    allocation : array_like, shape (n,)
        Payoffs :math:`x_i`.
    atol : float, optional
        Absolute tolerance for efficiency and the coalition constraints.

    Returns
    -------
    result : CoreResult
        ``in_core``, ``efficient``, ``individually_rational``, ``max_excess``,
        ``most_violated`` (and its mask), all ``excesses`` and ``atol``.

    Raises
    ------
    ValueError
        As :func:`shapley` for ``values``; if ``allocation`` is not finite or
        does not have one entry per player.

    Notes
    -----
    The core is :math:`\{x : \sum_{i \in N} x_i = v(N),\ \sum_{i \in S} x_i \ge v(S)\ \forall S\}`.
    The excess of *S* is :math:`e(S) = v(S) - x(S)`; *x* is in the core iff it
    is efficient and :math:`\max_S e(S) \le 0`. All :math:`x(S)` are built by
    doubling (one vectorised step per player).

    References
    ----------
    .. [1] Gillies, D. B. (1959). Solutions to general non-zero-sum games. In
       Contributions to the Theory of Games IV (pp. 47-85). Princeton
       University Press.

    Examples
    --------
    >>> from gongsheng.analytics.allocation import core_check
    >>> v = [0, 1, 1, 3]          # v({0}) = v({1}) = 1, v({0, 1}) = 3
    >>> core_check(v, [1.5, 1.5]).in_core
    True
    >>> r = core_check(v, [0.5, 2.5])
    >>> r.in_core, sorted(r.most_violated), r.max_excess
    (False, [0], 0.5)
    """
    v, n = as_game(values, max_players=MAX_EXACT_PLAYERS)
    x = _vector(allocation, "allocation")
    if x.shape[0] != n:
        raise ValueError(f"`allocation` must have one entry per player ({n}); got {x.shape[0]}")
    atol = _scalar(atol, "atol")
    excess = coalition_sums(x)
    np.subtract(v, excess, out=excess)
    efficient = abs(excess[-1]) <= atol
    singles = excess[1 << np.arange(n)]
    rational = bool((singles <= atol).all())
    if n == 1:
        max_excess, mask = -np.inf, -1
        members: frozenset = frozenset()
    else:
        proper = excess[1:-1]
        j = int(np.argmax(proper))
        mask = j + 1
        max_excess = float(proper[j])
        members = frozenset(i for i in range(n) if mask >> i & 1)
    return CoreResult(
        in_core=bool(efficient and max_excess <= atol),
        efficient=bool(efficient),
        individually_rational=rational,
        max_excess=max_excess,
        most_violated=members,
        most_violated_mask=mask,
        excesses=excess,
        atol=atol,
    )
