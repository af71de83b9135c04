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

Two costs of Django's Redis client are cut (_KeptClient): it built a redis-py client object
for every operation (~0.1 ms, more than a GET on loopback), and incr() took two round trips
(EXISTS, then INCRBY: every API request's throttle counter); here one client per connection
pool is kept and incr() is one atomic script.

Both backends also count in windows: `window_incr(key, timeout, by=1)` adds BY to a counter
that starts at BY and expires TIMEOUT seconds after its first count, and returns the count
(None when the cache keeps nothing), in one operation (in Redis: one round trip, atomic). The
API throttles count their requests so, a lease of several at a time (shop.core.throttling).
"""

import contextlib
import pickle
import threading
import time
import weakref
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT, MEMCACHE_MAX_KEY_LENGTH
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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
    """Django's local-memory cache (each process its own), for a site without REDIS_URL.

    get_many takes the lock once for all its keys: Django's calls get() per key, each taking
    the lock and checking the key anew (~10 us a key; the feed reads some 30 at a time)."""

    def get_many(self, keys, version=None):
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        pickled = {}
        now = time.time()
        with self._lock:
            for key, asked in made.items():
                expiry = self._expire_info.get(key, -1)
                if expiry is not None and expiry <= now:  # missing (-1) or expired
                    self._delete(key)
                    continue
                pickled[asked] = self._cache[key]
                self._cache.move_to_end(key, last=False)
        return {asked: pickle.loads(value) for asked, value in pickled.items()}

    def clear(self):
        process_memos_clear()
        super().clear()

    def window_incr(self, key: str, timeout: int, by: int = 1) -> int | None:
        """Count BY more under KEY (a counter started at BY, kept TIMEOUT seconds from its
        first count); the count."""
        key = self.make_and_validate_key(key)
        with self._lock:
            if self._has_expired(key):
                self._set(key, pickle.dumps(by, self.pickle_protocol), timeout)
                return by
            count = pickle.loads(self._cache[key]) + by
            self._cache[key] = pickle.dumps(count, self.pickle_protocol)
            self._cache.move_to_end(key, last=False)
            return count


# INCRBY on a key that exists, atomically; nil (None) when it does not: Django's incr() says
# so with ValueError, and must not create the key (it would have no expiry).
_INCR_EXISTING = """
if redis.call('exists', KEYS[1]) == 1 then
  return redis.call('incrby', KEYS[1], ARGV[1])
end
return false
"""

# BY (ARGV[2]) more in a window's counter: created at BY with its expiry (ARGV[1]),
# atomically (never a counter without one). A counter is never 0, so it was created exactly
# when the count is BY.
_WINDOW_INCR = """
local count = redis.call('incrby', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then
  redis.call('expire', KEYS[1], ARGV[1])
end
return count
"""


class _KeptClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis-py client per connection pool (a client
    is only a handle on its pool, and as thread-safe as the pool) instead of building one per
    operation, and incrementing in one round trip."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _script_run(self, source: str, key, *args):
        client = self.get_client(key, write=True)
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[id(client), source] = client.register_script(source)
        return script(keys=[key], args=list(args), client=client)

    def incr(self, key, delta):
        value = self._script_run(_INCR_EXISTING, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def window_incr(self, key, timeout: int, by: int = 1) -> int:
        return self._script_run(_WINDOW_INCR, key, max(1, int(timeout)), int(by))


class ResilientRedisCache(_QuickKeyCheck, RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        reset_after = float(options.pop("BREAKER_SECONDS", 5.0))
        super().__init__(server, {**params, "OPTIONS": {**_POOL_DEFAULTS, **options}})
        self._class = _KeptClient
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

    def window_incr(self, key: str, timeout: int, by: int = 1) -> int | None:
        """Count BY more under KEY (see the module's docstring); None when Redis is away."""
        key = self.make_and_validate_key(key)
        try:
            return self._call(self._cache.window_incr, key, timeout, by)
        except _Miss:
            return None

    def clear(self):
        process_memos_clear()
        try:
            return self._call(super().clear)
        except _Miss:
            return False


class ProcessMemo:
    """A bounded map, in this process's memory, of values that do not change under their key
    (a key naming the versions its value was made under), kept in front of the shared cache
    for SECONDS at most, as the shared entry would be: a value read again is not unpickled
    again (a feed page's cached HTML, some 50 KB, cost more to unpickle than to fill). Least
    recently used out first; thread-safe. Values are shared between requests: never change
    one in place.

    Correctness stays with the versions: look up only a key whose versions were just read.
    Clearing the cache (cache.clear(): tests) empties every memo too."""

    def __init__(self, *, size: int, seconds: float):
        self._size, self._seconds = size, seconds
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _memos.add(self)

    def get(self, key):
        with self._lock:
            kept = self._values.get(key)
            if kept is None:
                return None
            if kept[0] <= time.monotonic():
                del self._values[key]
                return None
            self._values.move_to_end(key)
            return kept[1]

    def read(self, key, load):
        """The value kept under KEY, else LOAD() (kept when it is not None)."""
        value = self.get(key)
        if value is None:
            value = load()
            if value is not None:
                self.put(key, value)
        return value

    def put(self, key, value) -> None:
        with self._lock:
            self._values[key] = (time.monotonic() + self._seconds, value)
            self._values.move_to_end(key)
            while len(self._values) > self._size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_memos: "weakref.WeakSet[ProcessMemo]" = weakref.WeakSet()


def process_memos_clear() -> None:
    for memo in list(_memos):
        memo.clear()
