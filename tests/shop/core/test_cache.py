"""The site's Redis cache (shop.core.cache): Redis away is a miss, quickly, logged once."""

import logging
import os
import time
import uuid

import pytest
from django.core.cache import caches

from shop.core.breaker import breakers_reset

CLOSED = "redis://127.0.0.1:6399/0"


def _cache(settings, location: str, **options):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "redis": {
            "BACKEND": "shop.core.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": options,
        },
    }
    return caches["redis"]


@pytest.fixture
def down(settings):
    breakers_reset()
    yield _cache(settings, CLOSED)
    breakers_reset()


def test_every_operation_degrades_to_an_empty_cache(down):
    assert down.get("page", "miss") == "miss"
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("page") is False
    down.set("page", "html")
    assert down.set_many({"a": 1}) == ["a"]
    assert down.add("lock", True) is True  # allauth's rate-limit lock must not wait for ever
    assert down.get_or_set("page", "fresh") == "fresh"
    down.delete("page")
    down.delete_many(["a"])
    assert down.touch("page") is False
    down.clear()
    with pytest.raises(ValueError):
        down.incr("version")
    assert down.window_incr("throttle", 60) is None  # no counter: the throttle lets it through


def test_a_down_redis_costs_one_attempt_then_none_while_the_breaker_is_open(down, monkeypatch):
    down.get("warm-up")  # the failed attempt that opens the breaker
    attempts = []
    monkeypatch.setattr(
        type(down._cache), "get", lambda *args: attempts.append(args) or "never here"
    )

    started = time.monotonic()
    for _ in range(100):
        down.get("page")

    assert attempts == []
    assert time.monotonic() - started < 0.1


def test_the_outage_is_logged_once_not_per_call(down, caplog):
    with caplog.at_level(logging.WARNING, logger="shop.core.breaker"):
        for _ in range(20):
            down.get("page")
            down.set("page", "html")
            down._breaker._open_until = 0  # as if the breaker's time had passed each time

    assert len(caplog.records) == 1
    assert "unreachable" in caplog.records[0].getMessage()


def test_the_cache_is_tried_again_once_the_breaker_time_has_passed(settings):
    breakers_reset()
    down = _cache(settings, CLOSED, BREAKER_SECONDS=0.05)
    down.get("page")
    assert down._breaker.allows() is False

    time.sleep(0.06)

    assert down._breaker.allows() is True


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
def test_a_reachable_redis_is_an_ordinary_cache(settings):
    breakers_reset()
    cache = _cache(settings, os.environ["REDIS_URL"])

    cache.set("page", "html")
    assert cache.add("page", "other") is False
    cache.set("version", 1)

    assert (cache.get("page"), cache.incr("version")) == ("html", 2)
    cache.delete_many(["page", "version"])


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
def test_incr_is_one_round_trip_and_never_creates_the_key(settings, monkeypatch):
    breakers_reset()
    cache = _cache(settings, os.environ["REDIS_URL"])
    cache.set("counter", 5, timeout=60)
    cache.get("warm-up")
    client = cache._cache.get_client(write=True)
    commands = []
    real = client.execute_command
    monkeypatch.setattr(
        client, "execute_command", lambda *args, **kw: commands.append(args[0]) or real(*args, **kw)
    )

    assert cache.incr("counter") == 6
    assert cache.incr("counter", 4) == 10
    with pytest.raises(ValueError):
        cache.incr("missing")

    assert len(commands) == 3  # one per incr (EVALSHA), not EXISTS then INCRBY
    assert cache.has_key("missing") is False
    assert 0 < client.ttl(cache.make_key("counter")) <= 60  # the expiry is kept
    cache.delete("counter")


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
def test_one_redis_client_serves_every_operation(settings):
    breakers_reset()
    cache = _cache(settings, os.environ["REDIS_URL"])

    first = cache._cache.get_client()
    cache.set("page", "html")
    cache.get_many(["page"])

    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first  # one server: one pool
    cache.delete("page")


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
def test_a_window_counter_in_redis_is_one_round_trip_and_expires(settings, monkeypatch):
    breakers_reset()
    cache = _cache(settings, os.environ["REDIS_URL"])
    # The script's first run on a Redis that has not seen it loads it (two more commands).
    cache.window_incr("warm-up", 30)
    client = cache._cache.get_client(write=True)
    commands = []
    real = client.execute_command
    monkeypatch.setattr(
        client, "execute_command", lambda *args, **kw: commands.append(args[0]) or real(*args, **kw)
    )

    counts = [cache.window_incr("window", 30) for _ in range(3)]

    assert counts == [1, 2, 3]
    assert len(commands) == 3
    assert 0 < client.ttl(cache.make_key("window")) <= 30  # set by the window's first count
    assert cache.get("window") == 3
    assert cache.window_incr("window", 30, 20) == 23  # a lease of 20 at once
    assert cache.window_incr("lease", 30, 20) == 20  # a window's first lease starts it
    assert 0 < client.ttl(cache.make_key("lease")) <= 30
    cache.delete_many(["window", "lease", "warm-up"])


