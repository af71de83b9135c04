"""The deploy files agree with the code: no Docker engine runs here, so they are read as text.

docker-compose.yml must start the whole set (web, worker, beat, postgres, redis), wire the
app services to the postgres and redis services, and pass only settings config/settings.py
actually reads (a misspelt name would be silently ignored in production).
"""

import ast
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
ENV_READERS = {
    "str",
    "bool",
    "int",
    "float",
    "list",
    "tuple",
    "dict",
    "json",
    "url",
    "path",
    "db",
    "db_url",
    "cache",
    "cache_url",
    "email",
    "email_url",
    "search_url",
}


def _settings_env_names() -> set[str]:
    """Names config/settings.py reads with env.<type>("NAME", ...) or env("NAME")."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func, first = node.func, node.args[0]
        reads_env = (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
            and func.attr in ENV_READERS
        ) or (isinstance(func, ast.Name) and func.id == "env")
        if reads_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return names


@pytest.fixture(scope="module")
def settings_names() -> set[str]:
    return _settings_env_names()


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):  # the "NAME=value" form
        environment = dict(item.partition("=")[::2] for item in environment)
    return {name: str(value) for name, value in environment.items()}


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def _dockerfile_instruction(name: str) -> str:
    """The last NAME instruction of the Dockerfile (the one that takes effect), joined."""
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    found = [line.split(None, 1)[1] for line in lines if line.upper().startswith(name + " ")]
    assert found, f"the Dockerfile has no {name}"
    return found[-1]


def _exec_form_or_shell(value: str) -> list[str]:
    value = value.strip()
    return json.loads(value) if value.startswith("[") else shlex.split(value)


def test_settings_parser_finds_the_names_settings_read(settings_names):
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "EMAIL_URL",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "STATICFILES_STORAGE",
    } <= settings_names


def test_compose_runs_the_whole_set(compose):
    assert set(compose["services"]) >= {"web", "worker", "beat", "postgres", "redis"}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_use_the_postgres_and_redis_services(compose, name):
    environment = _environment(compose["services"][name])

    database = urlsplit(environment["DATABASE_URL"])
    broker = urlsplit(environment["REDIS_URL"])

    assert database.scheme in ("postgres", "postgresql")
    assert database.hostname == "postgres"
    assert broker.scheme == "redis"
    assert broker.hostname == "redis"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_pass_only_names_settings_read(compose, settings_names, name):
    unknown = set(_environment(compose["services"][name])) - settings_names

    assert not unknown, f"{name} sets {sorted(unknown)}, which config/settings.py never reads"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_get_secrets_and_stripe_settings(compose, name):
    environment = _environment(compose["services"][name])

    expected = {
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "EMAIL_URL",
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "STRIPE_API_BASE",
    }
    assert expected <= set(environment)


def test_compose_never_bakes_in_a_secret_key(compose):
    secret = _environment(compose["services"]["web"])["SECRET_KEY"]

    assert re.fullmatch(r"\$\{SECRET_KEY(:?\?[^}]*)?\}", secret), secret


def test_worker_and_beat_run_celery_of_the_config_app(compose):
    worker = shlex.split(_command(compose["services"]["worker"]))
    beat = shlex.split(_command(compose["services"]["beat"]))

    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert beat[:4] == ["celery", "-A", "config", "beat"]


def test_web_serves_config_wsgi_with_gunicorn(compose):
    command = _command(compose["services"]["web"])

    assert re.search(r"\bgunicorn config\.wsgi(:application)?\b", command), command


def test_app_services_wait_for_their_backing_services(compose):
    services = compose["services"]

    assert {"postgres", "redis"} <= set(services["web"]["depends_on"])
    assert "web" in services["worker"]["depends_on"]
    assert "web" in services["beat"]["depends_on"]


def test_dockerfile_builds_from_python_311_slim():
    assert _dockerfile_instruction("FROM").split()[0] == "python:3.11-slim"


def test_dockerfile_installs_the_project_and_collects_static_files():
    text = (ROOT / "Dockerfile").read_text()

    assert re.search(r"pip install [^\n]*\.(\s|$)", text)
    assert "manage.py collectstatic --noinput" in text


def test_dockerfile_runs_as_a_user_who_is_not_root():
    user = _dockerfile_instruction("USER").strip()

    assert user not in ("root", "0", "0:0")


def test_dockerfile_command_runs_gunicorn_config_wsgi():
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = _exec_form_or_shell(_dockerfile_instruction("CMD"))
    if re.search(r"^ENTRYPOINT ", dockerfile, flags=re.MULTILINE):
        command = _exec_form_or_shell(_dockerfile_instruction("ENTRYPOINT")) + command

    assert command[0] == "gunicorn"
    assert command[1] in ("config.wsgi", "config.wsgi:application")


def test_env_example_names_only_settings_that_exist(settings_names):
    lines = (ROOT / ".env.example").read_text().splitlines()
    # Commented-out examples count too: they are what people uncomment.
    names = {m.group(1) for line in lines if (m := re.match(r"#?\s*([A-Z][A-Z0-9_]*)=", line))}

    assert {"SECRET_KEY", "EMAIL_URL", "STRIPE_SECRET_KEY"} <= names
    assert names <= settings_names, sorted(names - settings_names)


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())

    assert {".env", ".git", ".venv", "db.sqlite3", "media"} <= ignored


# --- production settings: what the compose file turns on ------------------------------------

SECURITY_SETTINGS = {
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CSP_ENABLED",
}


def _compose_default(value: str) -> str:
    """VALUE as docker compose would fill it with nothing set: ${NAME:-default} is the default;
    a required ${NAME:?...} (the secret key) gets a fresh random value."""

    def fill(match: re.Match) -> str:
        operator, default = match.group(2) or "", match.group(3) or ""
        if "?" in operator:
            return secrets.token_urlsafe(50)
        return default if "-" in operator else ""

    return re.sub(r"\$\{(\w+)(:?[-?])?([^}]*)\}", fill, value)


def _production_environment(compose: dict) -> dict[str, str]:
    environment = {
        name: _compose_default(value)
        for name, value in _environment(compose["services"]["web"]).items()
    }
    return {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **environment}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_turns_https_and_the_security_headers_on(compose, name):
    environment = {
        key: _compose_default(value)
        for key, value in _environment(compose["services"][name]).items()
    }

    assert set(environment) >= SECURITY_SETTINGS
    assert int(environment["SECURE_HSTS_SECONDS"]) >= 31_536_000
    for setting in SECURITY_SETTINGS - {"SECURE_HSTS_SECONDS"}:
        assert environment[setting] == "true", setting


def test_check_deploy_is_clean_with_the_compose_files_production_settings(compose):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_environment(compose),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_settings_refuse_the_env_example_secret_key(compose):
    environment = {**_production_environment(compose), "SECRET_KEY": _env_example()["SECRET_KEY"]}

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def _env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if re.match(r"[A-Z][A-Z0-9_]*=", line))
