from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.notifications import events
from gongsheng.notifications.models import ChatKind


class ChatChannelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=ChatKind.choices)
    key = forms.CharField(
        label=_("webhook key or URL"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to keep the stored key."),
    )
    secret = forms.CharField(
        label=_("signing secret"),
        max_length=200,
        required=False,
        help_text=_("DingTalk only: the robot's signing secret (加签), if it has one."),
    )
    unit = forms.TypedChoiceField(label=_("unit"), coerce=int, required=False, empty_value=None)
    events = forms.MultipleChoiceField(
        label=_("events"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args: Any, units: list[tuple[int, str]], new: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("the whole consortium")), *units]
        self.fields["events"].choices = [(k.key, k.label) for k in events.all_kinds()]
        if new:
            self.fields["key"].required = True
            self.fields["key"].help_text = _(
                "The key (or the whole webhook address) the group's bot settings show."
            )

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "kind": d["kind"],
            "key": d["key"],
            "secret": d["secret"],
            "unit_id": d["unit"],
            "events": list(d["events"]),
            "is_active": d["is_active"],
        }
