"""Settings for the test run: the product's settings in test mode, on a throwaway data dir."""

import os
import tempfile

os.environ["GONGSHENG_TESTING"] = "1"
os.environ.setdefault("GONGSHENG_DATA", tempfile.mkdtemp(prefix="gongsheng-test-"))

from gongsheng.settings import *  # noqa: F403

# the test-only example of a declared model (docs/DEVELOPMENT.md "Adding a model")
INSTALLED_APPS = [*INSTALLED_APPS, "tests.declare_example"]  # noqa: F405
ROOT_URLCONF = "tests.urls"
