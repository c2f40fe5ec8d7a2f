from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongsheng.sharing.choices import QuotaPeriod
from gongsheng.sharing.models import SharedResource


class BookingForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    quantity = forms.IntegerField(label=_("Places / sets"), min_value=1, initial=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            dt.datetime.combine(day, self.cleaned_data["start_time"], tzinfo=tz),
            dt.datetime.combine(day, self.cleaned_data["end_time"], tzinfo=tz),
        )


#: service field names -> form fields where the message is shown
FIELD_MAP = {"start": "start_time", "end": "end_time", "quantity": "quantity", "unit": None,
             "resource": None}  # fmt: skip


class ResourceForm(forms.ModelForm):
    """Create or edit a shared resource; the hidden version detects a concurrent edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SharedResource
        fields = [
            "owner", "code", "name", "kind", "capacity", "location", "description", "rules",
            "opening_hours", "closed_dates", "cancel_hours", "is_active",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "rules": forms.Textarea(attrs={"rows": 3}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "closed_dates": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is None:  # the owner is fixed once the resource exists
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners


class QuotaForm(forms.Form):
    """A quota on one resource or on all resources of one owner unit (the declared form of
    ``sharing.declarations.QuotaDeclaration``: a hidden version, ``service_data()``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    unit = forms.ModelChoiceField(
        queryset=None, label=_("booking unit"), required=False, empty_label=_("every unit")
    )
    resource = forms.ModelChoiceField(queryset=None, label=_("resource"), required=False)
    owner = forms.ModelChoiceField(
        queryset=None, label=_("or all resources of owner unit"), required=False
    )
    period = forms.ChoiceField(label=_("period"), choices=QuotaPeriod.choices)
    hours = forms.DecimalField(label=_("hours"), min_value=0, max_digits=8, decimal_places=1)

    def __init__(
        self, *args: Any, units: Any, resources: Any, instance: Any = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs["initial"] = {
                "unit": instance.unit_id, "resource": instance.resource_id,
                "owner": instance.owner_id, "period": instance.period, "hours": instance.hours,
                **kwargs.get("initial", {}),
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["owner"].queryset = units
        self.fields["resource"].queryset = resources

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "unit_id": d["unit"].pk if d["unit"] else None,
            "resource_id": d["resource"].pk if d["resource"] else None,
            "owner_id": d["owner"].pk if d["owner"] else None,
            "period": d["period"],
            "hours": d["hours"],
        }
