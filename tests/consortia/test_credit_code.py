"""The unified social credit code (GB 32100-2015) check character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongsheng.consortia.credit_code import ALPHABET, check_character, make, problem


class TestCreditCode:
    @pytest.mark.parametrize(
        "code",
        [
            # published codes of well-known organisations (from their public registrations)
            "91110000100017643K",  # Sinopec Group (中国石油化工集团有限公司)
            "91440300708461136T",  # Ping An Insurance (中国平安保险（集团）股份有限公司)
            "91110108551385082Q",  # Xiaomi (北京小米科技有限责任公司)
        ],
    )
    def test_published_codes_are_valid(self, code):
        assert problem(code) is None

    def test_changed_check_character_is_named(self):
        msg = problem("91110000100017643A")
        assert msg is not None and "K" in msg

    @pytest.mark.parametrize(
        ("code", "reason"),
        [("9111000010001764", "18"), ("91110000I00017643K", "I"), ("91AB0000100017643K", "3")],
    )
    def test_bad_codes_say_why(self, code, reason):
        assert reason in problem(code)

    def test_lowercase_and_spaces_are_normalised(self):
        assert problem(" 91110000100017643k ") is None

    @given(
        st.text(alphabet=ALPHABET, min_size=2, max_size=2),
        st.text(alphabet="0123456789", min_size=6, max_size=6),
        st.text(alphabet=ALPHABET, min_size=9, max_size=9),
    )
    def test_make_is_always_valid_and_one_typo_is_caught(self, head, division, org):
        body = head + division + org
        code = make(body)
        assert problem(code) is None
        wrong = ALPHABET[(ALPHABET.index(code[-1]) + 1) % 31]
        assert problem(code[:-1] + wrong) is not None
        assert check_character(body) == code[-1]
