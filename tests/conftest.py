import pytest
from django.core.cache import cache

from config.celery import app as celery_app
from tests.localstripe import (  # noqa: F401  (fixtures shared by integration and e2e tests)
    localstripe,
    localstripe_url,
    webhook_to_live_server,
)


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Each test gets its own media folder and an empty local cache.

    Tests never share the Redis cache (parallel workers would see each other's catalogue
    version and rate-limit counters); tests of Redis itself ask for it explicitly.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing strength is not under test; the default PBKDF2 makes the suite ten times slower."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test starts a real worker (tests/integration)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
