from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.cooperation.choices import (
    FundingSource,
    IPAction,
    LicenceKind,
    ParticipantRole,
    PartyRole,
)
from gongsheng.cooperation.models import Contract, IPAsset, Project


class ProjectForm(forms.ModelForm):
    """Create or edit a project; the hidden version detects a concurrent edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = ["code", "name", "type", "lead_unit", "starts_on", "ends_on", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["lead_unit"].queryset = units


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_status = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


def _unit_field(units: Any, label: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=units, label=label)


class InputForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("unit"))
    category = forms.ChoiceField(label=_("category"))
    committed = forms.DecimalField(label=_("committed"), min_value=0, initial=0)
    actual = forms.DecimalField(label=_("actual"), min_value=0, initial=0)
    on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["category"].choices = categories


class OutputForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    category = forms.ChoiceField(label=_("category"))
    quantity = forms.DecimalField(label=_("quantity"), min_value=0)
    receiver = forms.ModelChoiceField(queryset=None, label=_("receiving unit"))
    on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = units
        self.fields["category"].choices = categories


class ParticipantForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("unit"))
    role = forms.ChoiceField(label=_("role"), choices=ParticipantRole.choices)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    due_on = forms.DateField(label=_("due on"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    progress = forms.IntegerField(label=_("progress (%)"), min_value=0, max_value=100, initial=0)


class BudgetForm(forms.Form):
    source = forms.ChoiceField(label=_("funding source"), choices=FundingSource.choices)
    amount = forms.DecimalField(label=_("amount (CNY)"), min_value=0)


class AskForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("unit"))
    action = forms.ChoiceField(label=_("action"), choices=IPAction.choices)
    licence_kind = forms.ChoiceField(
        label=_("kind of licence"), choices=LicenceKind.choices, initial="general"
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class LicenceForm(forms.Form):
    """Record a licence (or a sublicence, when the licensor is not an owner)."""

    licensor = forms.ModelChoiceField(queryset=None, label=_("licensor"))
    licensee = forms.ModelChoiceField(queryset=None, label=_("licensee"))
    kind = forms.ChoiceField(label=_("kind"), choices=LicenceKind.choices, initial="general")
    starts_on = forms.DateField(label=_("starts on"),
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    ends_on = forms.DateField(label=_("ends on"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    field_of_use = forms.CharField(label=_("field"), max_length=200, required=False)
    territory = forms.CharField(label=_("territory"), max_length=200, required=False)
    may_sublicense = forms.BooleanField(label=_("may sublicense"), required=False)
    may_transfer = forms.BooleanField(label=_("may transfer"), required=False)
    consent_obtained = forms.BooleanField(label=_("consent obtained"), required=False)

    def __init__(self, *args: Any, units: Any, acting: Any = None, **kwargs: Any) -> None:
        """``acting``: the units the user may license in the name of (default: ``units``)."""
        super().__init__(*args, **kwargs)
        self.fields["licensor"].queryset = units if acting is None else acting
        self.fields["licensee"].queryset = units


class IPActionForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("acting unit"))
    action = forms.ChoiceField(
        label=_("action"),
        choices=[(v, lb) for v, lb in IPAction.choices if v not in ("license", "sublicense")],
    )
    counterparty = forms.ModelChoiceField(queryset=None, label=_("counterparty"), required=False)
    on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    consent_obtained = forms.BooleanField(label=_("consent obtained"), required=False)

    def __init__(self, *args: Any, units: Any, acting: Any = None, **kwargs: Any) -> None:
        """``acting``: the units the user may record in the name of (default: ``units``)."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if acting is None else acting
        self.fields["counterparty"].queryset = units


