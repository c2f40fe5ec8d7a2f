from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: the password of the demo logins (``gongsheng demo``); ``check --deploy`` warns about any
#: account that still has it
DEMO_PASSWORD = "gongsheng-demo"


class CharacterClassValidator:
    """A password mixes letters with digits or symbols (graded protection, level 2)."""

    def validate(self, password: str, user: Any = None) -> None:
        has_letter = any(c.isalpha() for c in password)
        has_other = any(not c.isalpha() for c in password)
        if not (has_letter and has_other):
            raise ValidationError(
                _("The password must contain letters and at least one digit or symbol."),
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _("Your password must contain letters and at least one digit or symbol.")
