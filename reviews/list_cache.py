"""The anonymous reviews list of a product, cached: the fragment every product page loads by
htmx (/products/<slug>/reviews/), the same for every visitor, so built once per version.

Like the catalogue's caches (shop.catalog.cache_versions), a write never deletes entries: it
moves a version once it commits, and the next read builds under a new key. Two versions:
- the product's (`reviews:list:<product id>`), moved by every write that changes what its
  list shows: a review written, edited, deleted, hidden or restored, a vote (the helpful
  counts and the "most helpful" order), a merchant's reply;
- the names' (`reviews:names`), moved when anyone's name or their choice to show it on
  reviews changes (rare: every list is built again).
A missing version starts at the clock in nanoseconds. Signed-in visitors are not served from
here: their list puts their friends first and shows their own votes.
"""

import time
from functools import partial

from django.core.cache import cache
from django.db import transaction

SECONDS = 15 * 60
NAMES_KEY = "reviews:names"


def _product_key(product_id: int) -> str:
    return f"reviews:list:{product_id}"


def _bump(keys: list[str]) -> None:
    cache.set_many(dict.fromkeys(keys, time.time_ns()), SECONDS * 2)


def reviews_changed(*, product_id: int) -> None:
    """What PRODUCT_ID's list shows changed: its cached lists are built again once the
    current transaction commits."""
    transaction.on_commit(partial(_bump, [_product_key(product_id)]))


def names_changed(sender=None, **kwargs) -> None:
    """Someone's name, or whether it shows on their reviews, changed (a receiver of
    accounts' profile_changed and the graph's privacy_changed)."""
    fields = kwargs.get("fields")
    if fields is not None and "reviews_show_name" not in fields:
        return
    _bump([NAMES_KEY])


def list_key(*, product_id: int, variant: str) -> str:
    """The cache key of PRODUCT_ID's anonymous list as VARIANT says (filters, page), under the
    current versions (one cache read)."""
    keys = [_product_key(product_id), NAMES_KEY]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        now = time.time_ns()
        for key in missing:
            cache.add(key, now, SECONDS * 2)
        found.update(cache.get_many(missing))
    versions = ":".join(str(found.get(key, 0)) for key in keys)
    return f"reviews:list-html:{product_id}:{versions}:{variant}"


def list_get(key: str) -> bytes | None:
    return cache.get(key)


def list_set(key: str, content: bytes) -> None:
    cache.set(key, content, SECONDS)
