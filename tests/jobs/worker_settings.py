"""Settings of a ``gongsheng worker`` child process started by the tests: the test settings
plus the test job kinds."""

from tests.jobs import kinds  # noqa: F401  (registers the test kinds in the worker)
from tests.settings import *  # noqa: F403
