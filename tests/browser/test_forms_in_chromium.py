"""The create and edit forms in Debian's chromium: a contract with parties and a benefit rule,
an IP asset with two owners whose shares then change, a shared resource and a quota. Bad input
shows its message at the field (or the row) it concerns, and nothing is saved."""

from __future__ import annotations

from decimal import Decimal

from tests.browser.conftest import login


def _units():
    from gongsheng.consortia.models import Consortium, Unit

    consortium = Consortium.objects.get(code="binjiang-wind")
    units = {u.short_name: u for u in Unit.objects.filter(short_name__in=["滨江风电", "滨江职院"])}
    return consortium, units["滨江风电"], units["滨江职院"]


def _error_at(page, selector: str) -> str:
    """The error list in the form field (or the table row) holding ``selector``."""
    box = page.locator(f".field:has({selector}) .errorlist, tr:has({selector}) .errorlist")
    box.first.wait_for()
    return box.first.inner_text()


def _submit(page, form: str) -> None:
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_contract_with_parties_and_a_fixed_benefit_rule(demo_server, page):
    from gongsheng.cooperation.models import Contract

    consortium, ent, school = _units()
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/consortia/{consortium.pk}/contracts/")
    page.click("#new-contract")
    page.fill("#id_code", "HT-浏览器-1")
    page.fill("#id_title", "叶片检测合作开发（浏览器测试）")
    page.select_option("#id_type", "cooperative_dev")
    page.select_option("#id_benefit_method", "fixed")
    page.fill("#id_value", "500000")
    page.select_option("#id_parties-0-unit", str(ent.pk))
    page.select_option("#id_parties-0-role", "co_developer")
    page.fill("#id_parties-0-share", "0.6")
    page.select_option("#id_parties-1-unit", str(ent.pk))  # the same unit twice: refused
    page.select_option("#id_parties-1-role", "co_developer")
    page.fill("#id_parties-1-share", "1.4")  # and a share above 1
    _submit(page, "#contract-form")
    assert _error_at(page, "#id_parties-1-share")  # above 1, beside the share
    assert not Contract.objects.filter(code="HT-浏览器-1").exists()

    page.fill("#id_parties-1-share", "0.4")
    _submit(page, "#contract-form")
    assert _error_at(page, "#id_parties-1-unit")  # the unit named twice, beside its row
    assert not Contract.objects.filter(code="HT-浏览器-1").exists()

    page.select_option("#id_parties-1-unit", str(school.pk))
    _submit(page, "#contract-form")
    page.wait_for_selector("#edit-contract")
    contract = Contract.objects.get(code="HT-浏览器-1")
    assert contract.benefit_method == "fixed" and contract.value == Decimal(500000)
    assert {(p.unit_id, p.share) for p in contract.parties.all()} == {
        (ent.pk, Decimal("0.6")), (school.pk, Decimal("0.4")),
    }  # fmt: skip

    # the benefit rule on the contract's page: 100000 split 60 : 40
    page.fill("input[name=total]", "100000")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#split")
    split = page.locator("#split").inner_text()
    assert "60000.00" in split.replace(",", "") and "40000.00" in split.replace(",", "")


