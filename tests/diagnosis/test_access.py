"""Access matrix of the diagnosis: role × record × own unit / other unit / other consortium.

A unit sees the diagnosis of its own pairs (and its own unit row, the alerts naming it and the
consortium totals), the secretariat the whole consortium, supervisors all they supervise,
observers the totals; anyone else nothing (the same NotFound as a missing consortium).
"""

from __future__ import annotations

import pytest

from gongsheng.access.scope import scope
from gongsheng.core.errors import NotFound
from gongsheng.diagnosis import selectors
from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings
from gongsheng.diagnosis.services import diagnosis_result, settings_update
from tests.diagnosis.diag_data import build

pytestmark = pytest.mark.django_db

# who → (access to A's diagnosis, pairs seen, units seen)
CONSORTIUM_A = {
    "admin": ("full", 3, 4),
    "secretariat": ("full", 3, 4),
    "supervisor": ("full", 3, 4),
    "observer": ("totals", 0, 0),
    "unit_admin": ("unit", 2, 1),  # ent: school–ent, ent–gov
    "unit_member": ("unit", 2, 1),
    "school_admin": ("unit", 2, 1),  # school: school–ent, school–gov
    "other_consortium": (None, 0, 0),
    "nobody": (None, 0, 0),
}


@pytest.fixture
def data(world):
    return build(world)


@pytest.mark.parametrize("who", list(CONSORTIUM_A))
def test_consortium_view(world, data, who):
    access, n_pairs, n_units = CONSORTIUM_A[who]
    user = world.users[who]
    if access is None:
        with pytest.raises(NotFound):
            selectors.consortium_diagnosis(user=user, consortium_id=world.a.pk)
        return
    v = selectors.consortium_diagnosis(user=user, consortium_id=world.a.pk)
    assert (v.access, len(v.pairs), len(v.units)) == (access, n_pairs, n_units)
    # totals are the consortium's for everyone who may see it
    assert v.pair_count == 3 and sum(v.behaviour_counts.values()) == 3
    if access == "unit":
        own = user.unit_id
        assert all(own in (p.a, p.b) for p in v.pairs)
        assert [u.id for u in v.units] == [own]
        assert all(own in a.units for a in v.alerts)
        assert v.concentration == {}
    if access == "totals":
        assert v.alerts == [] and v.units == []


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", "full"),
        ("secretariat", None),  # secretariat of A only
        ("supervisor", None),
        ("observer", None),
        ("unit_admin", None),
        ("other_consortium", "unit"),
    ],
)
def test_other_consortium(world, data, who, expected):
    user = world.users[who]
    if expected is None:
        with pytest.raises(NotFound):
            selectors.consortium_diagnosis(user=user, consortium_id=world.b.pk)
        with pytest.raises(NotFound):
            selectors.diagnosis_series(user=user, consortium_id=world.b.pk)
        with pytest.raises(NotFound):
            selectors.settings_get(user=user, consortium_id=world.b.pk)
    else:
        assert selectors.consortium_diagnosis(user=user, consortium_id=world.b.pk).access == (
            expected
        )


# pair → who may open it
PAIRS = {
    ("school", "ent"): {"admin", "secretariat", "supervisor", "unit_admin", "school_admin"},
    ("school", "gov"): {"admin", "secretariat", "supervisor", "school_admin"},
    ("ent", "gov"): {"admin", "secretariat", "supervisor", "unit_admin"},
}


@pytest.mark.parametrize("pair", list(PAIRS))
@pytest.mark.parametrize(
    "who", ["admin", "secretariat", "supervisor", "observer", "unit_admin", "school_admin",
            "other_consortium", "nobody"],
)  # fmt: skip
def test_pair_detail(world, data, pair, who):
    a, b = (world.units[k].pk for k in pair)
    user = world.users[who]
    if who not in PAIRS[pair]:
        with pytest.raises(NotFound):
            selectors.pair_diagnosis(user=user, consortium_id=world.a.pk, a_id=a, b_id=b)
        return
    d = selectors.pair_diagnosis(user=user, consortium_id=world.a.pk, a_id=a, b_id=b)
    assert d.pair is not None
    entries = list(d.entries)
    if who in ("unit_admin", "school_admin"):
        # the ledger's own policy: only the entries the unit gives or receives
        own = user.unit_id
        assert entries and all(own in (e.giver_unit_id, e.receiver_unit_id) for e in entries)


def test_pair_outside_the_consortium_is_not_found(world, data):
    with pytest.raises(NotFound):
        selectors.pair_diagnosis(
            user=world.users["secretariat"],
            consortium_id=world.a.pk,
            a_id=world.units["school"].pk,
            b_id=world.units["x"].pk,
        )


@pytest.mark.parametrize(
    ("who", "rows"),
    [
        ("admin", 2),
        ("secretariat", 1),
        ("supervisor", 1),
        ("observer", 1),
        ("unit_admin", 1),
        ("other_consortium", 1),
        ("nobody", 0),
    ],
)
def test_province_rows(world, data, who, rows):
    got = selectors.province_diagnosis(user=world.users[who])
    assert len(got) == rows
    for r in got:
        if r.access != "full":
            assert r.alerts == {}


@pytest.mark.parametrize(
    ("who", "sees_rows"),
    [
        ("admin", True),
        ("secretariat", True),
        ("supervisor", True),
        ("observer", False),
        ("unit_admin", False),
        ("other_consortium", False),
    ],
)
def test_stored_results_policy(world, data, who, sees_rows):
    diagnosis_result(consortium_id=world.a.pk)
    assert scope(world.users[who], DiagnosisResult.objects.all()).exists() == sees_rows


@pytest.mark.parametrize(
    ("who", "view", "change"),
    [
        ("admin", True, True),
        ("secretariat", True, True),
        ("supervisor", True, False),
        ("observer", True, False),
        ("unit_admin", True, False),
        ("other_consortium", False, False),
    ],
)
def test_settings_policy(world, who, view, change):
    settings_update(actor=world.users["secretariat"], consortium_id=world.a.pk, tolerance=0.1)
    user = world.users[who]
    assert scope(user, DiagnosisSettings.objects.all()).exists() == view
    assert scope(user, DiagnosisSettings.objects.all(), "change").exists() == change


@pytest.mark.parametrize("who", ["admin", "secretariat", "nobody"])
def test_missing_consortium_is_not_found(world, who):
    with pytest.raises(NotFound):
        selectors.consortium_diagnosis(user=world.users[who], consortium_id=987654)
