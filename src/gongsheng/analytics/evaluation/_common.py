"""Validation and blocked, threaded array passes shared by the evaluation models.

Large matrices (100,000 x 50 and up) are processed in row blocks that fit in the
CPU cache, and the blocks are spread over a small thread pool: NumPy releases the
GIL inside ufuncs, so the logarithms of the entropy method run on every core.
The blocks are a cache/thread decomposition, never a loop over rows: each block
is a vectorised NumPy operation over thousands of rows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import numpy as np

#: rows per block: 4096 rows x 50 columns x 8 bytes = 1.6 MB, about one L2 cache
BLOCK_BYTES = 1 << 20
#: below this many elements, blocking and threads cost more than they save
SERIAL_ELEMENTS = 1 << 18


@cache
def _pool() -> ThreadPoolExecutor:
    workers = max(1, min(8, os.cpu_count() or 1))
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gongsheng-eval")


def row_blocks(m: int, n: int) -> list[slice]:
    """Row slices of about :data:`BLOCK_BYTES` each (one slice for small inputs)."""
    if m * n <= SERIAL_ELEMENTS:
        return [slice(0, m)]
    rows = max(256, BLOCK_BYTES // (8 * max(n, 1)))
    return [slice(start, min(start + rows, m)) for start in range(0, m, rows)]


def map_blocks(func: Callable[[slice], Any], m: int, n: int) -> list[Any]:
    """Apply ``func`` to every row block, in parallel when the matrix is large."""
    blocks = row_blocks(m, n)
    if len(blocks) == 1:
        return [func(blocks[0])]
    return list(_pool().map(func, blocks))


def column_min_max(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column minima and maxima in one blocked pass over ``X``."""
    m, n = X.shape

    def work(rows: slice) -> tuple[np.ndarray, np.ndarray]:
        block = X[rows]
        return block.min(axis=0), block.max(axis=0)

    parts = map_blocks(work, m, n)
    lo = np.min([p[0] for p in parts], axis=0)
    hi = np.max([p[1] for p in parts], axis=0)
    return lo, hi


def as_matrix(
    X: Any,
    name: str = "X",
    *,
    min_rows: int = 1,
    nonnegative: bool = False,
    check_values: bool = True,
):
    """``X`` as a finite 2-d float64 array (C order), or ValueError naming ``name``.

    With ``check_values=False`` only the shape is checked: the caller checks
    finiteness (and sign) from results of its own pass over ``X``, which saves
    a pass over large matrices, and calls :func:`check_values` on failure.
    """
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"`{name}` must be a 2-d array (entities x indicators); got {A.ndim}-d")
    if A.shape[0] < min_rows or A.shape[1] < 1:
        raise ValueError(
            f"`{name}` must have at least {min_rows} rows and 1 column; got shape {A.shape}"
        )
    if check_values:
        check_matrix_values(A, name, nonnegative=nonnegative)
    return np.ascontiguousarray(A)


def check_matrix_values(A: np.ndarray, name: str, *, nonnegative: bool = False) -> None:
    """Raise ValueError if ``A`` holds NaN/inf (or negatives), saying where."""
    check_finite(A, name)
    if nonnegative and (A < 0).any():
        i, j = np.argwhere(A < 0)[0]
        raise ValueError(
            f"`{name}` must be non-negative; got {float(A[i, j])} at row {i}, column {j}"
        )


def as_vector(x: Any, name: str, *, size: int | None = None, nonnegative: bool = False):
    """``x`` as a finite 1-d float64 array of the given size, or ValueError."""
    v = np.asarray(x, dtype=np.float64)
    if v.ndim != 1:
        raise ValueError(f"`{name}` must be a 1-d array; got {v.ndim}-d")
    if size is not None and v.shape[0] != size:
        raise ValueError(f"`{name}` must have {size} elements; got {v.shape[0]}")
    check_finite(v, name)
    if nonnegative and (v < 0).any():
        raise ValueError(f"`{name}` must be non-negative; got {float(v[v < 0][0])}")
    return v


def check_finite(A: np.ndarray, name: str) -> None:
    """Raise ValueError if ``A`` holds NaN or infinity, saying where."""
    if not np.isfinite(A).all():
        where = np.argwhere(~np.isfinite(A))[0]
        raise ValueError(
            f"`{name}` must be finite (no NaN or inf); got {float(A[tuple(where)])} at index "
            f"{tuple(int(k) for k in where)}"
        )


def as_benefit(benefit: Any, n: int) -> np.ndarray:
    """``benefit`` (None, or one bool per column) as a boolean array of length ``n``."""
    if benefit is None:
        return np.ones(n, dtype=bool)
    b = np.asarray(benefit)
    if b.ndim != 1 or b.shape[0] != n:
        raise ValueError(
            f"`benefit` must be None or one bool per column ({n}); got shape {b.shape}"
        )
    if b.dtype != bool:
        if not np.isin(b, (0, 1)).all():
            raise ValueError(f"`benefit` must hold booleans (True = benefit); got {b.tolist()}")
        b = b.astype(bool)
    return b


def check_choice(value: Any, name: str, allowed: Sequence[str | None]) -> Any:
    """Raise ValueError listing the allowed names if ``value`` is not one of them."""
    if value not in allowed:
        raise ValueError(
            f"`{name}` must be one of {', '.join(repr(a) for a in allowed)}; got {value!r}"
        )
    return value


def normalize_weights(w: Any, name: str, n: int) -> np.ndarray:
    """Non-negative weights of length ``n`` rescaled to sum 1, or ValueError."""
    v = as_vector(w, name, size=n, nonnegative=True)
    total = v.sum()
    if total <= 0:
        raise ValueError(f"`{name}` must have a positive sum; got {float(total)}")
    return v / total
