"""Every declared model has an access policy and standard-test data: a model declared without
either fails here (the standard tests themselves run in each model's ``test_declared`` module).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import tests
from gongsheng.access.policies import policy_for
from gongsheng.declare.declaration import declarations
from tests.support.declared import ROLES, SUPPLIED


def _load_standard_data() -> None:
    root = Path(tests.__file__).parent
    for info in pkgutil.walk_packages([str(root)], prefix="tests."):
        if info.name.rsplit(".", 1)[-1].startswith("test_declared"):
            importlib.import_module(info.name)


_load_standard_data()


@pytest.mark.parametrize("decl", declarations(), ids=lambda d: d.model.__name__)
def test_declared_model_has_a_policy_and_standard_tests(decl):
    policy = policy_for(decl.model)
    assert policy is not None, f"{decl.model.__name__} is declared without an access policy"
    data = SUPPLIED.get(decl.model)
    assert data is not None, (
        f"{decl.model.__name__} is declared without standard-test data: add "
        f"tests/<app>/test_declared.py with a StandardTests class (docs/DEVELOPMENT.md)"
    )
    assert set(data.rights) == set(ROLES), "the rights table names every role"
    for move in decl.moves:
        assert move.name in policy.moves, f"the policy does not answer the move {move.name!r}"
        assert move.name in data.moves, f"no standard-test data for the move {move.name!r}"
        for row in data.rights.values():
            assert all(isinstance(cell, set) for cell in row)


def test_the_declared_models_are_found():
    names = {d.model.__name__ for d in declarations()}
    assert "PublicPolicy" in names
