"""The unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters from a 31-character alphabet (digits and capital letters without I, O, Z, S, V):
registration authority (1), organisation type (1), administrative division (6 digits),
organisation code (9) and a check character. The check character is
``C18 = 31 − (Σ_{i=1}^{17} W_i·C_i mod 31)`` (31 maps to 0), with weights ``W_i = 3^{i−1} mod 31``.

The check character and the clean-up are python-stdnum's (``stdnum.cn.uscc``: ``compact``,
``calc_check_digit``). Its ``validate()`` is not used as the verdict: it requires the first
eight characters to be digits, while GB 32100-2015 (table 1) gives letters to registration
authorities (``A``, ``N``, ``Y``: e.g. ``N2…`` rural collective economic organisations,
``Y1…`` others), so it would refuse real codes; the steps below say which rule a code breaks,
in the user's language, where stdnum only names an exception class.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    if len(first17) != 17 or any(c not in _VALUE for c in first17):
        raise ValueError(f"17 characters of the alphabet expected, got {first17!r}")
    return uscc.calc_check_digit(first17)


def normalise(code: str) -> str:
    return uscc.compact(code or "")


def problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, or ``None`` when it is."""
    code = normalise(code)
    if len(code) != 18:
        return _("A credit code has 18 characters; this one has %(n)d.") % {"n": len(code)}
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return _("A credit code may not contain %(chars)s.") % {"chars": ", ".join(bad)}
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 of a credit code are the division code (digits).")
    expected = check_character(code[:17])
    if code[17] != expected:
        return _("The credit code's check character should be %(expected)s, not %(got)s.") % {
            "expected": expected,
            "got": code[17],
        }
    return None


def validate_credit_code(code: str) -> None:
    reason = problem(code)
    if reason:
        raise ValidationError(reason, code="credit_code")


def make(prefix17: str) -> str:
    """Complete 17 characters with their check character (used by the demo generator)."""
    return prefix17 + check_character(prefix17)
