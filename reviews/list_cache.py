"""The anonymous reviews list of a product, cached: the fragment every product page loads by
htmx (/products/<slug>/reviews/), the same for every visitor, so built once per version.

Like the catalogue's page cache (shop.catalog.page_cache), a hit costs no query: the entry is
found by the product's slug from the address, under three versions read in one cache round
trip (then one more for the entry). A write never deletes entries: it moves a version once it
commits, and the next read builds under a new key.
- the catalogue's (shop.catalog.cache_versions), moved by any change of a product: an
  unpublished or renamed product (a renamed one is another slug, which 404s once built);
- the product's reviews (`reviews:list:<slug digest>`), moved by every write that changes
  what its list shows: a review written, edited, deleted, hidden or restored, a vote (the
  helpful counts and the "most helpful" order), a merchant's reply. The write knows the
  product's id: once it commits, the product's slug is read then (so a rename committed in
  between is seen; one committed later moves the catalogue's version) and its version moved;
- the names' (`reviews:names`), moved when anyone's name or their choice to show it on
  reviews changes (rare: every list is built again).
A missing version starts at the clock in nanoseconds. A product's version is only started
once its list was built with a 200 (an unknown slug leaves nothing in the cache), and the
list is kept only if no write started or moved it meanwhile. Signed-in visitors are not
served from here: their list puts their friends first and shows their own votes.
"""

import hashlib
import time
from dataclasses import dataclass
from functools import partial

from django.core.cache import cache
from django.db import transaction

from shop.catalog import cache_versions

SECONDS = 15 * 60
NAMES_KEY = "reviews:names"


def _product_key(slug: str) -> str:
    # Digested: an address's slug may be long (the cache's keys stay short).
    return f"reviews:list:{hashlib.sha256(slug.encode()).hexdigest()[:32]}"


def _bump(keys: list[str]) -> None:
    cache.set_many(dict.fromkeys(keys, time.time_ns()), SECONDS * 2)


def _product_bump(product_id: int) -> None:
    from reviews.selectors import product_slug

    slug = product_slug(product_id=product_id)
    if slug is not None:
        _bump([_product_key(slug)])


def reviews_changed(*, product_id: int) -> None:
    """What PRODUCT_ID's list shows changed: its cached lists are built again once the
    current transaction commits."""
    transaction.on_commit(partial(_product_bump, product_id))


def names_changed(sender=None, **kwargs) -> None:
    """Someone's name, or whether it shows on their reviews, changed (a receiver of
    accounts' profile_changed and the graph's privacy_changed)."""
    fields = kwargs.get("fields")
    if fields is not None and "reviews_show_name" not in fields:
        return
    _bump([NAMES_KEY])


@dataclass(frozen=True)
class ListEntry:
    """Where the anonymous list of a slug and variant is cached under the current versions.
    `started`: the product's version was missing; list_set starts it at this value."""

    key: str
    product_key: str
    started: int | None = None


def list_get(*, slug: str, variant: str) -> tuple[bytes | None, ListEntry]:
    """(The cached list of SLUG's product as VARIANT says (filters, page), or None; where to
    keep it once built). Read before the database is: one cache round trip for the versions,
    one for the list, no query."""
    product_key = _product_key(slug)
    found = cache.get_many([cache_versions.CATALOG_VERSION_KEY, product_key, NAMES_KEY])
    catalog = found.get(cache_versions.CATALOG_VERSION_KEY)
    if catalog is None:
        catalog = cache_versions.catalog_version()
    names = found.get(NAMES_KEY)
    if names is None:
        cache.add(NAMES_KEY, time.time_ns(), SECONDS * 2)
        names = cache.get(NAMES_KEY, 0)
    product = found.get(product_key)
    started = None
    if product is None:
        product = started = time.time_ns()
    digest = product_key.rsplit(":", 1)[1]
    entry = ListEntry(
        key=f"reviews:list-html:{digest}:{catalog}:{product}:{names}:{variant}",
        product_key=product_key,
        started=started,
    )
    if started is not None:
        return None, entry
    return cache.get(entry.key), entry


def list_set(entry: ListEntry, content: bytes) -> None:
    """Keep a list built after list_get gave ENTRY (and only then)."""
    if entry.started is not None:
        cache.add(entry.product_key, entry.started, SECONDS * 2)
        if cache.get(entry.product_key) != entry.started:
            return  # a write moved the version since: this list may be older than it
    cache.set(entry.key, content, SECONDS)
