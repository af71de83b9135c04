"""The catalogue's cache versions: every cached catalogue read is keyed by the ones it depends on.

A write never deletes cached entries; it moves a version on commit, so the next read builds
under a new key and the old entries age out. Four kinds of version, from coarse to fine:

- the catalogue version: any change of a product, variant, image, category or merchant
  (services.catalog_changed). Every catalogue key carries it (catalog_cache_key).
- a product's stock version, by slug: any stock take or release of its variants. What shows
  stock counts or messages carries it: the product page, the API's product detail.
- a product's in-stock version, by id: the product may have become sold out or back in stock.
  What shows only "in stock or not" carries it: product cards, the API's list items.
- the in-stock version: some product's in-stock version moved. Lists filtered by in_stock
  carry it (which products they hold changed); page_cache also checks it to know whether
  cards rendered during a page build may be cached.

So an order moves the stock version of the products it bought and nothing else, unless it
sells a variant out (or a release brings one back), which moves those products' in-stock
versions too: every page that shows them rebuilds them at once, other pages keep their cache.

A version that is missing (never set, or evicted) is started at the clock in nanoseconds,
so it never comes back to a value that older entries were keyed with.
"""

import time
from collections.abc import Iterable

from django.core.cache import cache

CATALOG_VERSION_KEY = "catalog:version"
IN_STOCK_VERSION_KEY = "catalog:in-stock-version"


def _stock_key(slug: str) -> str:
    return f"catalog:stock-version:{slug}"


def _in_stock_key(product_id: int) -> str:
    return f"catalog:in-stock-version:{product_id}"


def _version_get(key: str) -> int:
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key, 0)
    return version


def _versions_get(keys: dict[object, str]) -> dict[object, int]:
    """Read many versions in one cache round trip; start the missing ones."""
    found = cache.get_many(list(keys.values()))
    versions = {}
    for name, key in keys.items():
        version = found.get(key)
        if version is None:
            version = _version_get(key)
        versions[name] = version
    return versions


def _version_bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # Not set yet (or evicted): any fresh value invalidates old keys.
        cache.set(key, time.time_ns(), timeout=None)


def catalog_version() -> int:
    """Return the catalogue's cache version; services bump it on every catalogue write."""
    version = cache.get(CATALOG_VERSION_KEY)
    if version is None:
        cache.add(CATALOG_VERSION_KEY, 1, timeout=None)
        version = cache.get(CATALOG_VERSION_KEY, 1)
    return version


def catalog_cache_key(*parts: object) -> str:
    """Return a cache key that changes whenever any product, variant, image or category does."""
    return ":".join(["catalog", str(catalog_version()), *map(str, parts)])


def catalog_version_bump() -> None:
    """Invalidate every cached catalogue read. Call on commit (services.catalog_changed)."""
    try:
        cache.incr(CATALOG_VERSION_KEY)
    except ValueError:  # Not set yet (or evicted): any fresh value invalidates old keys.
        cache.set(CATALOG_VERSION_KEY, 2, timeout=None)


def in_stock_version() -> int:
    """Return the version that moves whenever any product may have sold out or come back."""
    return _version_get(IN_STOCK_VERSION_KEY)


def product_stock_versions(*, slugs: Iterable[str]) -> dict[str, int]:
    """Return each product's stock version (moves on every stock change), by slug."""
    return _versions_get({slug: _stock_key(slug) for slug in slugs})


def product_in_stock_versions(*, product_ids: Iterable[int]) -> dict[int, int]:
    """Return each product's in-stock version (moves when it may have sold out), by id."""
    return _versions_get({product_id: _in_stock_key(product_id) for product_id in product_ids})


def product_stock_bump(*, slugs: Iterable[str], flipped_ids: Iterable[int]) -> None:
    """Invalidate what shows the stock of products `slugs`; `flipped_ids` may have sold out.

    Call on commit. The in-stock version moves before and after the products' in-stock
    versions. Before: a page build that read it before its query and finds it unchanged after
    reading the products' versions knows no product it rendered changed in between. After:
    what is cached under it was made from products' versions read after it (page_cache).
    """
    flipped_ids = list(flipped_ids)
    if flipped_ids:
        _version_bump(IN_STOCK_VERSION_KEY)
    for slug in slugs:
        _version_bump(_stock_key(slug))
    for product_id in flipped_ids:
        _version_bump(_in_stock_key(product_id))
    if flipped_ids:
        _version_bump(IN_STOCK_VERSION_KEY)
