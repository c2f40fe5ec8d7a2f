"""Forms of the people pages; their choices come from the policies (what the user may grant,
which units they reach), so no form offers what cannot be submitted."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongsheng.access import people
from gongsheng.access.roles import Role


def role_choices(roles: list[str]) -> list[tuple[str, Any]]:
    labels = dict(Role.choices)
    return [(r, labels[r]) for r in roles]


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class InviteForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    display_name = forms.CharField(label=_("display name"), max_length=100, required=False)
    email = forms.EmailField(label=_("e-mail"))
    unit = forms.TypedChoiceField(label=_("unit"), coerce=int, required=False, empty_value=None)
    role = forms.ChoiceField(label=_("role"))

    def __init__(self, *args: Any, units: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "unit", [("", "—"), *[(u.pk, str(u)) for u in units]])
        _choices(self, "role", role_choices(roles))


class GrantForm(forms.Form):
    consortium = forms.TypedChoiceField(
        label=_("consortium"), coerce=int, required=False, empty_value=None
    )
    role = forms.ChoiceField(label=_("role"))

    def __init__(self, *args: Any, consortia: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # no consortium only for the platform-wide role (platform admins grant it)
        empty = [("", "—")] if Role.PLATFORM_ADMIN in roles else []
        _choices(self, "consortium", [*empty, *[(c.pk, str(c)) for c in consortia]])
        _choices(self, "role", role_choices(roles))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    expires_in_days = forms.IntegerField(
        label=_("valid for (days)"), min_value=1, max_value=3650, required=False
    )

    def expires_at(self) -> dt.datetime | None:
        days = self.cleaned_data.get("expires_in_days")
        return timezone.now() + dt.timedelta(days=days) if days else None


class _AuditedSetPassword:
    """Saving goes through the service ``people.password_set`` (audited)."""

    reset = False
    user: Any
    cleaned_data: dict[str, Any]

    def save(self, commit: bool = True) -> Any:
        return people.password_set(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"],
            reset=self.reset,
        )  # fmt: skip


class PasswordChangeForm(_AuditedSetPassword, auth_forms.PasswordChangeForm):
    pass


class PasswordResetSetForm(_AuditedSetPassword, auth_forms.SetPasswordForm):
    reset = True
