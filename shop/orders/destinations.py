"""Addresses a buyer ships to without ever seeing them: a gift sent to "Ana's registry
address".

The shop does not know where such addresses come from (a wishlist, later a gift pool): an app
registers a resolver for its prefix in AppConfig.ready(), and offers a destination to a
shopper by putting its key in their session (destination_offer) when they choose to buy a
gift. Checkout asks destinations_offered() which ones this shopper may use now; the resolver
decides (and may say no: the claim was released, the list deleted, its address removed).

The buyer reads only the label; the order keeps the real address (the merchant ships to it)
and the label (Order.ship_to_label), and every page, email, API answer and export the buyer
gets shows the label instead of the address.
"""

from collections.abc import Callable
from dataclasses import dataclass

from shop.orders.addresses import AddressInput

SESSION_KEY = "checkout_destinations"
# Offers kept per session: the newest ones.
MAX_OFFERED = 5


@dataclass(frozen=True)
class HiddenDestination:
    # "<prefix>:<what the resolver reads>", e.g. "wishlist:<list token>"; never an address.
    key: str
    # What the buyer reads: "Ana's registry address".
    label: str
    address: AddressInput


Resolver = Callable[..., HiddenDestination | None]
_resolvers: dict[str, Resolver] = {}


def destination_resolver_register(*, prefix: str, resolver: Resolver) -> None:
    """RESOLVER(user=, rest=) answers for keys "PREFIX:rest": the destination USER may ship
    to, or None."""
    _resolvers[prefix] = resolver


def destination_resolve(*, user, key: str) -> HiddenDestination | None:
    """The destination KEY names, if USER (signed in) may ship to it now; else None."""
    if user is None or not isinstance(key, str) or ":" not in key:
        return None
    prefix, rest = key.split(":", 1)
    resolver = _resolvers.get(prefix)
    if resolver is None or not rest:
        return None
    return resolver(user=user, rest=rest)


def destination_offer(session, *, key: str) -> None:
    """Offer the destination KEY at this session's next checkout (newest first)."""
    offered = [k for k in session.get(SESSION_KEY, []) if isinstance(k, str) and k != key]
    session[SESSION_KEY] = [key, *offered][:MAX_OFFERED]


def destinations_offered(session, *, user) -> list[HiddenDestination]:
    """The destinations offered to this session that USER may still ship to, newest first."""
    if user is None:
        return []
    found = []
    for key in session.get(SESSION_KEY, []):
        destination = destination_resolve(user=user, key=key)
        if destination is not None:
            found.append(destination)
    return found
