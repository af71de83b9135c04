"""A circuit breaker: after a helper service fails, stop calling it for a short while.

A request that finds Redis down pays for one failed attempt (a refused connection, or a
connect timeout of a fraction of a second); the requests that follow within
`reset_after` seconds skip the call and take the fallback at once. The first call after
that tries again. An outage is logged once as a warning when it starts, and once when
the service answers again, not once per call.

Breakers are shared by every thread of the process, one per name (`breaker_get`).
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, *, name: str, reset_after: float) -> None:
        self.name = name
        self.reset_after = reset_after
        self._open_until = 0.0
        self._failing = False

    def allows(self) -> bool:
        """Whether to call the service now (closed, or open for longer than reset_after)."""
        return time.monotonic() >= self._open_until

    def failed(self, error: BaseException) -> None:
        """Open the breaker after a failed call; warn if the service was healthy until now."""
        # Threads race on these two fields harmlessly: at worst two warnings for one outage.
        if not self._failing:
            logger.warning(
                "%s is unreachable (%s: %s); skipping it for %.1f s at a time until it answers",
                self.name,
                type(error).__name__,
                error,
                self.reset_after,
            )
        self._failing = True
        self._open_until = time.monotonic() + self.reset_after

    def succeeded(self) -> None:
        """Close the breaker after a call that worked."""
        if self._failing:
            logger.warning("%s answers again", self.name)
            self._failing = False
            self._open_until = 0.0

    def reset(self) -> None:
        """Forget any failure (tests; a configuration change)."""
        self._failing = False
        self._open_until = 0.0


_breakers: dict[str, CircuitBreaker] = {}
_lock = threading.Lock()


def breaker_get(*, name: str, reset_after: float) -> CircuitBreaker:
    """Return the process's breaker called `name`, making it on first use."""
    with _lock:
        breaker = _breakers.get(name)
        if breaker is None:
            breaker = _breakers[name] = CircuitBreaker(name=name, reset_after=reset_after)
        breaker.reset_after = reset_after
        return breaker


def breakers_reset() -> None:
    """Close every breaker of the process."""
    with _lock:
        for breaker in _breakers.values():
            breaker.reset()
