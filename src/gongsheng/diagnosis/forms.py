"""Forms of the diagnosis pages (shapes only; the selectors and services decide the rest)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.diagnosis.labels import MODE_LABELS, MODES

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
        self.fields["unit"].choices = [("", _("all")), *[(u.id, u.name) for u in units]]

    def values(self) -> tuple[str, int | None]:
        if not self.is_valid():
            return "", None
        return self.cleaned_data.get("mode") or "", self.cleaned_data.get("unit")


class SettingsForm(forms.Form):
    """Tolerance and thresholds of a consortium's diagnosis, with the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    tolerance = forms.FloatField(
        label=_("Tolerance"), min_value=0, max_value=0.99,
        help_text=_("Net gains within this share of the pair's flow count as zero; relative "
                    "gains that agree within it are symmetric (default 0.05)."),
    )  # fmt: skip
    joint_body_share = forms.FloatField(
        label=_("Joint body share for 'integrated'"), min_value=0.01, max_value=1,
        help_text=_("Share of the window covered by a joint body (default 0.5)."),
    )  # fmt: skip
    continuous_share = forms.FloatField(
        label=_("Coverage for 'continuous'"), min_value=0.01, max_value=1,
        help_text=_("Share of the window's days covered by episodes (default 0.6)."),
    )  # fmt: skip
    max_gap_days = forms.IntegerField(
        label=_("Longest gap for 'continuous' (days)"), min_value=0,
        help_text=_("Default 90."),
    )  # fmt: skip
    min_dimensions = forms.IntegerField(
        label=_("Dimensions for 'integrated'"), min_value=1,
        help_text=_("Kinds of cooperation a pair shares (default 3)."),
    )  # fmt: skip
    inactive_months = forms.IntegerField(
        label=_("Months without joint activity (联而不合)"), min_value=1,
        help_text=_("Default 12."),
    )  # fmt: skip
    cold_ratio = forms.FloatField(
        label=_("Enterprise / school inputs below (校热企冷)"), min_value=0,
        help_text=_("Default 0.5."),
    )  # fmt: skip
    hhi_max = forms.FloatField(
        label=_("Largest concentration index (HHI) of inputs"), min_value=0.01, max_value=1,
        help_text=_("Default 0.25."),
    )  # fmt: skip
    top_share_max = forms.FloatField(
        label=_("Largest share of one unit in all inputs"), min_value=0.01, max_value=1,
        help_text=_("Default 0.5."),
    )  # fmt: skip

    year_from = forms.IntegerField(
        label=_("Default window from (year)"), required=False, min_value=1900, max_value=2999,
        help_text=_("Empty: from the first year with entries."),
    )  # fmt: skip
    year_to = forms.IntegerField(
        label=_("Default window to (year)"), required=False, min_value=1900, max_value=2999,
        help_text=_("Empty: to the last year with entries."),
    )  # fmt: skip

    @classmethod
    def initial_from(cls, settings: Any) -> dict[str, Any]:
        return {name: getattr(settings, name, None) for name in cls.base_fields}
