"""Forms of the diagnosis pages (shapes only; the selectors and services decide the rest)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.diagnosis.charts import MODE_LABELS, MODES

YEARS = range(2015, 2036)


class WindowForm(forms.Form):
    """The window of the diagnosis: calendar years from / to (both optional, inclusive)."""

    year_from = forms.TypedChoiceField(label=_("From year"), coerce=int, required=False,
                                       empty_value=None)  # fmt: skip
    year_to = forms.TypedChoiceField(label=_("To year"), coerce=int, required=False,
                                     empty_value=None)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *[(y, str(y)) for y in YEARS]]
        self.fields["year_from"].choices = choices
        self.fields["year_to"].choices = choices

    def clean(self) -> dict[str, Any]:
        cd = super().clean()
        lo, hi = cd.get("year_from"), cd.get("year_to")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("year_to", _("The last year comes before the first."))
        return cd

    def window(self) -> tuple[int | None, int | None]:
        """``(year_from, year_to)``, ``(None, None)`` (the default window) when invalid."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("year_from"), self.cleaned_data.get("year_to")


class PairFilterForm(forms.Form):
    """Filters of the pair table: behavioural mode and one unit."""

    mode = forms.ChoiceField(label=_("Mode"), required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [("", _("all")), *[(m, MODE_LABELS[m]) for m in MODES]]
        self.fields["unit"].choices = [("", _("all")), *[(u.unit_id, u.name) for u in units]]

    def values(self) -> tuple[str, int | None]:
        if not self.is_valid():
            return "", None
        return self.cleaned_data.get("mode") or "", self.cleaned_data.get("unit")
