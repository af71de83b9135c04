"""API throttling: 429 in the JSON error format, long before a guesser gets anywhere.

The suite runs with roomy rates (config/settings_test.py); these tests put back the rates
production uses (API_THROTTLE_RATES_PRODUCTION) or set small ones of their own.
"""

import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from shop.core import throttling
from shop.core.breaker import breakers_reset
from shop.core.throttling import lease_size, throttle_rate_parse
from tests.factories import DiscountCodeFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

CHECK = "/api/v1/discount-codes/check"


@pytest.fixture
def production_rates(settings, throttle_clock_still):
    settings.API_THROTTLE_RATES = dict(settings.API_THROTTLE_RATES_PRODUCTION)
    return settings.API_THROTTLE_RATES


def _statuses(responses) -> list[int]:
    return [response.status_code for response in responses]


def test_200_rapid_discount_code_guesses_are_throttled_long_before_the_end(production_rates):
    DiscountCodeFactory(code="SPRING15")
    api = APIClient()

    responses = [api.post(CHECK, {"code": f"GUESS{n:03}"}) for n in range(200)]

    statuses = _statuses(responses)
    first_refusal = statuses.index(429)
    assert first_refusal <= 20
    assert set(statuses[:first_refusal]) == {400}
    assert set(statuses[first_refusal:]) == {429}
    # The real code is refused too once the guesser is throttled.
    assert api.post(CHECK, {"code": "SPRING15"}).status_code == 429


def test_a_throttled_request_gets_the_json_error_format_and_retry_after(production_rates):
    api = APIClient()
    for n in range(50):
        response = api.post(CHECK, {"code": f"GUESS{n}"})
        if response.status_code == 429:
            break

    assert response.status_code == 429
    (error,) = response.json()["errors"]["detail"]
    assert error["code"] == "throttled"
    assert error["message"].startswith("Too many requests: please try again in ")
    assert int(response.headers["Retry-After"]) > 0


def test_a_made_up_forwarded_for_header_does_not_dodge_the_limit(production_rates):
    api = APIClient()

    responses = [
        api.post(CHECK, {"code": f"GUESS{n}"}, HTTP_X_FORWARDED_FOR=f"10.0.{n}.1")
        for n in range(30)
    ]

    assert 429 in _statuses(responses)


def test_applying_codes_to_the_cart_is_throttled_per_account(production_rates):
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)

    responses = [api.post("/api/v1/cart/discount", {"code": f"GUESS{n}"}) for n in range(30)]

    assert 429 in _statuses(responses)
    other = APIClient()
    other.force_authenticate(UserFactory())
    assert other.post("/api/v1/cart/discount", {"code": "GUESS"}).status_code == 400


def test_visitors_are_throttled_on_every_endpoint_at_the_anon_rate(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "5/minute"}
    ProductFactory()
    api = APIClient()

    statuses = _statuses(api.get("/api/v1/products/") for _ in range(8))

    assert statuses == [200] * 5 + [429] * 3


def test_accounts_are_throttled_at_the_user_rate_not_the_visitors(settings):
    settings.API_THROTTLE_RATES = {
        **settings.API_THROTTLE_RATES,
        "anon": "2/minute",
        "user": "4/minute",
    }
    api = APIClient()
    api.force_authenticate(UserFactory())

    statuses = _statuses(api.get("/api/v1/products/") for _ in range(6))

    assert statuses == [200] * 4 + [429] * 2


def test_throttling_lets_requests_through_when_the_cache_keeps_nothing(settings):
    # A cache that is down answers every read as a miss (the cache backend turns its errors
    # into misses): the throttle then sees no history and must let the request through.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "discount": "2/minute"}
    api = APIClient()

    statuses = _statuses(api.post(CHECK, {"code": f"GUESS{n}"}) for n in range(5))

    assert statuses == [400] * 5


