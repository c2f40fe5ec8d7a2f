"""Query-count assertions that print every SQL statement when they fail (after Zulip)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn: Callable[[], Any]) -> tuple[int, list[str], Any]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], result


def assert_constant_queries(render: Callable[[], Any], grow: Callable[[], None]) -> int:
    """``render`` issues the same number of queries before and after ``grow`` adds rows."""
    n1, _, _ = count_queries(render)
    grow()
    n2, sql2, _ = count_queries(render)
    if n1 != n2:
        listing = "\n".join(f"  {i}. {s}" for i, s in enumerate(sql2, 1))
        raise AssertionError(
            f"query count grew with the rows shown: {n1} -> {n2}. This path is "
            f"performance-critical; the queries now:\n{listing}"
        )
    return n1
