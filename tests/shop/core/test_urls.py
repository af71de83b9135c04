"""The site's addresses: the catalogue's patterns come first (the busiest pages), so none of
them may match a path another pattern serves."""

import re

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

# A path that each kind of converter in the site's patterns matches.
_SAMPLES = {"slug": "sample-slug", "str": "sample", "int": "7", "path": "sample/path", "uuid": ""}


def _patterns(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.lookup_str


def _sample(route: str) -> str | None:
    """A path the route (a path() route) matches, or None for a regular expression."""
    if any(mark in route for mark in ("^", "$", "(?P")):
        return None
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLES[m.group(1) or "str"], route)


CATALOG = {
    "shop.catalog.views.home",
    "shop.catalog.views.product_list",
    "shop.catalog.views.product_detail",
    "shop.catalog.views.category_detail",
    "shop.catalog.views.merchant_detail",
}


def test_the_catalogue_is_tried_first_after_the_health_check():
    routes = [view for _, view in _patterns(get_resolver().url_patterns)]

    assert routes[0] == "shop.core.views.healthz"
    assert set(routes[1:6]) == CATALOG


def test_no_other_page_is_taken_by_the_catalogue():
    taken, checked = [], 0
    for route, view in _patterns(get_resolver().url_patterns):
        if view in CATALOG or _sample(route) is None:
            continue
        checked += 1
        try:
            match = resolve(_sample(route))
        except Resolver404:  # a converter of its own refuses the sample: not the catalogue's
            continue
        if match._func_path in CATALOG:
            taken.append((route, view, match._func_path))

    assert checked > 300 and taken == []
