from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.environment.choices import TargetGroup
from gongsheng.environment.models import PublicPolicy

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyForm(forms.ModelForm):
    """Create or edit a policy; the hidden version detects a concurrent edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    groups = forms.MultipleChoiceField(
        label=_("target groups"), choices=TargetGroup.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    units = forms.ModelMultipleChoiceField(
        label=_("target units"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip

    class Meta:
        model = PublicPolicy
        fields = [
            "title", "number", "issuer", "level", "kind", "instrument", "issued_on",
            "effective_from", "effective_to", "amount", "amount_basis", "quantity",
            "classification", "classification_reason", "notes",
        ]  # fmt: skip
        widgets = {
            "issued_on": _DATE,
            "effective_from": _DATE,
            "effective_to": _DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        order = ["title", "number", "issuer", "level", "kind", "instrument", "groups", "units"]
        self.order_fields(order)
        if self.instance.pk and not self.is_bound:
            self.initial["groups"] = self.instance.groups
            self.initial["units"] = [u.pk for u in self.instance.target_units.all()]

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        data = {k: d[k] for k in self.Meta.fields}
        data["target_groups"] = list(d["groups"])
        data["target_unit_ids"] = [u.pk for u in d["units"]]
        return data


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label=_("withdrawn on"), widget=_DATE)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)
