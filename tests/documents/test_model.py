"""The document model's checks and formats, and the doctests of the framework-light modules."""

from __future__ import annotations

import doctest

import pytest

from gongsheng.documents import model, pdf
from gongsheng.documents.model import Column, Section, Table, format_value


@pytest.mark.parametrize("module", [model, pdf])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_a_row_of_the_wrong_width_is_refused_naming_the_table():
    with pytest.raises(ValueError, match="table '表': row 2 has 1 cells, expected 2"):
        Table(columns=[Column("甲"), Column("乙")], rows=[["a", 1], ["b"]], caption="表")


def test_section_levels_are_one_to_three():
    with pytest.raises(ValueError, match="level must be 1, 2 or 3"):
        Section("节", level=4)


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [(1234, "int", "1,234"), (1234.5, "int", "1,234"), (0.5, "percent", "50.0%"),
     (-1.005, "decimal", "-1.00"), ("文本", "int", "文本"), ("", "money", "—")],
)  # fmt: skip
def test_formats(value, fmt, expected):
    assert format_value(value, fmt) == expected


# The API renders in the worker now: a missing font fails the job with the message naming
# fonts-noto-cjk (tests/documents/test_pages_api.py::test_api_job_status_is_for_rendering_jobs_and_says_why_one_failed).
