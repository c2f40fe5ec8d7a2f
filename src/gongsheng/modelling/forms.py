"""The inputs of the two models: one form each, used by the pages and (for validation) the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.modelling.choices import (
    GAME_HELP,
    GAME_PARAMETERS,
    SWEEP_PARAMETERS,
    Group,
    Measure,
    Quality,
)
from gongsheng.modelling.runs import default_game_parameters

DEFAULT_GROUPS = [Group.SCHOOL, Group.ENTERPRISE]
LABELS = {name: label for name, label, _p in GAME_PARAMETERS}


class LogisticForm(forms.Form):
    """Which groups (2 or 3), which quality parameter, which years."""

    groups = forms.MultipleChoiceField(
        label=_("Unit groups"), choices=Group.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("two or three"),
    )  # fmt: skip
    quality = forms.ChoiceField(
        label=_("Quality parameter"), choices=Quality.choices, initial=Quality.OUTPUTS
    )
    measure = forms.ChoiceField(
        label=_("Series"), choices=Measure.choices, initial=Measure.PER_YEAR
    )
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1900,
                                   max_value=2200)  # fmt: skip
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1900,
                                 max_value=2200)  # fmt: skip

    def clean_groups(self) -> list[str]:
        groups = list(dict.fromkeys(self.cleaned_data["groups"]))
        if not 2 <= len(groups) <= 3:
            raise forms.ValidationError(
                _g("Choose two or three unit groups; you chose %(n)d.") % {"n": len(groups)}
            )
        order = [g for g in Group.values if g in groups]
        return order

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lo, hi = data.get("year_from"), data.get("year_to")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("year_to", _g("must not be before the first year"))
        return data


def logistic_initial() -> dict[str, Any]:
    return {"groups": list(DEFAULT_GROUPS), "quality": Quality.OUTPUTS,
            "measure": Measure.PER_YEAR, "year_from": None, "year_to": None}  # fmt: skip


class GameForm(forms.Form):
    """The thirteen parameters of the government–school–enterprise game and the sweep."""

    year = forms.IntegerField(
        label=_("Policy year"), required=False, min_value=1900, max_value=2200,
        help_text=_("the year whose policies prefill the incentives"),
    )  # fmt: skip
    scale = forms.TypedChoiceField(
        label=_("Amounts in"), coerce=int, initial=10_000,
        choices=[(1, _("CNY")), (1_000, _("thousand CNY")), (10_000, _("10,000 CNY (万元)")),
                 (1_000_000, _("million CNY"))],
        help_text=_("the unit of every amount below; policies' CNY amounts are divided by it"),
    )  # fmt: skip
    sweep_param = forms.ChoiceField(
        label=_("Sweep"), initial="p_e",
        choices=[(p, LABELS[p]) for p in SWEEP_PARAMETERS],
    )  # fmt: skip
    bracket_hi = forms.FloatField(
        label=_("Sweep up to"), initial=20.0, min_value=0.001, max_value=1e6,
        help_text=_("thresholds are searched between 0 and this amount"),
    )  # fmt: skip
    grid = forms.IntegerField(
        label=_("Basin grid"), initial=5, min_value=2, max_value=8,
        help_text=_("starting points per axis (grid³ in all)"),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = default_game_parameters()
        for name, label, _prefillable in GAME_PARAMETERS:
            self.fields[name] = forms.FloatField(
                label=label, initial=defaults[name], help_text=GAME_HELP[name],
                min_value=0.0,
                max_value=1.0 if name == "alpha" else 1e9,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )  # fmt: skip

    @property
    def parameter_fields(self) -> list[Any]:
        return [self[name] for name, _l, _p in GAME_PARAMETERS]

    def parameters(self) -> dict[str, float]:
        return {name: float(self.cleaned_data[name]) for name, _l, _p in GAME_PARAMETERS}


def game_initial(prefill: dict[str, float] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"sweep_param": "p_e", "bracket_hi": 20.0, "grid": 5, "scale": 10_000}
    data.update(default_game_parameters())
    data.update(prefill or {})
    return data


def validated(form: forms.Form, message: str) -> dict[str, Any]:
    """The form's cleaned data, or ``ValidationFailed`` naming every bad field."""
    if form.is_valid():
        return form.cleaned_data
    errors = [
        FieldError(name if name != "__all__" else "", str(msg))
        for name, msgs in form.errors.items()
        for msg in msgs
    ]
    raise ValidationFailed(message, errors)


class ScenarioSaveForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class ScenarioEditForm(ScenarioSaveForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
