"""Forms of the ledger pages (validation of shapes only; the services decide the rest)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.ledger.choices import PartyKind


class EntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(label=_("Category"))
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=4)
    giver_kind = forms.ChoiceField(label=_("Giver"), choices=PartyKind.choices)
    giver_unit = forms.TypedChoiceField(label=_("Giving unit"), coerce=int, required=False)
    giver_pool = forms.CharField(label=_("Giving pool"), required=False, max_length=60)
    receiver_kind = forms.ChoiceField(label=_("Receiver"), choices=PartyKind.choices)
    receiver_unit = forms.TypedChoiceField(label=_("Receiving unit"), coerce=int, required=False)
    receiver_pool = forms.CharField(label=_("Receiving pool"), required=False, max_length=60)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=120, help_text=_("voucher number")
    )
    confidential = forms.BooleanField(label=_("Confidential"), required=False)
    evidence = forms.FileField(label=_("Evidence file"), required=False)

    def __init__(self, *args, categories=(), units=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (c.code, f"{c.name} ({c.quantity_unit})") for c in categories
        ]
        unit_choices = [("", "—"), *[(u.pk, u.name) for u in units]]
        self.fields["giver_unit"].choices = unit_choices
        self.fields["receiver_unit"].choices = unit_choices


class RuleForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    unit_value = forms.DecimalField(
        label=_("Value per unit (CNY)"), max_digits=14, decimal_places=4
    )
    basis = forms.CharField(label=_("Basis"), required=False, max_length=300)

    def __init__(self, *args, categories=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (c.pk, f"{c.name} ({c.quantity_unit})") for c in categories
        ]


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=60)
    name_en = forms.CharField(label=_("English name"), required=False, max_length=80)
    quantity_unit = forms.CharField(label=_("Unit of quantity"), max_length=20)
