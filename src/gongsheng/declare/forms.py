"""Forms of the declared pages: the edit form with its hidden version, the filter form."""

from __future__ import annotations

from typing import Any

from django import forms

from gongsheng.core.api_input import value_problem
from gongsheng.declare.declaration import Declaration


class _CheckedValues:
    """Refuses, at the field, the values the API refuses (``core.api_input``: numbers out of
    range or not finite, dates outside 1800–2199, years out of range, NUL in text)."""

    def clean(self) -> Any:
        cleaned = super().clean()  # type: ignore[misc]
        for name, value in list(self.cleaned_data.items()):  # type: ignore[attr-defined]
            reason = value_problem(name, value)
            if reason:
                self.add_error(name, reason)  # type: ignore[attr-defined]
        return cleaned


def edit_form(decl: Declaration) -> type[forms.BaseForm]:
    """The declaration's form checked as the API checks its input, with a hidden ``version``
    field when it has none."""
    form = decl.get_form()
    attrs: dict[str, Any] = {}
    if "version" not in form.base_fields:
        attrs["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
    return type(f"{form.__name__}Declared", (_CheckedValues, form), attrs)


def filter_values(decl: Declaration, params: Any) -> tuple[dict[str, Any], Any]:
    """Every filter's valid value ("" when absent or bad) and the bound filter form, for the
    list page to show what is applied."""
    if decl.filterset is None:
        return {}, None
    form = decl.filterset(params).form
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    values = {
        name: cleaned.get(name) if cleaned.get(name) not in (None, "") else ""
        for name in form.fields
    }
    return values, form