class ContractForm(forms.ModelForm):
    """Create or edit a contract with its parties (an inline table of rows); the hidden
    version detects a concurrent edit. The declared pages bind it with the consortium's
    units (``ContractDeclaration.form_kwargs``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Contract
        fields = [
            "code", "title", "type", "status", "signed_on", "starts_on", "ends_on", "value",
            "benefit_method", "terms",
        ]  # fmt: skip
        widgets = {
            "terms": forms.Textarea(attrs={"rows": 3}),
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contract = kwargs.get("instance")
        initial = []
        if contract is not None and not self.is_bound:
            initial = [
                {"unit": p.unit_id, "role": p.role, "share": p.share}
                for p in contract.parties.order_by("id")
            ]
        self.parties = PartyFormSet(
            self.data if self.is_bound else None, initial=initial, prefix="parties",
            form_kwargs={"units": units},
        )  # fmt: skip
        self.party_errors: list[str] = []
        self._rows: list[tuple[Any, dict[str, Any]]] = []

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.parties.is_valid() and valid

    def service_data(self) -> dict[str, Any]:
        """The fields and the filled party rows (a row without a unit is dropped)."""
        self._rows = [
            (f, {"unit_id": f.cleaned_data["unit"].pk, "role": f.cleaned_data["role"],
                 "share": f.cleaned_data.get("share")})
            for f in self.parties.forms
            if f.cleaned_data.get("unit") is not None
        ]  # fmt: skip
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        return {**data, "parties": [p for _f, p in self._rows]}

    def service_errors(self, exc: Any) -> None:
        """A problem with a party row beside that row, with the parties as a whole above
        their table, with a field beside the field."""
        from gongsheng.cooperation.views.common import _row_errors

        self.party_errors = _row_errors(self, self._rows, exc, name="parties", row_field="unit")


class PartyForm(forms.Form):
    """One party of a contract; a row left without a unit is ignored."""

    unit = forms.ModelChoiceField(queryset=None, label=_("unit"), required=False)
    role = forms.ChoiceField(label=_("role"), choices=PartyRole.choices, required=False)
    share = forms.DecimalField(
        label=_("share (0–1)"), min_value=0, max_value=1, required=False, decimal_places=4
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


PartyFormSet = forms.formset_factory(PartyForm, extra=2)


class IPAssetForm(forms.ModelForm):
    """Create or edit an IP asset with its owners (an inline table of rows); the hidden
    version detects a concurrent edit. The declared pages bind it with the consortium's units,
    contracts and projects (``IPAssetDeclaration.form_kwargs``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    consent_obtained = forms.BooleanField(
        label=_("the other owners consented to the change of shares"), required=False
    )

    class Meta:
        model = IPAsset
        fields = [
            "title", "kind", "number", "origin", "contract", "project", "patented", "delivered",
            "value",
        ]  # fmt: skip

    def __init__(
        self, *args: Any, units: Any, contracts: Any, projects: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["project"].queryset = projects
        asset = kwargs.get("instance")
        initial = []
        if asset is not None and not self.is_bound:
            initial = [
                {"unit": o.unit_id, "share": o.share} for o in asset.owners.order_by("-share", "id")
            ]
        self.owners = OwnerFormSet(
            self.data if self.is_bound else None, initial=initial, prefix="owners",
            form_kwargs={"units": units},
        )  # fmt: skip
        self.owner_errors: list[str] = []
        self._rows: list[tuple[Any, tuple[int, Any]]] = []

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.owners.is_valid() and valid

    def service_data(self) -> dict[str, Any]:
        """The fields (contract and project by id), the filled owner rows and, on an edit,
        whether the other owners consented to a change of shares."""
        c = self.cleaned_data
        self._rows = [
            (f, (f.cleaned_data["unit"].pk, f.cleaned_data.get("share") or 0))
            for f in self.owners.forms
            if f.cleaned_data.get("unit")
        ]
        data = {k: c[k] for k in self.Meta.fields if k not in ("contract", "project")}
        data["contract_id"] = c["contract"].pk if c["contract"] else None
        data["project_id"] = c["project"].pk if c["project"] else None
        data["owners"] = [r for _f, r in self._rows]
        if self.instance.pk is not None:
            data["consent_obtained"] = c["consent_obtained"]
        return data

    def service_errors(self, exc: Any) -> None:
        """A problem with an owner row beside that row's share, with the owners as a whole
        above their table, with a field beside the field."""
        from gongsheng.cooperation.views.common import _row_errors

        self.owner_errors = _row_errors(self, self._rows, exc, name="owners", row_field="share")


class OwnerForm(forms.Form):
    """One owner of an IP asset; a row left without a unit is ignored."""

    unit = forms.ModelChoiceField(queryset=None, label=_("unit"), required=False)
    share = forms.DecimalField(
        label=_("share (0–1)"), min_value=0, max_value=1, required=False, decimal_places=4
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


OwnerFormSet = forms.formset_factory(OwnerForm, extra=3)
