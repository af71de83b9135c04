"""The cache backends of the site: Redis (a Redis that is down or slow is a cache miss), and
local memory when there is no Redis; both check keys at C speed (_QuickKeyCheck).

Configured in settings.CACHES when REDIS_URL is set. Every operation that cannot reach
Redis (refused connection, timeout) degrades instead of raising into the request, as if
the cache were empty and forgot at once whatever it is given:

    get, get_many -> the default (a miss)   set, set_many, delete, delete_many, touch, clear
    has_key -> False                        -> no-op
    add -> True (the key was absent)        incr/decr -> ValueError, as for a missing key

So pages render uncached, allauth's rate limits and DRF's throttles count nothing and let
requests through (allauth takes a lock with add(): refusing it would answer every log-in
429), and catalogue invalidations are skipped (entries expire by their timeout), for as
long as Redis is away. Short socket timeouts, no client retries,
and a circuit breaker shared by the process (shop.core.breaker) keep a down Redis from
costing a request more than a fraction of a second; the outage is logged once.

OPTIONS, besides redis-py's connection-pool options: BREAKER_SECONDS (how long to skip
Redis after a failure, default 5).
"""

import contextlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT, MEMCACHE_MAX_KEY_LENGTH
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from shop.core.breaker import breaker_get

# What "Redis is unreachable" looks like. Anything else (a value that does not pickle, a
# wrong type) is a bug and still raises.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

_POOL_DEFAULTS = {
    "socket_connect_timeout": 0.25,
    "socket_timeout": 0.5,
    # The breaker decides when to try again; redis-py's own retries only add waiting.
    "retry": Retry(NoBackoff(), 0),
}


class _Miss(Exception):
    """Raised inside the backend when the call was skipped or failed."""


class _QuickKeyCheck:
    """Every cache operation checks its key (Django warns of keys memcached would refuse: over
    250 characters, or with a space or a control character). Django looks at the key a
    character at a time in Python, ~3 microseconds a key, and a signed-in catalogue page reads
    some 60 keys. A key of printable ASCII without a space, short enough, has nothing to warn
    of, which str's own checks tell at once; any other key gets Django's check, and warning."""

    def validate_key(self, key: str) -> None:
        if (
            len(key) <= MEMCACHE_MAX_KEY_LENGTH
            and key.isascii()
            and key.isprintable()
            and " " not in key
        ):
            return
        super().validate_key(key)


class LocalMemoryCache(_QuickKeyCheck, LocMemCache):
    """Django's local-memory cache (each process its own), for a site without REDIS_URL."""


class ResilientRedisCache(_QuickKeyCheck, RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        reset_after = float(options.pop("BREAKER_SECONDS", 5.0))
        super().__init__(server, {**params, "OPTIONS": {**_POOL_DEFAULTS, **options}})
        self._breaker = breaker_get(name=f"Redis cache {server}", reset_after=reset_after)

    def _call(self, operation, *args, **kwargs):
        """Run one Redis operation through the breaker; raise _Miss if Redis is away."""
        if not self._breaker.allows():
            raise _Miss
        try:
            result = operation(*args, **kwargs)
        except UNREACHABLE as exc:
            self._breaker.failed(exc)
            raise _Miss from exc
        self._breaker.succeeded()
        return result

    def get(self, key, default=None, version=None):
        try:
            return self._call(super().get, key, default, version)
        except _Miss:
            return default

    def get_many(self, keys, version=None):
        try:
            return self._call(super().get_many, keys, version)
        except _Miss:
            return {}

    def has_key(self, key, version=None):
        try:
            return self._call(super().has_key, key, version)
        except _Miss:
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().add, key, value, timeout, version)
        except _Miss:
            return True

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with contextlib.suppress(_Miss):
            self._call(super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().set_many, data, timeout, version)
        except _Miss:
            return list(data)  # Django's contract: the keys that were not stored

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._call(super().touch, key, timeout, version)
        except _Miss:
            return False

    def delete(self, key, version=None):
        try:
            return self._call(super().delete, key, version)
        except _Miss:
            return False

    def delete_many(self, keys, version=None):
        with contextlib.suppress(_Miss):
            self._call(super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        try:
            return self._call(super().incr, key, delta, version)
        except _Miss:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)") from None

    def clear(self):
        try:
            return self._call(super().clear)
        except _Miss:
            return False
