"""Pages per role, the edit form's hidden version, exact audit entries, import / export."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.cooperation import services
from gongsheng.cooperation.models import Project
from gongsheng.transfer.exporting import export_xlsx
from gongsheng.transfer.importing import run_import
from gongsheng.transfer.resources import RowContext, get_resource


@pytest.mark.parametrize(
    "who,status",
    [("secretariat", 200), ("supervisor", 200), ("observer", 200), ("unit_admin", 200),
     ("other_consortium", 404)],
)  # fmt: skip
def test_pages_render_per_role(world, coop, client, who, status):
    client.force_login(world.users[who])
    a = world.a.pk
    for url in (f"/consortia/{a}/projects/", f"/projects/{coop['project own'].pk}/",
                f"/consortia/{a}/contracts/", f"/consortia/{a}/ip/",
                f"/consortia/{a}/alerts/"):  # fmt: skip
        assert client.get(url).status_code == status, url
    body = client.get(f"/projects/{coop['project own'].pk}/").content.decode()
    if who == "secretariat":
        assert 'data-move="proposed"' in body
    elif status == 200:
        assert "data-move" not in body  # only the secretariat moves projects


def test_the_hidden_version_stops_a_second_clerk(world, project, client):
    client.force_login(world.users["secretariat"])
    url = f"/projects/{project.pk}/edit/"
    form = {"name": "First", "type": "joint_rd", "lead_unit": world.units["ent"].pk,
            "version": project.version, "code": "", "description": ""}  # fmt: skip
    assert client.post(url, form).status_code == 302
    body = client.post(url, {**form, "name": "Second"}).content.decode()
    assert "其他人已修改了这条记录" in body
    assert Project.objects.get(pk=project.pk).name == "First"


def test_an_invalid_move_on_the_page_is_explained(world, project, client):
    client.force_login(world.users["secretariat"])
    r = client.post(
        f"/projects/{project.pk}/move/",
        {"to_status": "closed", "version": project.version},
        follow=True,
    )
    assert '<li class="error">' in r.content.decode()  # the message (translated) is shown
    assert Project.objects.get(pk=project.pk).status == "draft"


def test_audit_entries_of_a_move(world, project):
    before = AuditEntry.objects.count()
    services.project_move(
        actor=world.users["secretariat"],
        project_id=project.pk,
        to_status="proposed",
        version=project.version,
        reason="ready",
    )
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert [e.event_type for e in entries] == [EventType.PROJECT_MOVED]
    e = entries[0]
    assert (e.before["status"], e.after["status"]) == ("draft", "proposed")
    assert e.actor == world.users["secretariat"] and "ready" in e.message


class TestTransfer:
    @pytest.mark.parametrize("lang", ["zh-hans", "en"])
    def test_export_reimports_unchanged(self, world, project, lang):
        services.project_update(actor=SYSTEM, project_id=project.pk, version=None, code="P-1")
        res = get_resource("projects")
        ctx = RowContext(actor=world.users["secretariat"], consortium_id=world.a.pk)
        data = export_xlsx(res, res.export_queryset(world.users["secretariat"], ctx), lang=lang)
        result = run_import(res, filename="p.xlsx", data=data, context=ctx)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)

    def test_import_creates_projects_and_names_bad_cells(self, world):
        res = get_resource("projects")
        ctx = RowContext(actor=world.users["secretariat"], consortium_id=world.a.pk)
        book = Workbook()
        for row in [
            ["code", "name", "type", "lead_credit_code"],
            ["P-9", "Imported", "order_class", world.units["school"].credit_code],
        ]:
            book.active.append(row)  # fmt: skip
        buf = io.BytesIO()
        book.save(buf)
        assert run_import(res, filename="p.xlsx", data=buf.getvalue(), context=ctx).created == 1
        p = Project.objects.get(code="P-9")
        assert p.lead_unit == world.units["school"] and p.status == "draft"
        book.active.append(["P-10", "Bad", "order_class", world.units["x"].credit_code])
        buf = io.BytesIO()
        book.save(buf)
        with pytest.raises(Exception) as exc:
            run_import(res, filename="p.xlsx", data=buf.getvalue(), context=ctx)
        assert "admitted member" in str(getattr(exc.value, "errors", exc.value))
        assert not Project.objects.filter(code="P-10").exists()


def test_contract_export_hides_confidential_columns(world, coop):
    from openpyxl import load_workbook

    res = get_resource("contracts")
    for who, visible in (("supervisor", False), ("unit_admin", True)):
        user = world.users[who]
        ctx = RowContext(actor=user, consortium_id=world.a.pk)
        data = export_xlsx(res, res.export_queryset(user, ctx), lang="en")
        rows = list(load_workbook(io.BytesIO(data)).active.values)
        titles = [r[1] for r in rows[1:]]
        assert ("Blade inspection development" in titles) is visible


def test_recording_a_sublicence_on_the_page_alerts_the_secretariat(world, coop, client):
    from gongsheng.alerts.models import Alert

    asset, u = coop["ip other"], world.units
    client.force_login(world.users["secretariat"])
    url = f"/ip/{asset.pk}/record/licence/"
    common = {"kind": "general", "starts_on": "2025-01-01"}
    client.post(url, {**common, "licensor": u["other"].pk, "licensee": u["ent"].pk})
    assert not Alert.objects.filter(kind="ip_rule_breach").exists()
    client.post(url, {**common, "licensor": u["ent"].pk, "licensee": u["school"].pk})
    assert Alert.objects.filter(kind="ip_rule_breach", unit=u["ent"]).count() == 1
    r = client.post(
        f"/ip/{asset.pk}/record/action/",
        {"unit": u["ent"].pk, "action": "transfer", "on": "2025-02-01"},
    )
    assert r.status_code == 302
    assert Alert.objects.filter(kind="ip_rule_breach", unit=u["ent"]).count() == 2
    html = client.get(f"/ip/{asset.pk}/").content.decode()
    assert html.count("badge expelled") >= 2


def test_htmx_filter_returns_the_project_table(world, coop, client):
    client.force_login(world.users["secretariat"])
    r = client.get(
        f"/consortia/{world.a.pk}/projects/?type=order_class",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="project-table",
    )
    body = r.content.decode()
    assert body.lstrip().startswith('<div id="project-table">') and "Other&#x27;s" in body
    assert "Blade inspection" not in body and "<html" not in body
