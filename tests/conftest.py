"""Test-wide configuration shared by every test package."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Property tests: enough examples to find counter-examples, few enough to keep CI fast.
settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
