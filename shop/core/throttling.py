"""API throttles (DEFAULT_THROTTLE_CLASSES): per visitor IP, per user, and stricter named scopes.

Every API request counts against "anon" (per client IP) or "user" (per account). A view that
names a `throttle_scope` ("discount", "payment", "login", "signup") also counts against that
scope's stricter rate, per account or, for visitors, per IP: guessing discount codes or testing
stolen cards takes a few tries a minute, not thousands.

Each count is one cache counter per client and time window (window_incr: one atomic
operation, which starts the counter with its expiry on the window's first request),
so a request costs the same however many came before it; DRF's own throttles keep and rewrite
the list of every request's time. A window lets up to twice the rate through across its edge,
which is enough to stop guessing. Rates are read from settings.API_THROTTLE_RATES on every
request (the environment sets them; a test can change them). When the cache keeps nothing
(down: its errors are misses, see the cache backend) the counter is missing and the request
goes through: throttling degrades open, it never fails a request.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import BaseThrottle

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
        count = _window_count(key, seconds=seconds)
        if count is None:  # no counter: evicted, or the cache is down and answers misses
            return True
        self.wait_seconds = (window + 1) * seconds - now
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self, "wait_seconds", None)


def _window_count(key: str, *, seconds: int) -> int | None:
    """Count one more request in the window counted under KEY and return the count (None when
    the cache keeps no counter). One cache operation (the backends' window_incr: in Redis one
    atomic round trip, which creates the counter with its expiry on the window's first
    request); a cache without it increments, or adds the window's first count."""
    window_incr = getattr(cache, "window_incr", None)
    if window_incr is not None:
        return window_incr(key, seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:
        pass
    if cache.add(key, 1, timeout=seconds + 1):
        return 1
    try:
        return cache.incr(key)
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
