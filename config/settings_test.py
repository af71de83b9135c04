"""Settings of the test suite: the real settings, given what a fresh clone has no environment for.

DEBUG stays off in tests (as in production), so the real settings would refuse the public default
SECRET_KEY: the suite brings its own key. It is set in the environment before config.settings
loads, so the checks there run exactly as in production; a SECRET_KEY already in the environment
wins.

API throttling stays on, with rates no fast test run (or schemathesis) reaches; the tests of
throttling itself put back the production rates, kept in API_THROTTLE_RATES_PRODUCTION.
"""

import os

if not os.environ.get("SECRET_KEY"):  # unset, or empty as `make test` exports it on a fresh clone
    os.environ["SECRET_KEY"] = "agora-test-suite-key-never-used-outside-the-tests"

from config.settings import *  # noqa: E402, F403

API_THROTTLE_RATES_PRODUCTION = dict(API_THROTTLE_RATES)  # noqa: F405
API_THROTTLE_RATES = dict.fromkeys(API_THROTTLE_RATES_PRODUCTION, "100000/minute")
