"""Small checks on plain numbers shared by the analytics."""

from __future__ import annotations

import math
import numbers
from typing import TypeGuard

import numpy as np


def is_real(x: object) -> TypeGuard[float]:
    """True for a real, finite scalar: a Python or NumPy int or float (not a string, array or NaN).

    >>> import numpy as np
    >>> [is_real(v) for v in (1, 0.5, np.float64(2), "1", [1], float("nan"), None)]
    [True, True, True, False, False, False, False]
    """
    return isinstance(x, numbers.Real) and math.isfinite(x)


def as_flags(value: object, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """``value`` as a boolean array of ``shape``: booleans, or the numbers 0 and 1 only.

    Anything else (strings such as ``"no"``, None, 2, 0.5) is refused rather than cast, since
    ``bool("no")`` is True.

    >>> as_flags([True, 0], "obligate", (2,)).tolist()
    [True, False]
    >>> as_flags(["no", "no"], "obligate", (2,))
    Traceback (most recent call last):
    ...
    ValueError: `obligate` must hold booleans (True/False or 1/0); got ['no', 'no']
    """
    arr = np.asarray(value)
    if arr.shape != shape:
        raise ValueError(f"`{name}` must have shape {shape}; got {arr.shape}")
    if arr.dtype == bool:
        return arr.astype(bool)
    ok = arr.dtype.kind in "iuf" and bool(np.isin(arr, (0, 1)).all())
    if not ok:
        raise ValueError(f"`{name}` must hold booleans (True/False or 1/0); got {arr.tolist()!r}")
    return arr.astype(bool)
