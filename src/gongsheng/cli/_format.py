"""Numbers as the science commands print them: no signed zeros, no last-bit noise.

Results computed with NumPy, SciPy and LAPACK differ between machines in their last bits
(summation order, SIMD kernels, the BLAS build): a trace that is 0 in theory comes out as
``-3.7e-17`` on one machine and ``0`` on another, a determinant of ``-9`` as
``-8.999999999999998``, and a product with a zero as ``-0.0``. Everything the science
commands print (tables and JSON) goes through :func:`clean`, :func:`num` or :func:`tidy`,
so the same input prints the same text everywhere.
"""

from __future__ import annotations

import math
from typing import Any

#: |x| below this is printed as 0: far below any figure the commands report, far above the
#: rounding noise of double precision on values of order 1 to 10⁶
NOISE = 1e-12
#: significant digits kept in JSON output (a double carries 15 to 17)
DIGITS = 12


def clean(x: float) -> float:
    """``x`` without noise: 0.0 (never -0.0) below :data:`NOISE`, else 12 significant digits.

    >>> clean(-0.0), clean(-3.7e-17), clean(-8.999999999999998), clean(0.816496580927726)
    (0.0, 0.0, -9.0, 0.816496580928)
    >>> clean(float("nan")), clean(float("-inf"))
    (nan, -inf)
    """
    x = float(x)
    if not math.isfinite(x):
        return x
    if abs(x) < NOISE:
        return 0.0
    return float(f"{x:.{DIGITS}g}") + 0.0


def num(x: float, spec: str = ".4g") -> str:
    """``x`` cleaned and formatted with ``spec`` (precision and type only, e.g. ``".4f"``),
    a result that rounds to zero printed without its sign.

    >>> num(-0.0), num(-1e-17, ".4f"), num(-0.00001, ".2f"), num(-2.5), num(1234567.0, ",.0f")
    ('0', '0.0000', '0.00', '-2.5', '1,234,567')
    """
    return format(clean(x), "z" + spec)


def tidy(obj: Any) -> Any:
    """``obj`` (dicts, lists and tuples of numbers, as for JSON) with every float cleaned.

    >>> tidy({"det": -8.999999999999998, "ev": [-0.0, 1e-17, 2], "ok": True, "name": "x"})
    {'det': -9.0, 'ev': [0.0, 0.0, 2], 'ok': True, 'name': 'x'}
    """
    if isinstance(obj, float):
        return clean(obj)
    if isinstance(obj, dict):
        return {k: tidy(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(tidy(v) for v in obj)
    return obj
