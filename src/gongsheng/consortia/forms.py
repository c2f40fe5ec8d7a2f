from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.consortia.models import Unit


class UnitForm(forms.ModelForm):
    """Edit a unit; the hidden version detects a concurrent edit."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Unit
        fields = [
            "credit_code", "name", "short_name", "type", "province", "city", "address",
            "website", "description",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"credit_code": _("18 characters, with its check character")}

    def validate_unique(self) -> None:  # the service decides, inside its transaction
        pass
