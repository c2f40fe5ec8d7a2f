"""Settings for the test run: the product's settings in test mode, on a throwaway data dir."""

import os
import tempfile

os.environ["GONGSHENG_TESTING"] = "1"
os.environ.setdefault("GONGSHENG_DATA", tempfile.mkdtemp(prefix="gongsheng-test-"))
# each pytest-xdist worker inherits the controller's environment: give it a data dir of its
# own, so one worker's uploads and documents never appear in another's (a test that counts
# the files it leaves would see them)
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.path.basename(os.environ["GONGSHENG_DATA"]) != f"worker-{_worker}":
    os.environ["GONGSHENG_DATA"] = os.path.join(os.environ["GONGSHENG_DATA"], f"worker-{_worker}")
    os.makedirs(os.environ["GONGSHENG_DATA"], exist_ok=True)

from gongsheng.settings import *  # noqa: E402, F403

# the test-only example of a declared model (docs/DEVELOPMENT.md "Adding a model")
INSTALLED_APPS = [*INSTALLED_APPS, "tests.declare_example"]  # noqa: F405
ROOT_URLCONF = "tests.urls"
