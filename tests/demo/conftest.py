"""One demo shop per test module, shared by its tests (`demo`).

Building the demo takes seconds (pictures, a community, everyone's picks), and most tests here
only look at it. A module that sets DEMO_PRODUCTS and asks for `demo` gets the shop built once,
as `make run` builds it: the build's on-commit work (the feed settled, the picks computed) runs.
It is built inside a transaction left open for the module; each test then runs in a savepoint
rolled back after it (pytest-django's per-test transaction, nested), so whatever a test writes,
a second build included, is gone before the next test, in whatever order they run. The
transaction is rolled back after the module: the next module finds the database empty.

Tests that need their own shop (another size, or a committing build) keep calling the command.
A test in such a module that does not ask for `demo` must not use the database (it would see
the shop or not depending on order). Under pytest-xdist a module whose tests both workers got
builds its shop on each (xdist's loadgroup, which would keep them together, does nothing with
pytest 9: it renames items through Node._nodeid, which pytest 9 no longer reads).
"""

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.test.utils import override_settings

from config.celery import app as celery_app


@dataclass(frozen=True)
class DemoShop:
    products: int
    output: str  # what the first `manage.py demo_data` printed
    media: Path  # its pictures and logos


@pytest.fixture(scope="module")
def demo_shop(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The module's demo shop of DEMO_PRODUCTS products, built once (see the module doc)."""
    products = request.module.DEMO_PRODUCTS
    media = tmp_path_factory.mktemp("demo-shop")
    eager = celery_app.conf.task_always_eager
    # What tests/conftest.py's autouse fixtures give each test, for the build outside any test.
    environment = override_settings(
        MEDIA_ROOT=media / "media",
        PRIVATE_MEDIA_ROOT=media / "private_media",
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        # Durable blocks in the code under test may nest in it, as in a test's own transaction.
        transaction.get_connection().atomic_blocks[-1]._from_testcase = True
    try:
        out = io.StringIO()
        with django_db_blocker.unblock(), environment:
            celery_app.conf.task_always_eager = True
            cache.clear()
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("demo_data", products=products, stdout=out)
            cache.clear()
        yield DemoShop(products=products, output=out.getvalue(), media=media / "media")
    finally:
        celery_app.conf.task_always_eager = eager
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


@pytest.fixture
def demo(demo_shop, db, settings):
    """The module's shared demo shop, for one test (in a savepoint; pictures readable)."""
    settings.MEDIA_ROOT = demo_shop.media
    return demo_shop
