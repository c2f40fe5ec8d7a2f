"""Small checks on plain numbers shared by the analytics."""

from __future__ import annotations

import math
import numbers
from typing import TypeGuard


def is_real(x: object) -> TypeGuard[float]:
    """True for a real, finite scalar: a Python or NumPy int or float (not a string, array or NaN).

    >>> import numpy as np
    >>> [is_real(v) for v in (1, 0.5, np.float64(2), "1", [1], float("nan"), None)]
    [True, True, True, False, False, False, False]
    """
    return isinstance(x, numbers.Real) and math.isfinite(x)
