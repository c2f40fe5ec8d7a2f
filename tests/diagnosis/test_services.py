"""Diagnosis services: settings, the stored results (reuse, invalidation), refresh and alerts."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import numpy as np
import pytest
from django.core.management import call_command

from gongsheng.alerts.models import Alert
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import Conflict, Forbidden, ValidationFailed
from gongsheng.diagnosis import services
from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings
from gongsheng.ledger.services import Party
from tests.diagnosis.diag_data import POOL, build, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return build(world)


def _engine_calls():
    from gongsheng.analytics import diagnosis as engine

    return mock.patch.object(services.engine, "diagnose", wraps=engine.diagnose)


class TestStoredResults:
    def test_computed_once_then_reused(self, world, data):
        with _engine_calls() as spy:
            first, cached1 = services.diagnosis_result(consortium_id=world.a.pk)
            second, cached2 = services.diagnosis_result(consortium_id=world.a.pk)
        assert (cached1, cached2) == (False, True)
        assert spy.call_count == 1  # the second read did not recompute
        assert second.pk == first.pk and second.payload == first.payload
        assert first.window_key == "all" and first.duration > 0

    def test_new_entry_invalidates_only_its_consortium(self, world, data):
        for c in (world.a, world.b):
            services.diagnosis_result(consortium_id=c.pk)
        post(world, "2024-07-01", Party.unit(data["u"]["ent"]), Party.unit(data["u"]["gov"]), 5)
        with _engine_calls() as spy:
            a, cached_a = services.diagnosis_result(consortium_id=world.a.pk)
            _b, cached_b = services.diagnosis_result(consortium_id=world.b.pk)
        assert (cached_a, cached_b) == (False, True)
        assert spy.call_count == 1
        pair = services.stored_pairs(a).find(data["u"]["ent"], data["u"]["gov"])
        assert pair.in_a_direct + pair.in_b_direct == pytest.approx(5)

    def test_contract_change_invalidates(self, world, data):
        from gongsheng.cooperation.services import contract_update

        services.diagnosis_result(consortium_id=world.a.pk)
        contract_update(
            actor=world.users["secretariat"],
            contract_id=data["contract"].pk,
            version=data["contract"].version,
            ends_on=dt.date(2024, 3, 31),
        )
        _, cached = services.diagnosis_result(consortium_id=world.a.pk)
        assert cached is False
        _, _cached_b = services.diagnosis_result(consortium_id=world.b.pk)
        _, cached_b2 = services.diagnosis_result(consortium_id=world.b.pk)
        assert cached_b2 is True

    def test_batch_results_get_their_trends_on_a_single_read(self, world, data):
        got = services.diagnosis_results(consortium_ids=[world.a.pk, world.b.pk])
        a = got[world.a.pk].payload
        assert a["by_year"] is False and a["diagnosis"]["trends"] == []
        assert a["diagnosis"]["years"] == [2024, 2024]  # from the data, without the trends
        again = services.diagnosis_results(consortium_ids=[world.a.pk, world.b.pk])
        assert again[world.a.pk].computed_at == got[world.a.pk].computed_at  # reused
        one, cached = services.diagnosis_result(consortium_id=world.a.pk)
        assert cached is False and [t["year"] for t in one.payload["diagnosis"]["trends"]] == [2024]
        # the same numbers with and without the years
        assert one.payload["diagnosis"]["energy"] == pytest.approx(a["diagnosis"]["energy"])
        assert one.payload["diagnosis"]["units"] == a["diagnosis"]["units"]

    def test_windows_are_stored_separately(self, world, data):
        services.diagnosis_result(consortium_id=world.a.pk)
        r, cached = services.diagnosis_result(
            consortium_id=world.a.pk, year_from=2023, year_to=2023
        )
        assert cached is False and r.window_key == "2023-2023"
        assert r.payload["diagnosis"]["pair_count"] == 0
        assert len(services.stored_pairs(r)) == 0
        assert DiagnosisResult.objects.filter(consortium=world.a).count() == 2

    def test_settings_change_invalidates_and_applies(self, world, data):
        services.diagnosis_result(consortium_id=world.a.pk)
        services.settings_update(
            actor=world.users["secretariat"], consortium_id=world.a.pk, version=None, tolerance=0.5
        )
        r, cached = services.diagnosis_result(consortium_id=world.a.pk)
        assert cached is False
        d = r.payload["diagnosis"]
        # band 0.5·620 = 310 swallows the school–ent gains (90, −290): independent now
        assert d["settings"]["tolerance"] == 0.5
        assert d["behaviour_counts"]["parasitism"] == 0


class TestSettingsUpdate:
    def test_create_then_update_with_version_and_audit(self, world):
        sec = world.users["secretariat"]
        row = services.settings_update(
            actor=sec, consortium_id=world.a.pk, version=None, cold_ratio=0.8
        )
        assert row.version == 2 and row.cold_ratio == 0.8  # the defaults read were version 1
        row = services.settings_update(
            actor=sec, consortium_id=world.a.pk, version=2, hhi_max=0.3, year_from=2024
        )
        assert row.version == 3
        events = list(
            AuditEntry.objects.filter(event_type=EventType.DIAGNOSIS_SETTINGS_CHANGED)
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert events == ["create", "update"]
        with pytest.raises(Conflict):
            services.settings_update(actor=sec, consortium_id=world.a.pk, version=2, hhi_max=0.4)

    def test_two_editors_of_the_defaults_one_is_told(self, world):
        # both read the unsaved defaults (version 1); the first save wins, the second conflicts
        sec = world.users["secretariat"]
        assert (
            services.settings_update(
                actor=sec, consortium_id=world.a.pk, version=1, tolerance=0.2
            ).version
            == 2
        )
        with pytest.raises(Conflict):
            services.settings_update(actor=sec, consortium_id=world.a.pk, version=1, tolerance=0.3)
        assert DiagnosisSettings.objects.get(consortium=world.a).tolerance == 0.2

    def test_nothing_changed_writes_nothing(self, world):
        sec = world.users["secretariat"]
        services.settings_update(actor=sec, consortium_id=world.a.pk, tolerance=0.1)
        n = AuditEntry.objects.count()
        row = services.settings_update(actor=sec, consortium_id=world.a.pk, tolerance=0.1)
        assert row.version == 2 and AuditEntry.objects.count() == n

    @pytest.mark.parametrize("who", ["unit_admin", "observer", "supervisor"])
    def test_only_the_secretariat(self, world, who):
        with pytest.raises(Forbidden):
            services.settings_update(
                actor=world.users[who], consortium_id=world.a.pk, tolerance=0.1
            )
        assert not DiagnosisSettings.objects.exists()

    def test_other_consortium_is_not_found(self, world):
        from gongsheng.core.errors import NotFound

        with pytest.raises(NotFound):
            services.settings_update(
                actor=world.users["secretariat"], consortium_id=world.b.pk, tolerance=0.1
            )

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"tolerance": 0.9}, "tolerance"),
            ({"hhi_max": 0}, "hhi_max"),
            ({"year_from": 2025, "year_to": 2024}, "__all__"),
        ],
    )
    def test_bad_values_name_the_field(self, world, changes, field):
        with pytest.raises(ValidationFailed) as exc:
            services.settings_update(
                actor=world.users["secretariat"], consortium_id=world.a.pk, **changes
            )
        assert field in str(exc.value.__dict__) or field in str(exc.value)
        assert not DiagnosisSettings.objects.exists()

    def test_unknown_field(self, world):
        with pytest.raises(ValidationFailed, match="is_demo"):
            services.settings_update(
                actor=world.users["secretariat"], consortium_id=world.a.pk, is_demo=True
            )


class TestRefreshAndAlerts:
    def test_alerts_raised_once(self, world, data):
        sec = world.users["secretariat"]
        services.diagnosis_refresh(actor=sec, consortium_id=world.a.pk)
        alerts = Alert.objects.filter(consortium=world.a, source_type="diagnosis")
        kinds = sorted(alerts.values_list("kind", flat=True))
        assert kinds == [
            "concentration",
            "free_rider",
            "inactive_member",
            "inactive_member",
            "parasitic_pair",
        ]
        parasitic = alerts.get(kind="parasitic_pair")
        assert parasitic.unit_id == data["u"]["school"]  # the parasite first
        assert parasitic.source_id == data["u"]["ent"]
        assert "Unit school is the parasite" in parasitic.reason
        services.diagnosis_refresh(actor=sec, consortium_id=world.a.pk)
        assert alerts.count() == 5  # no duplicates of open alerts
        assert AuditEntry.objects.filter(event_type=EventType.DIAGNOSIS_REFRESHED).count() == 2

    def test_acknowledged_alert_is_raised_again(self, world, data):
        from gongsheng.alerts.services import alert_acknowledge

        sec = world.users["secretariat"]
        services.diagnosis_refresh(actor=sec, consortium_id=world.a.pk)
        free = Alert.objects.get(kind="free_rider", consortium=world.a)
        alert_acknowledge(actor=sec, alert_id=free.pk)
        services.diagnosis_refresh(actor=sec, consortium_id=world.a.pk)
        assert Alert.objects.filter(kind="free_rider", consortium=world.a).count() == 2

    def test_unit_admin_may_not_refresh(self, world, data):
        with pytest.raises(Forbidden):
            services.diagnosis_refresh(actor=world.users["unit_admin"], consortium_id=world.a.pk)

    def test_command_diagnoses_all_with_alerts(self, world, data, capsys):
        call_command("diagnose")
        out = capsys.readouterr().out
        assert "Diagnosed 2 consortia (2 recomputed, 3 pairs)" in out
        # both audiences of both consortia (decision 0804)
        assert DiagnosisResult.objects.count() == 4
        assert set(DiagnosisResult.objects.values_list("audience", flat=True)) == {
            "all",
            "members",
        }
        n = Alert.objects.filter(source_type="diagnosis").count()
        call_command("diagnose", "--stale-only")
        assert "0 recomputed" in capsys.readouterr().out
        assert Alert.objects.filter(source_type="diagnosis").count() == n

    def test_command_one_consortium(self, world, data, capsys):
        call_command("diagnose", "--consortium", str(world.b.pk), "--no-alerts")
        assert "Diagnosed 1 consortia" in capsys.readouterr().out
        assert sorted(DiagnosisResult.objects.values_list("consortium_id", "audience")) == [
            (world.b.pk, "all"),
            (world.b.pk, "members"),
        ]
        assert not Alert.objects.filter(source_type="diagnosis").exists()


def test_pool_label_is_the_projects(world, data):
    r, _ = services.diagnosis_result(consortium_id=world.a.pk)
    assert r.payload["diagnosis"]["energy"] == pytest.approx(200)  # 600 out − 400 in
    assert POOL.startswith("project:")


def test_demo_loader_and_removal(world, data):
    from gongsheng.diagnosis import demo

    got = demo.load_demo_data(consortium=world.a, units={}, rng=None)
    assert got["diagnosed pairs"] == 3 and got["diagnosis alerts"] >= 5
    row = DiagnosisSettings.objects.get(consortium=world.a)
    assert (row.year_from, row.year_to) == (2023, 2026)
    assert Alert.objects.filter(source_type="diagnosis", consortium=world.a).exists()
    demo.remove_demo_data()  # the test world is not demo data: nothing goes
    assert DiagnosisSettings.objects.filter(consortium=world.a).exists()


class TestQualityParameterSeries:
    """The platform's main quality parameter: what each unit received per year."""

    def test_output_series_sums_direct_and_pool_receipts_per_unit_and_year(self):
        tables = {
            "direct": {
                "giver": np.array([1, 2, 1, 3]),
                "receiver": np.array([2, 1, 2, -1]),  # −1: outside, not a unit
                "period": np.array([2023, 2023, 2024, 2024]),
                "value": np.array([10.0, 5.0, 7.0, 99.0]),
            },
            "pool_outputs": {
                "pool": ["p", "p"],
                "unit": np.array([2, 1]),
                "period": np.array([2023, 2024]),
                "value": np.array([3.0, 4.0]),
            },
        }
        s = services.output_series(tables)
        got = {
            (int(u), int(p)): float(v)
            for u, p, v in zip(s["unit"], s["period"], s["value"], strict=True)
        }
        assert got == {(1, 2023): 5.0, (1, 2024): 4.0, (2, 2023): 13.0, (2, 2024): 7.0}

    def test_a_single_consortium_read_gives_degree_and_share(self, world, data):
        u = data["u"]
        # a second year: ent gives school 30 and school gives ent 20 in 2025, so school
        # received 200 (2024) → 30 (2025) and ent 10 → 20; growth rates −0.85 and +1
        post(world, "2025-02-01", Party.unit(u["ent"]), Party.unit(u["school"]), 30)
        post(world, "2025-02-02", Party.unit(u["school"]), Party.unit(u["ent"]), 20)
        r, _cached = services.diagnosis_result(consortium_id=world.a.pk)
        table = services.stored_pairs(r)
        k = next(
            i
            for i in range(len(table))
            if {int(table.a[i]), int(table.b[i])} == {u["school"], u["ent"]}
        )
        degree = float(table.columns["degree"][k])
        growth_school, growth_ent = (30 - 200) / 200, (20 - 10) / 10
        expected = (
            growth_school / growth_ent
            if int(table.a[k]) == u["school"]
            else growth_ent / growth_school
        )
        assert degree == pytest.approx(expected)
        share = float(table.columns["share"][k])
        assert share == pytest.approx(abs(expected) / (abs(expected) + abs(1 / expected)))
