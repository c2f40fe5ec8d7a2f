import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from gongsheng.declare.declaration import Declaration, Events, Move, register
from gongsheng.transfer.resources import Column, parse_date, parse_int
from tests.declare_example.models import Notice


class NoticeFilters(django_filters.FilterSet):
    title = django_filters.CharFilter(label=_("title"), lookup_expr="icontains")
    open = django_filters.BooleanFilter(
        label=_("open"), field_name="closed_on", lookup_expr="isnull"
    )

    class Meta:
        model = Notice
        fields = ["title", "open"]


class CloseForm(forms.Form):  # the page's form of the move; the API's body is made from it
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label=_("closed on"))


@register
class NoticeDeclaration(Declaration):
    model = Notice
    name = "notices"  # /consortia/<id>/notices/, /notices/<id>/, /api/notices, resource name
    namespace = "declare_example"
    label = _("Notices")
    id_name = "notice_id"
    fields = ("title", "body", "expires_on")
    events = Events(9901, 9902, 9903)  # test-only; a real app adds them to audit EventType
    moves = (
        Move("close", "tests.declare_example.services.notice_close", label=_("Close"),
             form=CloseForm, event=9904),
    )  # fmt: skip
    filterset = NoticeFilters
    columns = [
        Column("id", _("number"), parse=parse_int),
        Column("title", _("title"), required=True),
        Column("body", _("text")),
        Column("expires_on", _("expires on"), parse=parse_date),
    ]
    detail_template = "declare_example/notice_detail.html"
