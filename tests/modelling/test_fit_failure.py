"""Why the dynamics could not be fitted, in Chinese: the fit's input checks are reason codes
(decision 0808); an error without a code (from the optimiser) is quoted after a Chinese
sentence."""

from __future__ import annotations

import numpy as np
import pytest

from gongsheng.analytics.reasons import Reason
from gongsheng.modelling import runs
from tests.modelling.support import post_outputs, synthetic_series

pytestmark = pytest.mark.django_db

FIT = {"groups": ["school", "enterprise"], "quality": "outputs", "measure": "per_year"}


def test_an_input_check_is_stored_as_its_code():
    X = synthetic_series(10)
    X[3, 1] = np.inf
    out = runs.logistic_run(range(2012, 2022), X, groups=["school", "enterprise"],
                            labels=["学校", "企业"])  # fmt: skip
    assert out["status"] == "failed"
    assert out["message_code"] == {"code": "fit.not_finite", "params": {}}
    assert out["message"].startswith("`X` must be finite")  # the English line beside it


@pytest.mark.parametrize(
    "error, shown",
    [
        (Reason("fit.not_finite"), "观测值中有缺失或无穷大的数值"),
        (Reason("fit.too_few", observations=8, parameters=8),
         "只有 8 个观测值，不足以估计 8 个参数；观测值须多于 8 个"),
        ("The maximum number of function evaluations is exceeded.",
         "无法用这些数据拟合模型。 “The maximum number of function evaluations is exceeded.”"),
    ],
)  # fmt: skip
def test_the_page_says_why_in_chinese(world, client, monkeypatch, error, shown):
    def fails(*args, **kwargs):
        raise ValueError(error)

    monkeypatch.setattr(runs, "fit_logistic", fails)
    client.force_login(world.users["secretariat"])
    post_outputs(world, synthetic_series(10))
    html = client.get(f"/consortia/{world.a.pk}/modelling/dynamics/", FIT).content.decode()
    assert "拟合失败" in html
    failure = html.split('id="fit-failure">', 1)[1].split("</p>", 1)[0]
    assert failure == shown
