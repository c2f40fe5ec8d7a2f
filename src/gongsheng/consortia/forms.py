from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.consortia.choices import MembershipStatus
from gongsheng.consortia.models import Unit

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