@pytest.fixture
def local_cache_and_clock(settings, monkeypatch):
    """A fresh local-memory cache, and the clock its expiries read (a list: move clock[0])."""
    settings.CACHES = {
        "default": {"BACKEND": "shop.core.cache.LocalMemoryCache", "LOCATION": uuid.uuid4().hex}
    }
    clock = [1000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    return caches["default"], clock


def test_a_window_counter_in_local_memory(local_cache_and_clock):
    cache, clock = local_cache_and_clock

    assert [cache.window_incr("window", 30) for _ in range(3)] == [1, 2, 3]
    assert cache.get("window") == 3
    clock[0] += 29
    assert cache.window_incr("window", 30) == 4  # the window keeps its first expiry
    clock[0] += 2
    assert cache.window_incr("window", 30) == 1  # a new window
    assert cache.window_incr("window", 30, 20) == 21  # a lease of 20 at once
    assert cache.window_incr("lease", 30, 20) == 20


# --- the key check of both backends ------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["with space", "tab\there", "bell\x07", "delete\x7f", "caf\u00e9 ", "x" * 251],
)
def test_keys_memcached_would_refuse_are_still_warned_of(settings, key):
    from django.core.cache import CacheKeyWarning

    redis = _cache(settings, CLOSED)  # the check alone: Redis is never asked
    local = caches["default"]

    with pytest.warns(CacheKeyWarning):
        local.get(key)
    with pytest.warns(CacheKeyWarning):
        redis.validate_key(redis.make_key(key))


def test_ordinary_keys_pass_the_check_silently(settings, recwarn):
    local = caches["default"]

    local.set("catalog:7:card:12:3", "card")
    local.get_many(["likes:decor-set:card:5:1733:ab12", "x" * 240, "ünïcode-is-not-warned"])

    assert local.get("catalog:7:card:12:3") == "card"
    assert not [w for w in recwarn if "CacheKeyWarning" in str(w.category)]


# --- the process memo in front of the shared cache ---------------------------------------------


def test_a_process_memo_keeps_the_most_recently_used_for_its_time(monkeypatch):
    from shop.core.cache import ProcessMemo

    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    memo = ProcessMemo(size=2, seconds=60)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "a" used: "b" is now the least recent
    memo.put("c", 3)

    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, None, 3)
    clock[0] += 61
    assert memo.get("a") is None  # kept no longer than the shared entry would be


def test_clearing_the_cache_empties_every_process_memo(settings):
    from django.core.cache import cache

    from shop.core.cache import ProcessMemo

    memo = ProcessMemo(size=4, seconds=60)
    memo.put("page", "html")

    cache.clear()

    assert memo.get("page") is None


def test_local_memory_get_many_reads_as_get_does(local_cache_and_clock):
    cache, clock = local_cache_and_clock
    cache.set_many({"a": [1], "b": {"x": 2}}, timeout=10)
    cache.set("c", 3, timeout=30)

    assert cache.get_many(["a", "b", "c", "missing"]) == {"a": [1], "b": {"x": 2}, "c": 3}
    first, second = cache.get_many(["a"])["a"], cache.get_many(["a"])["a"]
    assert first == second and first is not second  # a fresh copy each time, as get() gives
    clock[0] += 11
    assert cache.get_many(["a", "b", "c"]) == {"c": 3}  # the expired are gone
    assert cache.has_key("a") is False


def test_a_process_memo_reads_through_once_and_keeps_no_miss():
    from shop.core.cache import ProcessMemo

    memo, loads = ProcessMemo(size=4, seconds=60), []

    assert memo.read("missing", lambda: loads.append("missing")) is None
    assert memo.read("page", lambda: loads.append("page") or "html") == "html"
    assert memo.read("page", lambda: loads.append("again") or "other") == "html"
    assert memo.read("missing", lambda: loads.append("missing")) is None
    assert loads == ["missing", "page", "missing"]
