from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.consortia.choices import MembershipStatus
from gongsheng.consortia.models import Consortium, Membership, Unit

DATES = ("applied_on", "joined_on", "left_on")
UNIT_FIELDS = [
    "credit_code", "name", "short_name", "type", "province", "city", "address", "website",
    "description",
]  # fmt: skip


class UnitForm(forms.ModelForm):
    """Create or edit a unit; the hidden version detects a concurrent edit. A unit made on the
    consortium's page applies for membership there (the secretariat then decides)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Unit
        fields = UNIT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"credit_code": _("18 characters, with its check character")}

    def validate_unique(self) -> None:  # the service decides, inside its transaction
        pass

    def service_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in UNIT_FIELDS}
        if self.instance.pk is None:
            data["status"] = MembershipStatus.APPLIED
        return data


class MembershipForm(forms.ModelForm):
    """Apply for membership on behalf of an organisation (named by its credit code; the
    secretariat), or edit a membership's rank and details (with the hidden version)."""

    credit_code = forms.CharField(
        label=_("credit code"), max_length=40, help_text=_("the unit's credit code")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Membership
        fields = ["rank", "applied_on", "joined_on", "left_on", "note"]
        widgets = {f: forms.DateInput(attrs={"type": "date"}) for f in DATES}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:  # an application: the unit, its rank and a note
            for name in DATES:
                del self.fields[name]
        else:
            del self.fields["credit_code"]

    def validate_unique(self) -> None:  # the service decides, inside its transaction
        pass

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class MoveForm(forms.Form):
    """A move of the membership lifecycle: its date (default today) and the reason."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(
        label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReasonForm(MoveForm):
    """A move that must say why (refuse, withdraw, expel)."""

    note = forms.CharField(label=_("Reason"), max_length=300)


def move_form(base: type[MoveForm], move: str) -> type[MoveForm]:
    """``base`` for one move, its fields' ids prefixed (``refuse-note``): several move forms
    stand on one page."""

    def __init__(self: MoveForm, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{move}-%s")
        base.__init__(self, *args, **kwargs)

    return type(f"{move.title()}Form", (base,), {"__init__": __init__})


class ConsortiumForm(forms.ModelForm):
    """Found a consortium, or edit its facts (the lead units are set through the API, among
    its admitted members)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Consortium
        fields = [
            "code", "name", "level", "batch", "status", "province", "city", "founded_on",
            "description", "park_name", "park_industry_chain", "park_output",
            "park_output_rank",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "founded_on": forms.DateInput(attrs={"type": "date"}),
        }

    def validate_unique(self) -> None:  # the service decides, inside its transaction
        pass
