"""Pages: each role gets its pages in Chinese (English on request), with a query count that does
not grow with the rows shown, and concurrent edits refused with a clear message."""

from __future__ import annotations

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia import services
from gongsheng.consortia.models import Unit
from tests.support.queries import assert_constant_queries
from tests.support.world import code


def _grow(world, n: int):
    def grow():
        for i in range(n):
            unit = services.unit_create(
                actor=SYSTEM,
                consortium_id=world.a.pk,
                credit_code=code(500 + i),
                name=f"Grown {i}",
                type="enterprise",
            )
            services.contact_create(actor=SYSTEM, unit_id=unit.pk, name=f"C{i}")

    return grow


class TestPagesRender:
    @pytest.mark.parametrize("role", ["secretariat", "supervisor", "observer", "unit_member"])
    def test_every_page_renders_for_every_role(self, world, client, role):
        client.force_login(world.users[role])
        a = world.a.pk
        ent = world.units["ent"].pk
        for url in [
            "/consortia/",
            f"/consortia/{a}/",
            f"/consortia/{a}/units/",
            f"/units/{ent}/",
            "/audit/",
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "联合体" in response.content.decode()

    def test_english_switch(self, world, client):
        client.force_login(world.users["secretariat"])
        client.post("/i18n/setlang/", {"language": "en", "next": "/consortia/"})
        body = client.get(f"/consortia/{world.a.pk}/units/").content.decode()
        assert "Member units" in body and "成员单位" not in body

    def test_login_required_and_other_consortium_is_404(self, world, client):
        assert client.get("/consortia/").status_code == 302
        client.force_login(world.users["unit_admin"])
        assert client.get(f"/consortia/{world.b.pk}/").status_code == 404
        assert client.get(f"/units/{world.units['x'].pk}/").status_code == 404

    def test_contacts_hidden_from_other_units(self, world, client):
        client.force_login(world.users["school_admin"])
        body = client.get(f"/units/{world.units['ent'].pk}/").content.decode()
        assert "Contact ent" not in body and "个人信息" in body
        client.force_login(world.users["unit_member"])
        assert "Contact ent" in client.get(f"/units/{world.units['ent'].pk}/").content.decode()

    def test_htmx_filter_returns_the_table_fragment(self, world, client):
        client.force_login(world.users["secretariat"])
        r = client.get(
            f"/consortia/{world.a.pk}/units/?type=higher_vocational",
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="unit-table",
        )
        body = r.content.decode()
        assert body.lstrip().startswith('<div id="unit-table">') and "Unit school" in body
        assert "Unit ent" not in body and "<html" not in body


class TestQueryCounts:
    @pytest.mark.parametrize(
        "url",
        ["/consortia/", "/consortia/{a}/", "/consortia/{a}/units/", "/audit/", "/units/{ent}/"],
    )
    def test_pages_do_not_query_per_row(self, world, client, url):
        client.force_login(world.users["secretariat"])
        target = url.format(a=world.a.pk, ent=world.units["ent"].pk)
        assert_constant_queries(lambda: client.get(target), _grow(world, 12))

    @pytest.mark.parametrize("url", ["/api/units?consortium={a}", "/api/memberships", "/api/audit"])
    def test_api_lists_do_not_query_per_row(self, world, client, url):
        client.force_login(world.users["secretariat"])
        target = url.format(a=world.a.pk)
        assert_constant_queries(lambda: client.get(target), _grow(world, 12))


class TestEditing:
    def test_second_clerk_is_told_and_nothing_is_overwritten(self, world, client):
        unit = world.units["ent"]
        url = f"/units/{unit.pk}/edit/"
        form = {
            "credit_code": unit.credit_code,
            "name": unit.name,
            "type": unit.type,
            "version": unit.version,
        }
        client.force_login(world.users["secretariat"])
        first = client.post(url, {**form, "city": "第一位"})
        assert first.status_code == 302
        client.force_login(world.users["unit_admin"])
        second = client.post(url, {**form, "city": "第二位"})
        assert second.status_code == 200
        assert "其他人已修改" in second.content.decode()
        assert Unit.objects.get(pk=unit.pk).city == "第一位"

    def test_bad_input_is_shown_beside_the_field(self, world, client):
        unit = world.units["ent"]
        client.force_login(world.users["secretariat"])
        r = client.post(
            f"/units/{unit.pk}/edit/",
            {"credit_code": "123", "name": unit.name, "type": unit.type, "version": unit.version},
        )
        assert r.status_code == 200 and "18" in r.content.decode()
        assert Unit.objects.get(pk=unit.pk).credit_code == unit.credit_code

    def test_forms_carry_csrf_tokens(self, world):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users["secretariat"])
        unit = world.units["ent"]
        r = client.post(f"/units/{unit.pk}/edit/", {"name": "x", "version": unit.version})
        assert r.status_code == 403
        assert (
            'name="csrfmiddlewaretoken"' in client.get(f"/units/{unit.pk}/edit/").content.decode()
        )


class TestImportPage:
    def test_bad_cells_are_listed_and_nothing_changes(self, world, client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.transfer.test_import_export import xlsx

        client.force_login(world.users["secretariat"])
        before = Unit.objects.count()
        upload = SimpleUploadedFile(
            "u.xlsx",
            xlsx(
                [["统一社会信用代码", "名称", "类型"], ["bad", "X", "企业"], [code(90), "", "企业"]]
            ),
        )
        r = client.post(f"/consortia/{world.a.pk}/import/", {"resource": "units", "file": upload})
        body = r.content.decode()
        assert r.status_code == 422 and "未导入任何数据" in body
        assert body.count("<tr><td>2</td>") == 1 and body.count("<tr><td>3</td>") == 1
        assert Unit.objects.count() == before

    def test_read_only_roles_get_no_import_page(self, world, client):
        for user in ("observer", "supervisor"):
            client.force_login(world.users[user])
            assert client.get(f"/consortia/{world.a.pk}/import/").status_code == 403

    def test_template_download(self, world, client):
        client.force_login(world.users["secretariat"])
        r = client.get(f"/consortia/{world.a.pk}/import/?template=units")
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
