"""The cache of the likes' decoration of products, per viewer, kept correct by versions.

A decoration (like button with the count, "Liked by …", "Bought by …") depends on the
product's likes and purchases and on the viewer's ties: who their friends are, whom they
block, what those friends share. Reading it for every card of every page would cost a query
over friends × products per request (a viewer with 200 friends: 4,800 likes and as many order
lines per page of 24). So each product's rendered decoration is cached per viewer, under:

- the product's version (`likes:product:<id>`), moved when someone likes or unlikes it and
  when an order with it is paid, cancelled or refunded;
- the viewer's version (`likes:viewer:<id>`), moved when they make or end a friendship, block
  or are blocked, and when one of their friends changes their privacy settings or leaves.

A page's whole set of decorations is cached too, under the versions of its products and the
viewer's (one entry: a list of 24 cards read again costs the versions and that entry, not 24
more reads), and kept in the process's memory as well (shop.core.cache.ProcessMemo: its key
names its versions, so it is never stale; a set read again is not unpickled again).

Like the catalogue's (shop.catalog.cache_versions), a write never deletes entries: it moves a
version after its commit, so the next read builds under a new key; versions are read before
the rows they guard, and a missing version starts at the clock in nanoseconds. Without Redis
the cache is per process (as the catalogue's is): run one process, or Redis, to share it.
"""

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.core.cache import cache
from django.db import transaction

from shop.core.cache import ProcessMemo

SECONDS = 15 * 60
# The sets this process read lately (their key names their versions: never stale), not
# unpickled again on every page.
_sets = ProcessMemo(size=512, seconds=SECONDS)


def _product_key(product_id: int) -> str:
    return f"likes:product:{product_id}"


def _viewer_key(user_id: int) -> str:
    return f"likes:viewer:{user_id}"


def _bump(keys: list[str]) -> None:
    if keys:
        now = time.time_ns()
        cache.set_many(dict.fromkeys(keys, now), SECONDS * 2)


def products_changed(*, product_ids: Iterable[int]) -> None:
    """Move the versions of PRODUCT_IDS once the current transaction commits."""
    keys = [_product_key(pk) for pk in set(product_ids)]
    transaction.on_commit(partial(_bump, keys))


def viewers_changed(*, user_ids: Iterable[int]) -> None:
    """Move the versions of the viewers USER_IDS once the current transaction commits."""
    keys = [_viewer_key(pk) for pk in set(user_ids)]
    transaction.on_commit(partial(_bump, keys))


def friends_of_changed(*, user_id: int) -> None:
    """USER_ID's privacy or account changed: what each of their friends is shown moves."""
    from django.contrib.auth import get_user_model

    from social.graph.selectors import friend_ids_of

    person = get_user_model()(pk=user_id)
    ids = list(friend_ids_of(user=person).values_list("friend_id", flat=True))
    viewers_changed(user_ids=[user_id, *ids])


@dataclass
class Lookup:
    """What decorations_get found: the cached decorations by product, the keys of those to
    build, and the key of the whole set (the page's products in order, under their versions)."""

    found: dict[int, str]
    to_build: dict[int, str]
    set_key: str


def decorations_get(*, viewer, product_ids: list[int], place: str) -> Lookup:
    """Look the decorations of PRODUCT_IDS for VIEWER at PLACE up: the versions first (one
    read), then the whole set as the same page last cached it (one more), and only when that
    misses, each product's own (one more)."""
    version_keys = [_product_key(pk) for pk in product_ids] + [_viewer_key(viewer.pk)]
    versions = cache.get_many(version_keys)
    missing = [key for key in version_keys if key not in versions]
    if missing:
        now = time.time_ns()
        started = dict.fromkeys(missing, now)
        cache.set_many(started, SECONDS * 2)
        versions.update(started)
    viewer_version = versions[_viewer_key(viewer.pk)]
    product_versions = [(pk, versions[_product_key(pk)]) for pk in product_ids]
    # A card list repeats its products page after page: the set of a page is one entry, so a
    # page read again costs two reads whatever the number of its products.
    digest = hashlib.sha256(repr(product_versions).encode()).hexdigest()[:32]
    set_key = f"likes:decor-set:{place}:{viewer.pk}:{viewer_version}:{digest}"
    whole = _sets.read(set_key, partial(cache.get, set_key))
    if whole is not None:
        return Lookup(found=whole, to_build={}, set_key=set_key)
    keys = {
        pk: f"likes:decor:{place}:{viewer.pk}:{pk}:{version}:{viewer_version}"
        for pk, version in product_versions
    }
    found = cache.get_many(list(keys.values()))
    hits = {pk: found[key] for pk, key in keys.items() if key in found}
    to_build = {pk: key for pk, key in keys.items() if pk not in hits}
    return Lookup(found=hits, to_build=to_build, set_key=set_key)


def decorations_set(lookup: Lookup, built: dict[int, str]) -> None:
    """Cache the decorations BUILT for LOOKUP's missing products, and the whole set."""
    entries: dict[str, object] = {lookup.to_build[pk]: html for pk, html in built.items()}
    entries[lookup.set_key] = whole = {**lookup.found, **built}
    cache.set_many(entries, SECONDS)
    _sets.put(lookup.set_key, whole)


# --- what moves the versions ----------------------------------------------------------------


def _order_products(sender, *, order_id: int, **kwargs) -> None:
    from shop.orders.models import OrderLine

    ids = OrderLine.objects.filter(order_id=order_id, variant__isnull=False).values_list(
        "variant__product_id", flat=True
    )
    products_changed(product_ids=list(ids))


def _friend_request_accepted(sender, *, request_id: int, **kwargs) -> None:
    from social.graph.models import FriendRequest

    row = FriendRequest.objects.filter(pk=request_id).values("from_user_id", "to_user_id").first()
    if row:
        viewers_changed(user_ids=[row["from_user_id"], row["to_user_id"]])


def _invite_accepted(sender, *, referral_id: int, **kwargs) -> None:
    from social.graph.models import Referral

    row = Referral.objects.filter(pk=referral_id).values("inviter_id", "newcomer_id").first()
    if row:
        viewers_changed(user_ids=[row["inviter_id"], row["newcomer_id"]])


def _friendship_ended(sender, *, user_id: int, friend_id: int, **kwargs) -> None:
    viewers_changed(user_ids=[user_id, friend_id])


def _person_blocked(sender, *, blocker_id: int, blocked_id: int, **kwargs) -> None:
    viewers_changed(user_ids=[blocker_id, blocked_id])


def _privacy_changed(sender, *, user_id: int, **kwargs) -> None:
    friends_of_changed(user_id=user_id)


def connect() -> None:
    """Connect the events that move versions (from LikesConfig.ready())."""
    from shop.orders import events as order_events
    from social.graph import events as graph_events

    for signal, receiver in (
        (order_events.order_paid, _order_products),
        (order_events.order_cancelled, _order_products),
        (order_events.order_refunded, _order_products),
        (graph_events.friend_request_accepted, _friend_request_accepted),
        (graph_events.invite_accepted, _invite_accepted),
        (graph_events.friendship_ended, _friendship_ended),
        (graph_events.person_blocked, _person_blocked),
        (graph_events.privacy_changed, _privacy_changed),
    ):
        signal.connect(receiver, weak=False, dispatch_uid=f"likes.{receiver.__name__}")
