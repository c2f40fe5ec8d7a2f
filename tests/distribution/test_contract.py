"""Saving the chosen method's shares into the project's contract."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.cooperation import services as coop
from gongsheng.cooperation.models import Contract, ContractVersion
from gongsheng.core.errors import Conflict, ValidationFailed
from gongsheng.distribution import services
from gongsheng.distribution.models import Study

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(world, study):
    study = services.coalition_values_set(
        actor=world.users["secretariat"], study_id=study.pk, version=study.version,
        values={5: "300", 6: "400"},
    )  # fmt: skip
    return services.study_compute(actor=world.users["secretariat"], study_id=study.pk)


def contract_for(world, project, keys=("school", "ent", "gov")):
    return coop.contract_create(
        actor=world.users["secretariat"], consortium_id=world.a.pk, project_id=project.pk,
        title="College agreement", type="cooperative_dev",
        parties=[{"unit_id": world.units[k].pk, "role": "co_developer"} for k in keys],
    )  # fmt: skip


def test_shares_written_with_a_new_version(world, computed, ledger_project):
    contract = contract_for(world, ledger_project)
    services.study_save_to_contract(
        actor=world.users["secretariat"], study_id=computed.pk, contract_id=contract.pk,
        method="shapley", contract_version=contract.version,
    )  # fmt: skip
    contract = Contract.objects.get(pk=contract.pk)
    shares = {p.unit_id: p.share for p in contract.parties.all()}
    u = world.units
    # 408.33 / 1200, 508.33 / 1200, 283.33 / 1200 to four places, summing to exactly 1
    assert shares == {u["school"].pk: Decimal("0.3403"), u["ent"].pk: Decimal("0.4236"),
                      u["gov"].pk: Decimal("0.2361")}  # fmt: skip
    assert sum(shares.values()) == 1
    assert contract.benefit_method == "shapley" and contract.version == 2
    version = ContractVersion.objects.get(contract=contract, number=2)
    assert f"distribution study {computed.pk}" in version.note and "Shapley" in version.note
    study = Study.objects.get(pk=computed.pk)
    assert (study.contract_id, study.saved_method) == (contract.pk, "shapley")
    saved = AuditEntry.objects.get(event_type=EventType.DISTRIBUTION_SAVED_TO_CONTRACT)
    assert saved.related_object_id == contract.pk
    assert AuditEntry.objects.filter(event_type=EventType.CONTRACT_CHANGED).count() == 1


def test_stale_contract_version_conflicts_and_writes_nothing(world, computed, ledger_project):
    contract = contract_for(world, ledger_project)
    coop.contract_update(actor=world.users["secretariat"], contract_id=contract.pk,
                         version=contract.version, title="Renamed")  # fmt: skip
    with pytest.raises(Conflict):
        services.study_save_to_contract(
            actor=world.users["secretariat"], study_id=computed.pk, contract_id=contract.pk,
            method="nash", contract_version=1,
        )  # fmt: skip
    assert not Contract.objects.get(pk=contract.pk).parties.exclude(share=None).exists()
    assert Study.objects.get(pk=computed.pk).contract_id is None
    assert not AuditEntry.objects.filter(event_type=EventType.DISTRIBUTION_SAVED_TO_CONTRACT)


def test_parties_must_be_the_players(world, computed, ledger_project):
    contract = contract_for(world, ledger_project, keys=("school", "ent", "other"))
    with pytest.raises(ValidationFailed) as exc:
        services.study_save_to_contract(
            actor=world.users["secretariat"], study_id=computed.pk, contract_id=contract.pk,
            method="shapley", contract_version=None,
        )  # fmt: skip
    messages = sorted(e.message for e in exc.value.errors)
    assert messages == ["not a party: Unit gov", "not a player: Unit other"]


def test_method_without_result_refused(world, computed, ledger_project):
    contract = contract_for(world, ledger_project)
    with pytest.raises(ValidationFailed) as exc:
        services.study_save_to_contract(
            actor=world.users["secretariat"], study_id=computed.pk, contract_id=contract.pk,
            method="modified", contract_version=None,
        )  # fmt: skip
    assert "not entered" in exc.value.message


def test_unit_may_not_save(world, computed, ledger_project):
    from gongsheng.core.errors import Forbidden, NotFound

    contract = contract_for(world, ledger_project)
    with pytest.raises((Forbidden, NotFound)):
        services.study_save_to_contract(
            actor=world.users["school_admin"], study_id=computed.pk, contract_id=contract.pk,
            method="shapley", contract_version=None,
        )  # fmt: skip
