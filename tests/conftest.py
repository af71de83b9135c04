import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from config.celery import app as celery_app
from shop.orders import services
from tests.factories import (
    GOOD_CARD,
    ShippingMethodFactory,
    UserFactory,
    address_input,
    cart_make,
    variant_make,
)
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
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.CACHES = {"default": {"BACKEND": "shop.core.cache.LocalMemoryCache"}}
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


# --- fixtures the app tests share (one home: no test module defines its own copy) -------------


@pytest.fixture
def api():
    """A DRF test client (no session unless a test logs in)."""
    return APIClient()


@pytest.fixture
def operator_client(client):
    """A client signed in as the operator (a superuser)."""
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def standard():
    return ShippingMethodFactory(
        code="standard", name="Standard delivery", description="3-5 working days", price=490
    )


@pytest.fixture
def express():
    return ShippingMethodFactory(
        code="express", name="Express delivery", description="Next working day", price=990
    )


@pytest.fixture
def place(standard):
    """Place an order from a cart: place(cart, customer=None, **overrides)."""

    def _place(cart, *, customer=None, email="ada@example.com", **overrides):
        kwargs = {
            "cart": cart,
            "customer": customer,
            "email": email,
            "address": address_input(),
            "shipping_method_id": standard.pk,
            **overrides,
        }
        return services.order_place(**kwargs)

    return _place


@pytest.fixture
def paid_order(place, settings):
    """Place and pay an order (fake gateway): paid_order(cart) or paid_order() for one line."""
    settings.PAYMENT_GATEWAY = "fake"

    def _paid_order(cart=None, **kwargs):
        cart = cart or cart_make((variant_make(), 1))
        order = place(cart, **kwargs)
        payment = services.order_pay(order=order, payment_method=GOOD_CARD)
        assert payment.status == "succeeded", payment.error_message
        order.refresh_from_db()
        return order

    return _paid_order


@pytest.fixture
def nav_registry_empty():
    """Empty the header's navigation registry for one test, then put back what the apps registered.

    Tests of the registry itself (and of the header with made-up entries) start from no entries,
    whatever the installed social apps registered in their ready().
    """
    from shop.core import navigation

    saved = dict(navigation._entries)
    navigation._entries.clear()
    yield
    navigation._entries.clear()
    navigation._entries.update(saved)


@pytest.fixture
def shared_cache_reads(monkeypatch):
    """Record the keys read from the shared cache: shared_cache_reads(match) -> the list that
    every later `get` of a key for which match(key) is true is appended to."""
    from django.core.cache import caches

    def _watch(match) -> list[str]:
        backend, read = caches["default"], []
        real_get = backend.get

        def get(key, *args, **kwargs):
            if match(key):
                read.append(key)
            return real_get(key, *args, **kwargs)

        monkeypatch.setattr(backend, "get", get)
        return read

    return _watch


@pytest.fixture
def throttle_clock_still(monkeypatch):
    """The API throttles' clock stands still: they count in fixed windows of it (a minute for
    production's rates), so many tries on a slow machine never straddle two windows."""
    import time
    from types import SimpleNamespace

    from shop.core import throttling

    standing = SimpleNamespace(time=lambda: 1_800_000_030.0, monotonic=time.monotonic)
    monkeypatch.setattr(throttling, "time", standing)
