"""Forms of the declared pages: the edit form with its hidden version, the filter form."""

from __future__ import annotations

from typing import Any

from django import forms

from gongsheng.declare.declaration import Declaration


def edit_form(decl: Declaration) -> type[forms.BaseForm]:
    """The declaration's form, with a hidden ``version`` field when it has none."""
    form = decl.get_form()
    if "version" in form.base_fields:
        return form
    return type(
        f"{form.__name__}WithVersion",
        (form,),
        {"version": forms.IntegerField(widget=forms.HiddenInput, required=False)},
    )


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