def test_a_visitor_is_counted_by_one_number_per_window_not_a_list_of_times(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "1000/day"}
    api = APIClient()

    for _ in range(50):
        api.get("/api/v1/products/")

    day = int(time.time() // 86400)
    # Counted a lease of 20 (1000 / LEASE_SHARE) at a time: the 1st, 21st and 41st took one.
    assert lease_size(1000) == 20
    assert cache.get(f"throttle:anon:ip-127.0.0.1:{day}") == 60


def test_a_lease_of_requests_costs_one_cache_operation(settings, monkeypatch):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "user": "1000/day"}
    api = APIClient()
    api.force_authenticate(UserFactory())
    calls, backend = [], caches["default"]
    for name in ("add", "incr", "get", "set", "window_incr"):
        real = getattr(backend, name)
        monkeypatch.setattr(
            backend,
            name,
            lambda key, *a, _n=name, _r=real, **k: (
                (calls.append(_n) if str(key).startswith("throttle:") else None) or _r(key, *a, **k)
            ),
        )

    api.get("/api/v1/products/")  # the window's first: its counter started, a lease of 20
    for _ in range(19):
        api.get("/api/v1/products/")  # the rest of that lease: no cache operation
    assert calls == ["window_incr"]
    api.get("/api/v1/products/")  # the 21st: a second lease

    day = int(time.time() // 86400)
    key = f"throttle:user:user-{api.handler._force_user.pk}:{day}"
    assert cache.get(key) == 40
    assert calls == ["window_incr", "window_incr", "get"]  # the last: this test's own


def _admitted(requests: int, *, processes: int, limit: int) -> int:
    """How many of REQUESTS, made in turn in PROCESSES (each its own table of leases, as a
    gunicorn worker has) and counted under one key at LIMIT a minute, are let through."""
    tables = [throttling._Leases(size=100, seconds=60) for _ in range(processes)]
    return sum(
        throttling._admit(
            "throttle:test:shared", limit=limit, seconds=60, leases=tables[n % processes]
        )
        for n in range(requests)
    )


def test_one_process_lets_exactly_the_rate_through():
    assert lease_size(500) == 10
    assert _admitted(600, processes=1, limit=500) == 500


def test_processes_sharing_a_counter_never_let_more_than_the_rate_through():
    # Three workers taking leases of 10 in turn: never more than 500 together; what the
    # others leased and did not use, at most 2 * 9, may be refused before the rate.
    admitted = _admitted(600, processes=3, limit=500)

    assert 500 - 2 * 9 <= admitted <= 500


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
def test_processes_taking_leases_at_once_from_redis_never_let_more_than_the_rate_through(
    settings,
):
    breakers_reset()
    settings.CACHES = {
        "default": {
            "BACKEND": "shop.core.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    key = "throttle:test:at-once"

    def process(_: int) -> int:  # one worker: its own leases, 200 requests as fast as it can
        leases = throttling._Leases(size=100, seconds=60)
        return sum(throttling._admit(key, limit=500, seconds=60, leases=leases) for _ in range(200))

    with ThreadPoolExecutor(max_workers=4) as pool:
        admitted = sum(pool.map(process, range(4)))

    assert 500 - 3 * 9 <= admitted <= 500
    cache.delete(key)
    breakers_reset()


def test_a_small_rate_is_counted_one_request_at_a_time_in_every_process():
    assert lease_size(10) == 1
    assert _admitted(30, processes=3, limit=10) == 10


def test_a_lease_is_spent_only_in_its_own_window(settings, monkeypatch):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "100/minute"}
    clock = [6000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    api = APIClient()

    api.get("/api/v1/products/")  # a lease of 2: one left in this process
    clock[0] += 60  # the next window: its counter starts anew, the lease left is not spent
    api.get("/api/v1/products/")

    window = int(clock[0] // 60)
    assert cache.get(f"throttle:anon:ip-127.0.0.1:{window}") == 2


def test_clearing_the_cache_forgets_the_leases(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "100/minute"}
    api = APIClient()
    api.get("/api/v1/products/")

    cache.clear()
    api.get("/api/v1/products/")  # a new lease from the new counter, not the one left

    window = int(time.time() // 60)
    assert cache.get(f"throttle:anon:ip-127.0.0.1:{window}") == 2


def test_two_requests_opening_a_window_at_once_are_both_counted_by_a_cache_without_window_incr(
    settings, monkeypatch
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    key, backend = "throttle:test:window", caches["default"]
    assert not hasattr(backend, "window_incr")
    real_add = backend.add

    def add_after_another(*args, **kwargs):  # another request adds the counter first
        real_add(key, 1, timeout=60)
        return real_add(*args, **kwargs)

    monkeypatch.setattr(backend, "add", add_after_another)

    assert throttling._window_count(key, seconds=60) == 2
    assert throttling._window_count(key, seconds=60) == 3


def test_a_rate_that_cannot_be_read_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        throttle_rate_parse("ten a minute")


def test_throttling_lets_requests_through_when_redis_is_down(settings):
    # The production cache backend with nothing listening: its errors are misses, so the
    # counters are never found and every request goes on to the view (400: no such code).
    settings.CACHES = {
        "default": {
            "BACKEND": "shop.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6399/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "discount": "2/minute"}
    api = APIClient()

    statuses = _statuses(api.post(CHECK, {"code": f"GUESS{n}"}) for n in range(5))

    assert statuses == [400] * 5
