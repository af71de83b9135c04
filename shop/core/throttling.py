"""API throttles (DEFAULT_THROTTLE_CLASSES): per visitor IP, per user, and stricter named scopes.

Every API request counts against "anon" (per client IP) or "user" (per account). A view that
names a `throttle_scope` ("discount", "payment", "login", "signup") also counts against that
scope's stricter rate, per account or, for visitors, per IP: guessing discount codes or testing
stolen cards takes a few tries a minute, not thousands.

Rates are read from settings.API_THROTTLE_RATES on every request (not once at import, as DRF's
own classes do), so the environment sets them and a test can change them. The counters live in
the default cache; when the cache is down its errors are misses (see the cache backend), and
an empty history lets the request through: throttling degrades open, it never fails a request.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling


class _RatesFromSettings:
    scope: str

    def get_rate(self) -> str:
        try:
            return settings.API_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(
                f"settings.API_THROTTLE_RATES has no rate for the {self.scope!r} scope."
            ) from None


class VisitorRateThrottle(_RatesFromSettings, throttling.AnonRateThrottle):
    """Every request of a visitor without an account, counted per client IP ("anon")."""


class UserRateThrottle(_RatesFromSettings, throttling.UserRateThrottle):
    """Every request of a signed-in account, counted per account ("user")."""


class ScopedRateThrottle(_RatesFromSettings, throttling.ScopedRateThrottle):
    """The requests to views naming a `throttle_scope`, counted per account or visitor IP."""