def test_an_ip_asset_with_two_owners_whose_shares_change(demo_server, page):
    from gongsheng.cooperation.models import IPAsset, IPRecordedAction

    consortium, ent, school = _units()
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/consortia/{consortium.pk}/ip/")
    page.click("#new-ip")
    page.fill("#id_title", "叶片裂纹检测方法（浏览器测试）")
    page.select_option("#id_kind", "patent_application")
    page.select_option("#id_origin", "cooperative")
    page.fill("#id_number", "CN2026-浏览器")
    page.select_option("#id_owners-0-unit", str(ent.pk))
    page.fill("#id_owners-0-share", "0.5")
    page.select_option("#id_owners-1-unit", str(school.pk))
    page.fill("#id_owners-1-share", "0.4")
    _submit(page, "#ip-form")
    page.wait_for_selector("#owner-errors")
    assert "90 %" in page.locator("#ip-owners #owner-errors").inner_text()
    assert not IPAsset.objects.filter(number="CN2026-浏览器").exists()

    page.fill("#id_owners-1-share", "0.5")
    _submit(page, "#ip-form")
    page.wait_for_selector("#edit-ip")
    asset = IPAsset.objects.get(number="CN2026-浏览器")
    assert {o.unit_id: o.share for o in asset.owners.all()} == {
        ent.pk: Decimal("0.5"), school.pk: Decimal("0.5"),
    }  # fmt: skip

    # the edit page changes the shares: the enterprise passes 20 % to the school
    page.click("#edit-ip")
    assert page.locator("#id_owners-0-share").input_value() in ("0.5", "0.5000")
    page.select_option("#id_owners-0-unit", str(ent.pk))
    page.fill("#id_owners-0-share", "0.3")
    page.select_option("#id_owners-1-unit", str(school.pk))
    page.fill("#id_owners-1-share", "0.6")
    _submit(page, "#ip-form")
    assert "90 %" in page.locator("#owner-errors").inner_text()  # still refused at the owners
    page.fill("#id_owners-1-share", "0.7")
    page.check("#id_consent_obtained")
    _submit(page, "#ip-form")
    page.wait_for_selector("#edit-ip")
    asset.refresh_from_db()
    assert {o.unit_id: o.share for o in asset.owners.all()} == {
        ent.pk: Decimal("0.3"), school.pk: Decimal("0.7"),
    }  # fmt: skip
    rec = IPRecordedAction.objects.get(asset=asset)
    assert (rec.unit_id, rec.action, rec.consent_obtained) == (ent.pk, "transfer", True)


def test_a_shared_resource_and_a_quota(demo_server, page):
    from gongsheng.sharing.models import Quota, SharedResource

    consortium, ent, school = _units()
    login(page, demo_server, "secretariat")
    page.goto(f"{demo_server.url}/consortia/{consortium.pk}/resources/")
    page.click("#new-resource")
    page.select_option("#id_owner", str(school.pk))
    page.fill("#id_code", "无效 代码!")  # not a slug
    page.fill("#id_name", "风电运维实训室（浏览器测试）")
    page.select_option("#id_kind", "training_base")
    page.fill("#id_capacity", "-1")  # not a positive number
    _submit(page, "#resource-form")
    assert _error_at(page, "#id_code")
    assert _error_at(page, "#id_capacity")
    assert not SharedResource.objects.filter(name="风电运维实训室（浏览器测试）").exists()

    page.fill("#id_code", "wind-om-lab-browser")
    page.fill("#id_capacity", "2")
    page.fill("#id_opening_hours", '{"1": [["08:00", "12:00"]], "8": [["09:00", "10:00"]]}')
    _submit(page, "#resource-form")
    assert "8" in _error_at(page, "#id_opening_hours")  # weekday 8 does not exist
    page.fill("#id_opening_hours", '{"1": [["08:00", "12:00"]], "3": [["14:00", "18:00"]]}')
    _submit(page, "#resource-form")
    page.wait_for_selector("#edit-resource")
    resource = SharedResource.objects.get(code="wind-om-lab-browser")
    assert resource.owner_id == school.pk and resource.capacity == 2

    page.goto(f"{demo_server.url}/consortia/{consortium.pk}/quotas/")
    page.select_option("#id_unit", str(ent.pk))
    page.select_option("#id_resource", str(resource.pk))
    page.select_option("#id_owner", str(school.pk))  # both a resource and an owner: refused
    page.select_option("#id_period", "month")
    page.fill("#id_hours", "12")
    _submit(page, "#quota-form")
    assert _error_at(page, "#id_resource")
    assert not Quota.objects.filter(resource=resource).exists()
    page.select_option("#id_owner", "")
    _submit(page, "#quota-form")
    page.wait_for_selector(f"#quota-table td:has-text('{resource.name}')")
    quota = Quota.objects.get(resource=resource)
    assert (quota.unit_id, quota.period, quota.hours) == (ent.pk, "month", Decimal(12))
