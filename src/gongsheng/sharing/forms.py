from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongsheng.sharing.choices import QuotaPeriod
from gongsheng.sharing.models import SharedResource


class BookingForm(forms.Form):
    """Book a resource for one day. ``units`` (the member units a secretariat may book for)
    adds the booking unit's choice; without it the user's own unit books.

    The date and times are written as ISO values (``2026-09-01``, ``08:30``) whatever the
    language: ``<input type="date">`` accepts no other format, and a localised value
    (``2026/09/01``) would leave the field empty in the browser."""

    unit = forms.ModelChoiceField(queryset=None, label=_("booking unit"), required=True)
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quantity = forms.IntegerField(label=_("Places / sets"), min_value=1, initial=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units

    def unit_id(self) -> int | None:
        """The chosen booking unit (``None``: the user's own)."""
        unit = self.cleaned_data.get("unit")
        return unit.pk if unit is not None else None

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        """Start and end in the consortium's time zone (the platform's: Asia/Shanghai)."""
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            dt.datetime.combine(day, self.cleaned_data["start_time"], tzinfo=tz),
            dt.datetime.combine(day, self.cleaned_data["end_time"], tzinfo=tz),
        )


#: service field names -> form fields where the message is shown
FIELD_MAP = {"start": "start_time", "end": "end_time", "quantity": "quantity", "unit": "unit",
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
        if owners is None or self.instance.pk is not None:  # fixed once the resource exists
            del self.fields["owner"]
        else:  # (members, offered): any member is a valid answer, the service decides
            members, offered = owners
            field = self.fields["owner"]
            field.queryset = members
            field.widget.choices = [("", field.empty_label), *((u.pk, str(u)) for u in offered)]

    def service_data(self) -> dict[str, Any]:
        """The services' input: the declared fields, and the owner of a new resource."""
        data = {k: self.cleaned_data[k] for k in self.Meta.fields if k in self.fields}
        if "owner" in data:
            data["owner_id"] = data.pop("owner").pk
        return data


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
