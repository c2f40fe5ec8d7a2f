"""Two optional attributes of a declaration: ``own_pages`` (pages the app serves itself under
the same URL name) and ``table_name`` (the import/export table's name when it is not the
declaration's ``name``). Their defaults leave other models as they were."""

from __future__ import annotations

from django.urls import resolve, reverse

from gongsheng.declare.declaration import Declaration, declaration_for
from gongsheng.declare.views import urlpatterns
from gongsheng.sharing.models import Quota, SharedResource
from gongsheng.transfer.resources import get_resource


def test_the_defaults_change_nothing():
    assert Declaration.own_pages == () and Declaration.table_name == ""
    quotas = declaration_for(Quota)
    assert quotas.table == "quotas" and get_resource("quotas").declaration is quotas
    names = {p.name for p in urlpatterns(quotas)}
    assert {"quotas", "quota_create", "quota_detail", "quota_edit", "quota_delete"} == names


def test_own_pages_are_left_to_the_app_under_their_url_name():
    resources = declaration_for(SharedResource)
    names = {p.name for p in urlpatterns(resources)}
    assert names == {"catalogue", "resource_create", "resource_edit"}  # no detail, no delete
    match = resolve(reverse("sharing:resource", args=[7]))
    assert match.func.__module__ == "gongsheng.sharing.views"
    assert resolve(reverse("sharing:resource_edit", args=[7])).func.__module__ == (
        "gongsheng.declare.views"
    )


def test_the_table_keeps_its_own_name():
    resources = declaration_for(SharedResource)
    assert resources.table == "shared_resources"
    assert get_resource("shared_resources").declaration is resources
    from gongsheng.core.errors import NotFound

    try:
        get_resource("resources")
    except NotFound:
        pass
    else:
        raise AssertionError("the table is registered under the declaration's name too")
