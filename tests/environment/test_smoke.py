import pytest

from gongsheng.environment.selectors import incentive_amounts
from tests.environment.support import make_policy

pytestmark = pytest.mark.django_db


def test_smoke(world):
    make_policy(world)
    out = incentive_amounts(user=world.users["secretariat"], consortium_id=world.a.pk, year=2024)
    assert out["parameters"]["G_e"]["amount"] == 100000.0
