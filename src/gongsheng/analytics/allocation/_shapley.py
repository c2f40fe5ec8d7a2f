"""Exact and Monte Carlo Shapley values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import comb

from ._games import MAX_EXACT_PLAYERS, as_game, coalition_sizes

__all__ = ["MonteCarloShapleyResult", "shapley", "shapley_monte_carlo"]


def shapley(values, *, max_players=MAX_EXACT_PLAYERS):
    r"""Exact Shapley value of a transferable-utility game.

    Parameters
    ----------
    values : array_like of length 2**n, or mapping
        The characteristic function: a 1-d array indexed by coalition bitmask
        (bit *i* set if and only if player *i* is in the coalition), or a
        mapping from (frozen)sets of player indices to values that defines
        every coalition (the empty one may be omitted). :math:`v(\emptyset) = 0`.
    max_players : int, optional
        Refuse games with more players (default 25: 2**25 float64 = 256 MB).

    Returns
    -------
    phi : ndarray, shape (n,)
        The Shapley value; :math:`\sum_i \phi_i = v(N)`.

    Raises
    ------
    ValueError
        If the length is not a power of two, a value is NaN/inf, a coalition is
        missing, :math:`v(\emptyset) \ne 0`, or n > ``max_players``.

    Notes
    -----
    .. math::

        \phi_i = \sum_{S \subseteq N \setminus \{i\}}
                 \frac{|S|!\,(n - |S| - 1)!}{n!}\,\bigl(v(S \cup \{i\}) - v(S)\bigr).

    Writing :math:`w_s = s!(n-s-1)!/n!`, this is
    :math:`\phi_i = \sum_{T \ni i} c(T) - B` with :math:`c(T) = v(T)(w_{|T|-1} + w_{|T|})`
    (terms outside :math:`0 \le s \le n-1` omitted) and
    :math:`B = \sum_{S \ne N} w_{|S|} v(S)`. The code forms :math:`c` by copying rows
    of a small table of coefficients indexed by the size of the high half of the
    bitmask (the array viewed as high x low bits) and multiplying by *v*, then
    obtains :math:`\sum_{T \ni i} c(T)` for every player by folding the array in
    halves (player *n*-1 is the top bit), about
    two passes over :math:`2^n` values in all; :math:`B` follows from efficiency.
    No Python loop runs over coalitions.

    References
    ----------
    .. [1] Shapley, L. S. (1953). A value for n-person games. In H. W. Kuhn &
       A. W. Tucker (Eds.), Contributions to the Theory of Games II (pp.
       307-317). Princeton University Press. https://doi.org/10.1515/9781400881970-018

    Examples
    --------
    The glove game: player 0 holds a left glove, players 1 and 2 a right one;
    a pair is worth 1.

    >>> from gongsheng.analytics.allocation import shapley
    >>> v = {frozenset({0, 1}): 1, frozenset({0, 2}): 1, frozenset({0, 1, 2}): 1,
    ...      frozenset({0}): 0, frozenset({1}): 0, frozenset({2}): 0, frozenset({1, 2}): 0}
    >>> (shapley(v) * 6).round(12).tolist()
    [4.0, 1.0, 1.0]
    """
    v, n = as_game(values, max_players=max_players)
    s = np.arange(n)
    w = 1.0 / (n * comb(n - 1, s))  # w_s = s!(n-s-1)!/n!
    k = np.zeros(n + 1)
    k[1:] += w  # as T = S + {i}: w_{|T|-1}
    k[:n] += w  # as S not containing i: w_{|S|}
    # c(T) = k[|T|] * v(T) without a per-coalition gather: split the bitmask into
    # high and low halves, |T| = |hi| + |lo|; one small table row per |hi|
    low = n // 2
    table = k[np.arange(n - low + 1)[:, None] + coalition_sizes(low)[None, :]]
    c = np.take(table, coalition_sizes(n - low), axis=0).reshape(-1)
    c *= v
    marginal = np.empty(n)
    current = c
    for i in range(n - 1, -1, -1):  # fold per player: halves of a shrinking array
        halves = current.reshape(2, -1)
        marginal[i] = halves[1].sum()
        np.add(halves[0], halves[1], out=halves[0])
        current = halves[0]
    B = (marginal.sum() - v[-1]) / n
    return marginal - B


@dataclass(frozen=True, eq=False)
class MonteCarloShapleyResult:
    """Result of :func:`shapley_monte_carlo`.

    Attributes
    ----------
    values : ndarray, shape (n,)
        Estimated Shapley value (efficient: sums to v(N) - v(empty) exactly).
    standard_errors : ndarray, shape (n,)
        Standard error of each estimate.
    samples : int
        Number of permutations evaluated.
    antithetic : bool
        Whether permutations came in reversed pairs.
    """

    values: np.ndarray
    standard_errors: np.ndarray
    samples: int
    antithetic: bool


def shapley_monte_carlo(
    v: Callable[[np.ndarray], np.ndarray],
    n,
    *,
    samples,
    seed=None,
    antithetic=True,
    batch_size=None,
):
    r"""Monte Carlo estimate of the Shapley value by permutation sampling.

    Parameters
    ----------
    v : callable
        ``v(coalitions)`` takes a boolean array of shape (k, n) (row = one
        coalition, column *i* = player *i* in it) and returns the k values,
        so that a whole batch is evaluated at once.
    n : int
        Number of players (>= 1).
    samples : int
        Number of permutations (even when ``antithetic``).
    seed : int, numpy.random.Generator or None, optional
        Seed or generator for reproducible sampling.
    antithetic : bool, optional
        Pair every permutation with its reverse (default True), which reduces
        the variance for most games; standard errors are then computed over
        the pairs.
    batch_size : int, optional
        Permutations per call of ``v`` (default: about 32 MB of coalitions).

    Returns
    -------
    result : MonteCarloShapleyResult
        ``values``, ``standard_errors``, ``samples``, ``antithetic``.

    Raises
    ------
    ValueError
        On a bad ``n`` or ``samples``, or if ``v`` returns the wrong shape or
        non-finite values.

    Notes
    -----
    For a uniformly random order :math:`\pi`, with :math:`P_i^\pi` the players
    before *i*, :math:`\phi_i = E_\pi[v(P_i^\pi \cup \{i\}) - v(P_i^\pi)]`. Each
    sampled order gives all *n* marginal contributions from its *n* + 1
    prefixes, which are built and evaluated as one boolean array.

    References
    ----------
    .. [1] Castro, J., Gómez, D., & Tejada, J. (2009). Polynomial calculation
       of the Shapley value based on sampling. Computers & Operations
       Research, 36(5), 1726-1730. https://doi.org/10.1016/j.cor.2008.04.004
    .. [2] Mitchell, R., Cooper, J., Frank, E., & Holmes, G. (2022). Sampling
       permutations for Shapley value estimation. Journal of Machine Learning
       Research, 23(43), 1-46.

    Examples
    --------
    An additive game: every order gives the same contributions.

    >>> import numpy as np
    >>> from gongsheng.analytics.allocation import shapley_monte_carlo
    >>> x = np.array([1.0, 2.0, 3.0])
    >>> r = shapley_monte_carlo(lambda S: S @ x, 3, samples=10, seed=1)
    >>> r.values.tolist(), r.standard_errors.tolist()
    ([1.0, 2.0, 3.0], [0.0, 0.0, 0.0])
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"`n` must be a positive integer; got {n!r}")
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 2:
        raise ValueError(f"`samples` must be an integer >= 2; got {samples!r}")
    if antithetic and samples % 2:
        raise ValueError(f"`samples` must be even when `antithetic` is True; got {samples}")
    if not callable(v):
        raise ValueError(f"`v` must be a callable taking a (k, n) boolean array; got {v!r}")
    n, samples = int(n), int(samples)
    rng = np.random.default_rng(seed)
    if batch_size is None:
        batch_size = max(1, (32 << 20) // ((n + 1) * n))
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"`batch_size` must be a positive integer; got {batch_size!r}")
    draws = samples // 2 if antithetic else samples
    orders = rng.permuted(np.tile(np.arange(n), (draws, 1)), axis=1)
    if antithetic:
        orders = np.concatenate([orders, orders[:, ::-1]])
    positions = np.argsort(orders, axis=1)  # positions[s, p] = place of player p in order s
    prefix = np.arange(n + 1)[None, :, None]
    marginals = np.empty((samples, n))
    for start in range(0, samples, batch_size):  # batches of orders bound the memory
        pos = positions[start : start + batch_size]
        b = pos.shape[0]
        coalitions = pos[:, None, :] < prefix  # (b, n + 1, n): the prefixes of each order
        vals = np.asarray(v(coalitions.reshape(-1, n)), dtype=np.float64)
        if vals.shape != (b * (n + 1),):
            raise ValueError(
                f"`v` must return one value per coalition, shape ({b * (n + 1)},); got {vals.shape}"
            )
        if not np.isfinite(vals).all():
            raise ValueError("`v` returned NaN or inf")
        vals = vals.reshape(b, n + 1)
        marginals[start : start + b] = np.take_along_axis(
            vals, pos + 1, axis=1
        ) - np.take_along_axis(vals, pos, axis=1)
    if antithetic:
        marginals = 0.5 * (marginals[:draws] + marginals[draws:])
    count = marginals.shape[0]
    values = marginals.mean(axis=0)
    errors = marginals.std(axis=0, ddof=1) / np.sqrt(count) if count > 1 else np.full(n, np.inf)
    return MonteCarloShapleyResult(
        values=values, standard_errors=errors, samples=samples, antithetic=bool(antithetic)
    )
