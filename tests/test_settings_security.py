"""Settings refuse to load with a public SECRET_KEY when DEBUG is off (production).

config/settings.py is run afresh in this process (runpy) with a chosen environment, exactly as
a server would load it; the settings Django already loaded for the tests are not touched.
"""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parent.parent / "config" / "settings.py"
PUBLIC_DEFAULT = "agora-insecure-local-key-change-me-in-production"
ENV_EXAMPLE_PLACEHOLDER = "change-me-to-a-long-random-string"
PUBLIC_SECRET_KEYS = {PUBLIC_DEFAULT, ENV_EXAMPLE_PLACEHOLDER}


def _load(monkeypatch, **environment) -> dict:
    for name in ("SECRET_KEY", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize("key", [PUBLIC_DEFAULT, ENV_EXAMPLE_PLACEHOLDER])
def test_production_refuses_a_public_secret_key(monkeypatch, key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        _load(monkeypatch, SECRET_KEY=key, DEBUG="false")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        _load(monkeypatch)


def test_production_refuses_an_empty_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is the public default"):
        _load(monkeypatch, SECRET_KEY="", DEBUG="false")


def test_production_starts_with_a_key_of_its_own(monkeypatch):
    loaded = _load(monkeypatch, SECRET_KEY="x" * 50, DEBUG="false")

    assert loaded["SECRET_KEY"] == "x" * 50


def test_debug_runs_with_the_local_default_key(monkeypatch):
    loaded = _load(monkeypatch, DEBUG="true")

    assert loaded["SECRET_KEY"] == PUBLIC_DEFAULT


def test_manage_py_loads_on_a_clone_with_no_key_in_the_environment():
    """`python manage.py makemigrations --check` on a fresh clone: the clone's own key is used."""
    root = SETTINGS.parent.parent
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }

    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "check"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert (root / ".venv" / "secret-key").read_text().strip() not in PUBLIC_SECRET_KEYS
