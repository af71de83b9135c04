"""URL patterns of several urlconf modules as one list, for `path("", include(…))` alike.

Django resolves `path("", include(module))` through a resolver of its own per module: each
one a path does not match raises and catches Resolver404 and copies the list of patterns it
tried, so a path served by the tenth such module pays for nine (~0.2 ms for
/api/v1/suggestions, behind 55 other API routes). Listing the modules' patterns in one list,
in the same order, routes every path to the same view with the same arguments, name and
route, without those resolvers. Only for modules without a namespace (`app_name`): a
namespaced include keeps its resolver.
"""

import re
import threading
from importlib import import_module
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.functional import cached_property


def urlpatterns_of(*modules: str) -> list:
    """The URL patterns of the urlconf MODULES (dotted names), in order, in one list; a
    `path("", include(module))` among them is listed as that module's patterns too."""
    patterns = []
    for name in modules:
        module = import_module(name)
        if getattr(module, "app_name", None):
            raise ImproperlyConfigured(
                f"{name} is namespaced (app_name): include() it, its names need the namespace."
            )
        for pattern in module.urlpatterns:
            if _listable(pattern):
                patterns.extend(urlpatterns_of(pattern.urlconf_module.__name__))
            else:
                patterns.append(pattern)
    return patterns


def _listable(pattern) -> bool:
    """Whether PATTERN is `path("", include(module))`: no prefix, namespace or arguments."""
    return (
        isinstance(pattern, URLResolver)
        and isinstance(pattern.pattern, RoutePattern)
        and pattern.pattern._route == ""
        and isinstance(pattern.urlconf_module, ModuleType)
        and not (pattern.namespace or pattern.app_name or pattern.default_kwargs)
        and not getattr(pattern.urlconf_module, "app_name", None)
    )


class SegmentIndexedResolver(URLResolver):
    """A URL resolver that tries, for a path, only the patterns that can match its first
    segment, in their order: Django tries every pattern in turn, ~1 us each, and
    /api/v1/suggestions came after some 50 of them, /feed/ after some 80.

    A path() route whose text up to its first converter holds a "/" can only match a path
    whose first segment is the route's (RoutePattern matches its literal start exactly);
    so can an endpoint's route that is all literal (it matches only the same text), and a
    regular expression that starts "^name/", "^name$" or "^name/?$". Every other pattern (a
    converter in the first segment, any other expression, an include() prefix without a
    "/") is tried for every path, where it stands. So a path goes to the
    same view with the same arguments as with Django's resolver; only the list of patterns
    tried that a 404 reports in DEBUG is shorter.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._resolving = threading.local()

    @cached_property
    def _all_patterns(self) -> list:
        return URLResolver.url_patterns.func(self)

    @cached_property
    def _by_segment(self) -> tuple[dict[str, list], list]:
        keys = [_first_segment_key(pattern) for pattern in self._all_patterns]
        unkeyed = [p for p, key in zip(self._all_patterns, keys, strict=True) if key is None]
        by_segment = {
            segment: [
                p for p, key in zip(self._all_patterns, keys, strict=True) if key in (None, segment)
            ]
            for segment in set(keys) - {None}
        }
        return by_segment, unkeyed

    @property
    def url_patterns(self) -> list:
        """While a path is resolved, the patterns its first segment may match; else all."""
        segment = getattr(self._resolving, "segment", None)
        if segment is None:
            return self._all_patterns
        by_segment, unkeyed = self._by_segment
        return by_segment.get(segment, unkeyed)

    def resolve(self, path):
        match = self.pattern.match(str(path))
        if not match:
            return super().resolve(path)
        self._resolving.segment = match[0].split("/", 1)[0]
        try:
            return super().resolve(path)
        finally:
            self._resolving.segment = None


# A regular expression's literal first segment: "^name/" (a slash that must follow), or
# "^name$" / "^name/?$" (the name alone, as DRF's routes with an optional slash).
_REGEX_SEGMENT = re.compile(r"\^([\w-]+)(?:/(?![?*+{])|/\?\$|\$)")


def _first_segment_key(pattern) -> str | None:
    """The first segment every path PATTERN matches starts with, or None if it may vary."""
    route_pattern = pattern.pattern
    if isinstance(route_pattern, RegexPattern) and isinstance(route_pattern._regex, str):
        found = _REGEX_SEGMENT.match(route_pattern._regex)
        return found.group(1) if found else None
    if not isinstance(route_pattern, RoutePattern) or not isinstance(route_pattern._route, str):
        return None  # a translated route, say: its text may differ by language
    route = route_pattern._route
    literal = route.split("<", 1)[0]
    if "/" in literal:
        return literal.split("/", 1)[0]
    if literal == route and isinstance(pattern, URLPattern):
        return route  # an endpoint matches its exact text only
    return None


def indexed(route: str, view) -> SegmentIndexedResolver:
    """`path(ROUTE, include(...))` as a SegmentIndexedResolver: VIEW is what include() gave."""
    urlconf, app_name, namespace = view
    return SegmentIndexedResolver(
        RoutePattern(route, is_endpoint=False), urlconf, app_name=app_name, namespace=namespace
    )
