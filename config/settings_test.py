"""Settings of the test suite: the real settings, given what a fresh clone has no environment for.

DEBUG stays off in tests (as in production), so the real settings would refuse the public default
SECRET_KEY: the suite brings its own key. It is set in the environment before config.settings
loads, so the checks there run exactly as in production; a SECRET_KEY already in the environment
wins.
"""

import os

os.environ.setdefault("SECRET_KEY", "agora-test-suite-key-never-used-outside-the-tests")

from config.settings import *  # noqa: E402, F403
