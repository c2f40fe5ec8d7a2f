"""Import and export of contracts, IP assets and licences: round trips change nothing (in both
languages), rows go through the services (versions, IP rules, alerts), every bad cell is named
by row and column, and a file with any problem writes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from gongsheng.access.actors import SYSTEM
from gongsheng.alerts.models import Alert
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.cooperation import services
from gongsheng.cooperation.models import Contract, IPAsset, IPRecordedAction, Licence
from gongsheng.core.context import request_scope
from gongsheng.transfer.exporting import export_xlsx
from gongsheng.transfer.importing import ImportFailed, run_import
from gongsheng.transfer.resources import RowContext, get_resource

pytestmark = pytest.mark.django_db


def _book(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zh(resource: str, *names: str) -> list[str]:
    """The Chinese headers of the named columns, as a template written in Chinese has them."""
    res = get_resource(resource)
    return [res.column(n).header("zh-hans") for n in names]


def _run(world, resource, data, user="secretariat"):
    with request_scope(), translation.override("en"):
        return run_import(
            get_resource(resource), filename="t.xlsx", data=data,
            context=RowContext(actor=world.users[user], consortium_id=world.a.pk),
        )  # fmt: skip


def _problems(exc) -> set[tuple[int | None, str]]:
    return {(e.row, e.field) for e in exc.value.errors}


def _export(world, resource, lang, user="secretariat"):
    res = get_resource(resource)
    ctx = RowContext(actor=world.users[user], consortium_id=world.a.pk)
    return export_xlsx(res, res.export_queryset(world.users[user], ctx), lang=lang)


# --- contracts ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_contract_export_reimports_unchanged(world, coop, lang):
    services.contract_update(actor=SYSTEM, contract_id=coop["contract other"].pk, version=None,
                             code="HT-2")  # fmt: skip
    versions = {c.pk: c.version for c in Contract.objects.all()}
    with translation.override(lang):
        data = _export(world, "contracts", lang)
    result = _run(world, "contracts", data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert {c.pk: c.version for c in Contract.objects.all()} == versions


def test_contracts_import_with_chinese_headers_and_update_by_number(world, coop):
    u = world.units
    header = _zh("contracts", "code", "title", "type", "parties", "value", "signed_on")
    assert "编号" in header and "当事方" in header
    data = _book([
        header,
        ["HT-7", "传感器合作开发", "合作开发",
         f"{u['ent'].credit_code}=合作开发方 70%；{u['school'].credit_code}=co-developer 30%",
         120000, "2025-03-01"],
        ["HT-1", "Blade inspection development, amended", "commissioned development",
         f"{u['ent'].credit_code}=commissioning 60%; {u['school'].credit_code}=developer 40%",
         300000, ""],
    ])  # fmt: skip
    result = _run(world, "contracts", data)
    assert (result.created, result.updated) == (1, 1)
    new = Contract.objects.get(code="HT-7")
    assert new.type == "cooperative_dev" and new.value == Decimal(120000)
    assert {(p.unit_id, p.role, p.share) for p in new.parties.all()} == {
        (u["ent"].pk, "co_developer", Decimal("0.7")),
        (u["school"].pk, "co_developer", Decimal("0.3")),
    }
    old = Contract.objects.get(code="HT-1")
    assert old.title.endswith("amended") and old.versions.count() == 2
    assert AuditEntry.objects.filter(event_type=EventType.CONTRACT_CREATED,
                                     object_id=new.pk).exists()  # fmt: skip


def test_a_contract_import_is_all_or_nothing_and_names_every_bad_cell(world, coop):
    u = world.units
    data = _book([
        ["code", "title", "type", "parties", "ends_on", "starts_on"],
        ["HT-8", "Good one", "internship",
         f"{u['other'].credit_code}=enterprise; {u['school'].credit_code}=school", "", ""],
        ["HT-9", "Bad parties", "internship",
         f"{u['x'].credit_code}=enterprise; {u['school'].credit_code}=rocketeer", "", ""],
        ["HT-10", "Bad term", "no such type",
         f"{u['other'].credit_code}=party; {u['school'].credit_code}=party",
         "2025-01-01", "2025-06-01"],
        ["HT-11", "One party", "framework", f"{u['other'].credit_code}=party", "", ""],
    ])  # fmt: skip
    with pytest.raises(ImportFailed) as exc:
        _run(world, "contracts", data)
    problems = _problems(exc)
    assert {(3, "parties"), (4, "type"), (4, "ends_on"), (5, "parties")} <= problems
    assert all(e.column for e in exc.value.errors)
    assert not Contract.objects.filter(code__in=["HT-8", "HT-9", "HT-10", "HT-11"]).exists()


def test_a_problem_only_the_service_finds_rolls_back_the_rows_before_it(world, coop):
    u = world.units
    data = _book([
        ["code", "title", "type", "parties"],
        ["HT-8", "Good one", "internship",
         f"{u['other'].credit_code}=enterprise; {u['school'].credit_code}=school"],
        ["HT-9", "Too generous", "framework",
         f"{u['other'].credit_code}=party 70%; {u['school'].credit_code}=party 50%"],
    ])  # fmt: skip
    with pytest.raises(ImportFailed) as exc:
        _run(world, "contracts", data)
    assert _problems(exc) == {(3, "parties")}
    assert exc.value.errors[0].column == "parties"
    assert not Contract.objects.filter(code__in=["HT-8", "HT-9"]).exists()
    assert not AuditEntry.objects.filter(event_type=EventType.CONTRACT_CREATED,
                                         object_repr="Good one").exists()  # fmt: skip


def test_a_contract_import_needs_the_right_to_change_an_existing_contract(world, coop):
    u = world.units
    data = _book([
        ["code", "title", "type", "parties"],
        ["HT-1", "Taken over", "commissioned_dev",
         f"{u['ent'].credit_code}=commissioning; {u['school'].credit_code}=developer"],
    ])  # fmt: skip
    with pytest.raises(ImportFailed) as exc:
        _run(world, "contracts", data, user="unit_admin")
    assert _problems(exc) == {(2, "code")}
    assert Contract.objects.get(code="HT-1").title == "Blade inspection development"


# --- IP assets ---------------------------------------------------------------------------
def test_ip_assets_import_with_owners_and_a_change_of_shares_is_checked(world, coop):
    u = world.units
    header = _zh("ip_assets", "number", "title", "kind", "owners", "value")
    data = _book([
        header,
        ["ZL-1", "叶片检测装置", "发明专利",
         f"{u['ent'].credit_code}=60%; {u['school'].credit_code}=40%", 50000],
    ])  # fmt: skip
    assert _run(world, "ip_assets", data).created == 1
    asset = IPAsset.objects.get(number="ZL-1")
    assert asset.kind == "patent" and asset.value == Decimal(50000)
    assert {o.unit_id: o.share for o in asset.owners.all()} == {
        u["ent"].pk: Decimal("0.6"), u["school"].pk: Decimal("0.4"),
    }  # fmt: skip
    # the same file again changes nothing; new shares are a transfer by ent, checked
    assert _run(world, "ip_assets", data).unchanged == 1
    data = _book(
        [
            header,
            [
                "ZL-1",
                "叶片检测装置",
                "发明专利",
                f"{u['ent'].credit_code}=20%; {u['school'].credit_code}=80%",
                50000,
            ],
        ]
    )
    assert _run(world, "ip_assets", data).updated == 1
    rec = IPRecordedAction.objects.get(asset=asset)
    assert (rec.unit_id, rec.action, rec.outcome) == (u["ent"].pk, "transfer", "consent")
    assert Alert.objects.filter(kind="ip_rule_breach", unit=u["ent"]).count() == 1
    assert AuditEntry.objects.filter(event_type=EventType.IP_OWNERS_CHANGED).count() == 1


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_ip_asset_export_reimports_unchanged(world, coop, lang):
    for a in IPAsset.objects.filter(consortium=world.a):
        services.ip_asset_update(actor=SYSTEM, asset_id=a.pk, version=None, number=f"N-{a.pk}")
    with translation.override(lang):
        data = _export(world, "ip_assets", lang)
    result = _run(world, "ip_assets", data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_ip_owner_problems_are_named_per_row_and_nothing_is_written(world, coop):
    u = world.units
    data = _book([
        ["number", "title", "kind", "owners"],
        ["ZL-2", "Fine", "utility model", f"{u['ent'].credit_code}=100%"],
        ["ZL-3", "Short", "patent", f"{u['ent'].credit_code}=50%; {u['school'].credit_code}=40%"],
        ["ZL-4", "Stranger", "patent", f"{u['x'].credit_code}=100%"],
        ["ZL-5", "Fractions", "patent", f"{u['ent'].credit_code}=0.5"],
        ["ZL-6", "No owners", "patent", ""],
    ])  # fmt: skip
    with pytest.raises(ImportFailed) as exc:
        _run(world, "ip_assets", data)
    assert _problems(exc) == {(3, "owners"), (4, "owners"), (5, "owners"), (6, "owners")}
    messages = {e.row: str(e.message) for e in exc.value.errors}
    assert "90 %" in messages[3] and "per cent" in messages[5]
    assert not IPAsset.objects.filter(number__startswith="ZL-").exists()


# --- licences ----------------------------------------------------------------------------
def _asset_numbers(coop):
    for key in ("ip other", "ip own"):
        services.ip_asset_update(actor=SYSTEM, asset_id=coop[key].pk, version=None,
                                 number=key.replace(" ", "-"))  # fmt: skip


def test_an_imported_sublicence_that_breaks_the_rules_alerts_like_the_page(world, coop):
    _asset_numbers(coop)
    u = world.units
    header = _zh("licences", "asset", "licensor", "licensee", "kind", "starts_on",
                 "may_sublicense", "field_of_use", "territory")  # fmt: skip
    data = _book([
        header,
        ["ip-other", u["other"].credit_code, u["ent"].credit_code, "普通许可", "2025-01-01",
         "否", "风电运维", "福建省"],
        ["ip-other", u["ent"].credit_code, u["school"].credit_code, "general", "2025-02-01",
         "no", "", ""],
    ])  # fmt: skip
    result = _run(world, "licences", data)
    assert result.created == 2
    first, second = Licence.objects.filter(asset=coop["ip other"]).order_by("pk")
    assert (first.field_of_use, first.territory) == ("风电运维", "福建省")
    assert second.parent_id == first.pk  # ent is no owner: a sublicence under its licence
    alert = Alert.objects.get(kind="ip_rule_breach")
    assert alert.unit_id == u["ent"].pk and alert.severity == "critical"


def test_a_licence_import_with_a_bad_row_writes_nothing_and_raises_no_alert(world, coop):
    _asset_numbers(coop)
    u = world.units
    data = _book([
        ["asset", "licensor", "licensee", "kind", "starts_on", "ends_on"],
        ["ip-other", u["ent"].credit_code, u["school"].credit_code, "general", "2025-02-01", ""],
        ["no-such", u["ent"].credit_code, u["x"].credit_code, "forever", "2025-02-01",
         "2024-01-01"],
        ["ip-other", u["ent"].credit_code, u["ent"].credit_code, "general", "someday", ""],
    ])  # fmt: skip
    with pytest.raises(ImportFailed) as exc:
        _run(world, "licences", data)
    assert {(3, "asset"), (3, "licensee"), (3, "kind"), (3, "ends_on"), (4, "licensee"),
            (4, "starts_on")} <= _problems(exc)  # fmt: skip
    assert not Licence.objects.exists()
    assert not Alert.objects.filter(kind="ip_rule_breach").exists()
    assert not IPRecordedAction.objects.exists()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_licence_export_reimports_unchanged_and_a_changed_row_is_refused(world, coop, lang):
    import datetime as dt

    _asset_numbers(coop)
    u = world.units
    lic = services.licence_grant(
        actor=SYSTEM, asset_id=coop["ip other"].pk, licensor_id=u["other"].pk,
        licensee_id=u["ent"].pk, kind="sole", starts_on=dt.date(2025, 1, 1),
        territory="福州", may_sublicense=True,
    )  # fmt: skip
    with translation.override(lang):
        data = _export(world, "licences", lang)
    assert _run(world, "licences", data).unchanged == 1
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    kind_col = [c.value for c in sheet[1]].index(
        get_resource("licences").column("kind").header(lang)
    )
    sheet.cell(row=2, column=kind_col + 1, value="exclusive")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportFailed) as exc:
        _run(world, "licences", out.getvalue())
    assert _problems(exc) == {(2, "kind")}
    assert Licence.objects.get(pk=lic.pk).kind == "sole"


def test_the_import_page_lists_the_new_tables(world, client):
    client.force_login(world.users["secretariat"])
    html = client.get(f"/consortia/{world.a.pk}/import/").content.decode()
    for name in ("contracts", "ip_assets", "licences", "bookings"):
        assert f'value="{name}"' in html and f"?template={name}" in html
    r = client.get(f"/consortia/{world.a.pk}/import/?template=licences&lang=zh-hans")
    assert r.status_code == 200
    sheets = load_workbook(io.BytesIO(r.content)).sheetnames
    assert len(sheets) == 2


@pytest.mark.parametrize("resource", ["contracts", "ip_assets", "licences"])
def test_exports_take_constant_queries(world, coop, resource):
    import datetime as dt

    from tests.support.queries import assert_constant_queries

    u, sec = world.units, world.users["secretariat"]

    def grow():
        for i in range(3):
            c = services.contract_create(
                actor=SYSTEM, consortium_id=world.a.pk, title=f"More {i}", code=f"M-{i}",
                type="framework",
                parties=[{"unit_id": u["ent"].pk, "role": "party", "share": Decimal("0.5")},
                         {"unit_id": u["other"].pk, "role": "party"}],
            )  # fmt: skip
            a = services.ip_asset_create(
                actor=SYSTEM, consortium_id=world.a.pk, title=f"More {i}", kind="patent",
                number=f"M-{i}", contract_id=c.pk,
                owners=[(u["ent"].pk, Decimal("0.5")), (u["other"].pk, Decimal("0.5"))],
            )  # fmt: skip
            services.licence_grant(actor=SYSTEM, asset_id=a.pk, licensor_id=u["ent"].pk,
                                   licensee_id=u["school"].pk, kind="general",
                                   starts_on=dt.date(2025, 1, 1))  # fmt: skip

    assert_constant_queries(lambda: _export(world, resource, "en"), grow)
    assert sec  # exported as the secretariat (see _export)


def test_licence_export_hides_terms_from_those_who_see_only_that_it_exists(world, coop):
    import datetime as dt

    _asset_numbers(coop)
    u = world.units
    services.licence_grant(actor=SYSTEM, asset_id=coop["ip other"].pk, licensor_id=u["other"].pk,
                           licensee_id=u["school"].pk, kind="general", territory="福州",
                           starts_on=dt.date(2025, 1, 1))  # fmt: skip
    res = get_resource("licences")
    territory = [c.name for c in res.columns].index("territory")
    for who, expected in (("secretariat", ["福州"]), ("supervisor", [""]), ("unit_admin", []),
                          ("other_consortium", [])):  # fmt: skip
        rows = list(load_workbook(io.BytesIO(_export(world, "licences", "en", who))).active.values)
        assert [r[territory] or "" for r in rows[1:]] == expected, who
