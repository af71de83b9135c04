"""Where a shopper came from, carried from their session onto the orders they place.

The shop does not know what an attribution means. Another app that brought the shopper (a
friend's share link: social.likes writes "share:<token>:<visit>") puts a short opaque text
in the session with attribution_remember(); the checkout copies the session's text onto the
order it places (Order.attribution), and that app reads it back from the order when the
order's events reach it (order_placed, order_paid). So the shop imports nothing of theirs,
and an order keeps where it came from even after the session is gone.
"""

from collections.abc import MutableMapping

ATTRIBUTION_SESSION_KEY = "attribution"
ATTRIBUTION_MAX_LENGTH = 100


def attribution_remember(session: MutableMapping, *, value: str) -> None:
    """Keep VALUE as the session's attribution (the latest one wins), cut to its length."""
    session[ATTRIBUTION_SESSION_KEY] = value[:ATTRIBUTION_MAX_LENGTH]


def attribution_from_session(session: MutableMapping) -> str:
    """The session's attribution, or "" (a missing or malformed one is none)."""
    value = session.get(ATTRIBUTION_SESSION_KEY, "")
    return value[:ATTRIBUTION_MAX_LENGTH] if isinstance(value, str) else ""
