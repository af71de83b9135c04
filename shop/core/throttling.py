"""API throttles (DEFAULT_THROTTLE_CLASSES): per visitor IP, per user, and stricter named scopes.

Every API request counts against "anon" (per client IP) or "user" (per account). A view that
names a `throttle_scope` ("discount", "payment", "login", "signup") also counts against that
scope's stricter rate, per account or, for visitors, per IP: guessing discount codes or testing
stolen cards takes a few tries a minute, not thousands.

Each count is one cache counter per client and time window (window_incr: one atomic
operation, which starts the counter with its expiry on the window's first request), so a
request costs the same however many came before it; DRF's own throttles keep and rewrite the
list of every request's time. A window lets up to twice the rate through across its edge,
which is enough to stop guessing. Rates are read from settings.API_THROTTLE_RATES on every
request (the environment sets them; a test can change them). When the cache keeps nothing
(down: its errors are misses, see the cache backend) the counter is missing and the request
goes through: throttling degrades open, it never fails a request.

Counted in leases. A process takes a client's requests from the shared counter a lease at a
time, 1/LEASE_SHARE of the rate (one for a rate under 2 * LEASE_SHARE: the named scopes stay
exact), and lets the lease's requests through from its memory without asking the cache
again: a signed-in API request paid a Redis round trip for its count, about a fifth of the
time of /api/v1/me. The limit still holds across processes: a lease is granted only as far as
the counter stays within the rate, so all processes together never let more than the rate
through. What a lease costs is the other way: requests a process leased and did not use are
counted for the client, so with P processes a client may be refused up to (P - 1) * (lease - 1)
requests before reaching its rate (2% of it per other process). In one process the count is
exact. A lease is kept for its window only, in a bounded table that clearing the cache empties.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import BaseThrottle

from shop.core.cache import ProcessMemo

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def throttle_rate_parse(rate: str) -> tuple[int, int]:
    """Return (requests, seconds) of a rate such as "10/minute" or "300/m"."""
    count, _, period = rate.partition("/")
    try:
        return int(count), _PERIODS[period.strip()[:1]]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"A throttle rate is requests/period (second, minute, hour or day), not {rate!r}."
        ) from None


class _WindowThrottle(BaseThrottle):
    """Count a client's requests in fixed windows of the scope's period; refuse past the rate."""

    def scope_of(self, request, view) -> str | None:
        raise NotImplementedError

    def client_of(self, request) -> str:
        if request.user and request.user.is_authenticated:
            return f"user-{request.user.pk}"
        return f"ip-{self.get_ident(request)}"

    def allow_request(self, request, view) -> bool:
        scope = self.scope_of(request, view)
        if scope is None:
            return True
        try:
            limit, seconds = throttle_rate_parse(settings.API_THROTTLE_RATES[scope])
        except KeyError:
            raise ImproperlyConfigured(
                f"settings.API_THROTTLE_RATES has no rate for the {scope!r} scope."
            ) from None
        now = time.time()
        window = int(now // seconds)
        key = f"throttle:{scope}:{self.client_of(request)}:{window}"
        self.wait_seconds = (window + 1) * seconds - now
        return _admit(key, limit=limit, seconds=seconds)

    def wait(self) -> float | None:
        return getattr(self, "wait_seconds", None)


# A lease is this share of the rate: with P processes, (P - 1) / LEASE_SHARE of a client's rate
# may go unused at worst, and a busy client costs one cache operation per lease in a process.
LEASE_SHARE = 50


class _Leases(ProcessMemo):
    """What this process may still let through of each counter it leased from, by key (a key
    names its window: a lease is never spent in another)."""

    def spend(self, key: str) -> bool:
        """Take one request from KEY's lease; False when there is none left."""
        with self._lock:
            kept = self._values.get(key)
            if kept is None or kept[1] <= 0 or kept[0] <= time.monotonic():
                return False
            self._values[key] = (kept[0], kept[1] - 1)
            return True


# The longest window is a day; a key names its window, so expiry only frees memory.
_leases = _Leases(size=10_000, seconds=86_400 + 1)


def lease_size(limit: int) -> int:
    """How many requests a process takes from a counter at a time, for a rate of LIMIT."""
    return max(1, limit // LEASE_SHARE)


def _admit(key: str, *, limit: int, seconds: int, leases: _Leases | None = None) -> bool:
    """Whether one more request counted under KEY is within LIMIT: from this process's lease
    of KEY (in LEASES, by default the process's table), else from a new lease (a cache
    operation) granted as far as the count allows."""
    leases = _leases if leases is None else leases
    if leases.spend(key):
        return True
    lease = lease_size(limit)
    count = _window_count(key, seconds=seconds, by=lease)
    if count is None:  # no counter: evicted, or the cache is down and answers misses
        return True
    granted = min(lease, limit - (count - lease))  # the part of the lease within the limit
    if granted <= 0:
        return False
    if granted > 1:
        leases.put(key, granted - 1)  # this request takes one
    return True


def _window_count(key: str, *, seconds: int, by: int = 1) -> int | None:
    """Count BY more requests in the window counted under KEY and return the count (None when
    the cache keeps no counter). One cache operation (the backends' window_incr: in Redis one
    atomic round trip, which creates the counter with its expiry on the window's first
    request); a cache without it increments, or adds the window's first count."""
    window_incr = getattr(cache, "window_incr", None)
    if window_incr is not None:
        return window_incr(key, seconds + 1, by)
    try:
        return cache.incr(key, by)
    except ValueError:
        pass
    if cache.add(key, by, timeout=seconds + 1):
        return by
    try:
        return cache.incr(key, by)
    except ValueError:
        return None


class VisitorRateThrottle(_WindowThrottle):
    """Every request of a visitor without an account, counted per client IP ("anon")."""

    def scope_of(self, request, view) -> str | None:
        return None if request.user and request.user.is_authenticated else "anon"


class UserRateThrottle(_WindowThrottle):
    """Every request of a signed-in account, counted per account ("user")."""

    def scope_of(self, request, view) -> str | None:
        return "user" if request.user and request.user.is_authenticated else None


class ScopedRateThrottle(_WindowThrottle):
    """The requests to views naming a `throttle_scope`, counted per account or visitor IP."""

    def scope_of(self, request, view) -> str | None:
        return getattr(view, "throttle_scope", None) or None


class _NamedScopeThrottle(_WindowThrottle):
    def __init__(self, scope: str):
        self.scope = scope

    def scope_of(self, request, view) -> str | None:
        return self.scope


def request_throttle_wait(request, *, scope: str) -> float | None:
    """Count an HTML view's REQUEST against SCOPE, as the API's views are counted.

    Return None while the client is within the rate, else the seconds until it may try again.
    For forms that do what a throttled API endpoint does (apply a discount code, pay).
    """
    throttle = _NamedScopeThrottle(scope)
    if throttle.allow_request(request, None):
        return None
    return throttle.wait() or 1.0
