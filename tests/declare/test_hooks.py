"""The declaration's optional parts keep a model that does not use them unchanged, and do
what they say for one that does (the contract and the IP asset use them)."""

from __future__ import annotations

import pytest
from django.utils import translation

from gongsheng.access.actors import SYSTEM
from gongsheng.cooperation.models import IPAsset
from gongsheng.declare import services
from gongsheng.declare.declaration import declaration_for
from gongsheng.transfer.resources import get_resource
from tests.declare_example.models import Notice

pytestmark = pytest.mark.django_db


def test_the_defaults_keep_names_and_the_standard_update(world):
    decl = declaration_for(Notice)
    assert (decl.api_segment, decl.table, decl.events.deleted) == ("notices", "notices", 9903)
    notice = services.create(decl, actor=SYSTEM, title="Open day", consortium_id=world.a.pk)
    changed = services.update_record(decl, actor=SYSTEM, pk=notice.pk, version=1, title="New")
    assert (changed.title, changed.version) == ("New", 2)
    assert decl.for_viewer(Notice.objects.all(), None).query.annotations == {}
    with translation.override("zh-hans"):
        assert decl.saved_message(changed, created=False) == "已保存。"


def test_a_declaration_names_its_api_and_table_apart_from_its_pages():
    decl = declaration_for(IPAsset)
    assert (decl.name, decl.api_segment, decl.table) == ("ip", "ip-assets", "ip_assets")
    resource = get_resource("ip_assets")
    assert resource.declaration is decl and resource.key == "number"
    assert decl.events.deleted is None and not decl.deletable


def test_update_service_is_what_the_page_and_patch_call(world, monkeypatch):
    decl = declaration_for(IPAsset)
    called = {}

    def service(**kwargs):
        called.update(kwargs)
        return "done"

    monkeypatch.setattr(type(decl), "update_service", staticmethod(service))
    assert services.update_record(decl, actor=SYSTEM, pk=7, version=3, title="T") == "done"
    assert called == {"actor": SYSTEM, "asset_id": 7, "version": 3, "title": "T"}
