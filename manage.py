#!/usr/bin/env python
import os
import secrets
import sys
from pathlib import Path

# The clone's own random key, the one `make` uses too (see the Makefile). With DEBUG off the
# settings refuse the repository's public key, so a bare `python manage.py ...` on a fresh clone
# (makemigrations --check, shell) would not load; a SECRET_KEY in the environment always wins,
# and what serves requests in production (wsgi/asgi) never reads this file.
LOCAL_KEY = Path(__file__).resolve().parent / ".venv" / "secret-key"


def local_secret_key() -> str:
    """Return the clone's local key, making it (once) if the clone has none yet."""
    if not LOCAL_KEY.exists():
        LOCAL_KEY.parent.mkdir(exist_ok=True)
        LOCAL_KEY.write_text(secrets.token_urlsafe(50) + "\n")
    return LOCAL_KEY.read_text().strip()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = local_secret_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
