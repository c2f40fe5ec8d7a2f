"""Coalition games as arrays indexed by bitmask, and their validation."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

#: exact methods hold 2**n float64 values (256 MB at n = 25)
MAX_EXACT_PLAYERS = 25


def _fill_sizes(out: np.ndarray, n: int) -> np.ndarray:
    out[0] = 0
    for i in range(n):  # one vectorised doubling per player, never per coalition
        np.add(out[: 1 << i], 1, out=out[1 << i : 2 << i])
    return out


@lru_cache(maxsize=8)
def _cached_sizes(n: int) -> np.ndarray:
    sizes = _fill_sizes(np.empty(1 << n, dtype=np.uint8), n)
    sizes.flags.writeable = False
    return sizes


def coalition_sizes(n: int) -> np.ndarray:
    """|S| for every bitmask S of n players (uint8, length 2**n)."""
    if n <= 20:
        return _cached_sizes(n)
    return _fill_sizes(np.empty(1 << n, dtype=np.uint8), n)


def coalition_sums(x: np.ndarray) -> np.ndarray:
    """x(S) = sum of x_i over i in S, for every bitmask S (length 2**len(x))."""
    n = x.shape[0]
    out = np.empty(1 << n)
    out[0] = 0.0
    for i in range(n):  # one vectorised doubling per player
        np.add(out[: 1 << i], x[i], out=out[1 << i : 2 << i])
    return out


def mask_of(coalition: Any, name: str) -> int:
    mask = 0
    for i in coalition:
        if isinstance(i, bool) or not isinstance(i, int | np.integer) or i < 0:
            raise ValueError(
                f"`{name}` keys must be sets of non-negative player indices; got {set(coalition)!r}"
            )
        mask |= 1 << int(i)
    return mask


def as_game(values: Any, name: str = "values", max_players: int = MAX_EXACT_PLAYERS):
    """A characteristic function as a float64 array of length 2**n with v(empty) = 0.

    Accepts a 1-d array indexed by bitmask (bit i set <=> player i in S) or a
    mapping from (frozen)sets of player indices to values that defines every
    coalition (the empty one may be left out).
    """
    if isinstance(values, Mapping):
        items = list(values.items())
        if not items:
            raise ValueError(f"`{name}` must define at least one coalition")
        masks = np.fromiter((mask_of(k, name) for k, _ in items), dtype=np.int64, count=len(items))
        vals = np.fromiter((float(val) for _, val in items), dtype=np.float64, count=len(items))
        top = int(masks.max())
        n = top.bit_length()
        if n > max_players:
            raise ValueError(
                f"`{name}` has {n} players; exact computation allows at most {max_players}"
            )
        v = np.full(1 << n, np.nan)
        v[0] = 0.0
        v[masks] = vals
        if len(np.unique(masks)) != len(masks):
            raise ValueError(f"`{name}` defines a coalition twice")
        missing = np.flatnonzero(np.isnan(v))
        if missing.size and not np.isnan(vals).any():
            example = sorted(i for i in range(n) if missing[0] >> i & 1)
            raise ValueError(
                f"`{name}` must define every coalition of the {n} players; "
                f"{missing.size} missing, e.g. {example}"
            )
    else:
        v = np.asarray(values, dtype=np.float64)
        if v.ndim != 1:
            raise ValueError(f"`{name}` must be 1-d (indexed by coalition bitmask); got {v.ndim}-d")
        size = v.shape[0]
        if size < 2 or size & (size - 1):
            raise ValueError(
                f"`{name}` must have length 2**n (one value per coalition), n >= 1; got {size}"
            )
        n = size.bit_length() - 1
        if n > max_players:
            raise ValueError(
                f"`{name}` has {n} players; exact computation allows at most {max_players}"
            )
    lo, hi = float(v.min()), float(v.max())  # NaN and inf show here: no temporary arrays
    if not (np.isfinite(lo) and np.isfinite(hi)):
        bad = int(np.flatnonzero(~np.isfinite(v))[0])
        raise ValueError(f"`{name}` must be finite; got {float(v[bad])} for coalition mask {bad}")
    scale = max(abs(lo), abs(hi))
    if abs(v[0]) > 1e-12 * max(scale, 1.0):
        raise ValueError(f"`{name}`: v(empty coalition) must be 0; got {float(v[0])}")
    return v, n
