"""Contracts (versions, obligations, benefit sharing) and recorded IP actions with alerts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.alerts.models import Alert
from gongsheng.cooperation import selectors, services
from gongsheng.cooperation.models import ContractVersion, IPRecordedAction
from gongsheng.core.errors import Conflict, Forbidden, ValidationFailed

D = dt.date(2025, 6, 1)


class TestContracts:
    def test_each_change_keeps_a_version(self, world, coop):
        c = coop["contract own"]
        sec = world.users["secretariat"]
        c2 = services.contract_update(actor=sec, contract_id=c.pk, version=c.version,
                                      value=Decimal("350000"), note="price revised")  # fmt: skip
        versions = list(ContractVersion.objects.filter(contract=c).order_by("number"))
        assert [v.number for v in versions] == [1, 2]
        assert Decimal(versions[0].data["value"]) == 300000 and versions[1].note == "price revised"
        assert Decimal(versions[0].data["parties"][0]["share"]) == Decimal("0.6")
        with pytest.raises(Conflict):
            services.contract_update(actor=sec, contract_id=c.pk, version=c.version, value=1)
        assert c2.version == 2

    def test_parties_are_checked(self, world):
        with pytest.raises(ValidationFailed) as exc:
            services.contract_create(
                actor=world.users["secretariat"], consortium_id=world.a.pk, title="x",
                type="framework",
                parties=[{"unit_id": world.units["ent"].pk, "role": "party", "share": "0.8"},
                         {"unit_id": world.units["school"].pk, "role": "party", "share": "0.5"}],
            )  # fmt: skip
        assert "more than 1" in str(exc.value.errors[0].message)

    def test_obligations_are_for_parties_and_get_fulfilled(self, world, coop):
        c, sec = coop["contract own"], world.users["secretariat"]
        with pytest.raises(ValidationFailed):
            services.obligation_add(actor=sec, contract_id=c.pk, unit_id=world.units["other"].pk,
                                    description="x", due_on=D)  # fmt: skip
        ob = services.obligation_add(actor=sec, contract_id=c.pk,
                                     unit_id=world.units["school"].pk,
                                     description="Deliver the method", due_on=D)  # fmt: skip
        assert services.obligation_fulfil(actor=sec, obligation_id=ob.pk, on=D).fulfilled_on == D

    def test_a_unit_outside_the_contract_cannot_change_it(self, world, coop):
        with pytest.raises(Exception) as exc:
            services.contract_update(actor=world.users["unit_admin"],
                                     contract_id=coop["contract other"].pk, version=None,
                                     value=1)  # fmt: skip
        assert type(exc.value).__name__ in ("NotFound", "Forbidden")

    def test_fixed_shares(self, world, coop):
        split = selectors.benefit_split(user=world.users["unit_admin"],
                                        contract_id=coop["contract own"].pk,
                                        total=Decimal("1000"))  # fmt: skip
        assert [a for _p, a in split] == [Decimal("600.00"), Decimal("400.00")]

    def test_by_input_uses_the_ledger_of_the_project(self, world, coop):
        c, sec = coop["contract own"], world.users["secretariat"]
        p = coop["project own"]
        services.input_record(actor=sec, project_id=p.pk, unit_id=world.units["school"].pk,
                              category="money", actual=Decimal(15), on=D)  # fmt: skip
        p.refresh_from_db()
        for step in ("proposed", "feasibility", "approved"):
            p = services.project_move(actor=sec, project_id=p.pk, to_status=step,
                                      version=p.version)  # fmt: skip
        services.contract_update(actor=sec, contract_id=c.pk, version=None,
                                 benefit_method="by_input", project_id=p.pk)  # fmt: skip
        split = selectors.benefit_split(user=sec, contract_id=c.pk, total=Decimal("100"))
        assert [a for _p, a in split] == [Decimal("25.00"), Decimal("75.00")]  # 5 : 15

    def test_the_allocation_engine(self, world, coop):
        pytest.importorskip("gongsheng.analytics.allocation")
        c, sec = coop["contract own"], world.users["secretariat"]
        services.contract_update(
            actor=sec,
            contract_id=c.pk,
            version=None,
            benefit_method="shapley",
            project_id=coop["project own"].pk,
        )
        split = selectors.benefit_split(user=sec, contract_id=c.pk, total=Decimal("100"))
        assert sum(a for _p, a in split) == Decimal("100.00") or all(a == 0 for _p, a in split)

    def test_benefit_split_needs_the_contents(self, world, coop):
        with pytest.raises(Forbidden):
            selectors.benefit_split(
                user=world.users["supervisor"],
                contract_id=coop["contract own"].pk,
                total=Decimal(1),
            )


class TestIPActions:
    def _general_licence(self, world, coop):
        return services.licence_grant(
            actor=world.users["secretariat"], asset_id=coop["ip other"].pk,
            licensor_id=world.units["other"].pk, licensee_id=world.units["ent"].pk,
            kind="general", starts_on=D, field_of_use="wind blades", territory="province",
        )  # fmt: skip

    def test_a_licence_by_the_sole_owner_is_fine(self, world, coop):
        self._general_licence(world, coop)
        rec = IPRecordedAction.objects.get()
        assert (rec.action, rec.outcome) == ("license", "allowed")
        assert not Alert.objects.filter(kind="ip_rule_breach").exists()

    def test_a_general_licensee_sublicensing_raises_an_alert(self, world, coop, client):
        parent = self._general_licence(world, coop)
        sub = services.licence_grant(
            actor=world.users["unit_admin"], asset_id=coop["ip other"].pk,
            licensor_id=world.units["ent"].pk, licensee_id=world.units["school"].pk,
            kind="general", starts_on=D + dt.timedelta(days=30),
        )  # fmt: skip
        assert sub.parent_id == parent.pk
        rec = IPRecordedAction.objects.get(licence=sub)
        assert (rec.action, rec.outcome) == ("sublicense", "forbidden")
        alert = Alert.objects.get(kind="ip_rule_breach")
        assert f"Licence #{parent.pk}" in alert.reason and "sublicense" in alert.reason
        assert alert.unit_id == world.units["ent"].pk and alert.severity == "critical"
        # the secretariat sees it on the alerts page and acknowledges it
        client.force_login(world.users["secretariat"])
        page = client.get(f"/consortia/{world.a.pk}/alerts/").content.decode()
        assert "违反知识产权规则" in page  # the title in the reader's language (decision 0808)
        r = client.post(f"/alerts/{alert.pk}/acknowledge/")
        assert r.status_code == 302
        alert.refresh_from_db()
        assert alert.acknowledged_by == world.users["secretariat"]
        assert (
            "违反知识产权规则"
            not in client.get(f"/consortia/{world.a.pk}/alerts/").content.decode()
        )

    def test_a_transfer_without_the_commissioners_consent_is_flagged(self, world, coop):
        rec = services.ip_action_record(
            actor=world.users["secretariat"], asset_id=coop["ip commissioned"].pk,
            unit_id=world.units["school"].pk, action="transfer", on=D,
            counterparty_id=world.units["other"].pk,
        )  # fmt: skip
        assert (rec.outcome, rec.basis) == ("consent", "Civil Code Art. 859")
        alert = Alert.objects.get(kind="ip_rule_breach")
        assert "Civil Code Art. 859" in alert.reason and alert.severity == "warning"

    def test_with_consent_obtained_there_is_no_alert(self, world, coop):
        services.ip_action_record(
            actor=world.users["secretariat"], asset_id=coop["ip commissioned"].pk,
            unit_id=world.units["school"].pk, action="transfer", on=D, consent_obtained=True,
        )  # fmt: skip
        assert not Alert.objects.filter(kind="ip_rule_breach").exists()

    def test_a_contract_clause_decides_first(self, world, coop):
        services.ip_clause_add(actor=world.users["secretariat"],
                               contract_id=coop["contract own"].pk, ref="§7.2",
                               action="transfer", outcome="allowed",
                               text="the developer may transfer freely")  # fmt: skip
        v = selectors.ip_ask(user=world.users["school_admin"],
                             asset_id=coop["ip commissioned"].pk,
                             unit_id=world.units["school"].pk, action="transfer")  # fmt: skip
        assert (v.outcome, v.basis) == ("allowed", "HT-1 §7.2")

    def test_the_ask_form_on_the_asset_page(self, world, coop, client):
        client.force_login(world.users["secretariat"])
        a = coop["ip commissioned"]
        html = client.get(
            f"/ip/{a.pk}/",
            {"unit": world.units["ent"].pk, "action": "file", "licence_kind": "general"},
        ).content.decode()
        assert (
            'data-outcome="forbidden"' in html and "《中华人民共和国民法典》第八百五十九条" in html
        )

    def test_ask_needs_the_contents(self, world, coop):
        from gongsheng.core.errors import NotFound

        with pytest.raises((NotFound, Forbidden)):
            selectors.ip_ask(user=world.users["unit_admin"], asset_id=coop["ip other"].pk,
                             unit_id=world.units["ent"].pk, action="use")  # fmt: skip

    def test_api_ask(self, world, coop, client):
        client.force_login(world.users["secretariat"])
        body = client.get(
            f"/api/ip-assets/{coop['ip commissioned'].pk}/ask",
            {"unit": world.units["school"].pk, "action": "transfer"},
        ).json()
        assert body["outcome"] == "consent" and body["consent_of"] == [world.units["ent"].pk]


class TestAllocationCall:
    """The call into the real allocation engine (gongsheng.analytics.allocation): an additive
    game built from the parties' inputs, so Shapley equals the pro-rata split (closed form) and
    Nash with half-claims as disagreement points splits the rest evenly."""

    @pytest.mark.parametrize("method", ["shapley", "nash"])
    def test_engine_methods(self, world, coop, method):
        c, sec = coop["contract own"], world.users["secretariat"]
        p = coop["project own"]
        services.input_record(actor=sec, project_id=p.pk, unit_id=world.units["school"].pk,
                              category="money", actual=Decimal(15), on=D)  # fmt: skip
        p.refresh_from_db()
        for step in ("proposed", "feasibility", "approved"):
            p = services.project_move(actor=sec, project_id=p.pk, to_status=step,
                                      version=p.version)  # fmt: skip
        services.contract_update(actor=sec, contract_id=c.pk, version=None,
                                 benefit_method=method, project_id=p.pk)  # fmt: skip
        split = selectors.benefit_split(user=sec, contract_id=c.pk, total=Decimal("100"))
        amounts = [a for _p, a in split]
        assert sum(amounts) == Decimal("100.00")
        if method == "shapley":
            assert amounts == [Decimal("25.00"), Decimal("75.00")]
        else:  # half of each pro-rata claim, the rest split evenly: 12.5+25, 37.5+25
            assert amounts == [Decimal("37.50"), Decimal("62.50")]
