"""shop.core.routing: modules' patterns listed as one route every path as include() did."""

import re
import sys
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, include, path, re_path
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from config import api_urls
from config import urls as root_urls
from shop.core.routing import SegmentIndexedResolver, _first_segment_key, urlpatterns_of

_SAMPLES = {"slug": "sample-slug", "str": "sample", "int": "7", "path": "a/b", "uuid": ""}


def _sample(route: str) -> str:
    """A path the route matches: a path() route's converters filled in; a regular
    expression's named groups of one segment filled in and its optional slashes taken."""
    if route.startswith("^"):
        route = re.sub(r"\(\?P<\w+>\[\^/\]\+\)", "sample", route)
        return route.strip("^$").replace("/?", "/").replace("\\", "")
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLES[m.group(1) or "str"], route)


def _samples(patterns, prefix: str = "") -> list[str]:
    paths = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            paths += _samples(pattern.url_patterns, prefix + _sample(str(pattern.pattern)))
        else:
            assert isinstance(pattern, URLPattern)
            paths.append(prefix + _sample(str(pattern.pattern)))
    return paths


def _match(resolver: URLResolver, path_info: str):
    try:
        found = resolver.resolve("/" + path_info)
    except Resolver404:
        return None
    return (found.func, found.args, found.kwargs, found.url_name, found.route, found.namespaces)


@pytest.mark.parametrize(
    "modules", [api_urls.MODULES, root_urls.APP_PAGES], ids=["api", "app pages"]
)
def test_every_path_goes_where_one_include_per_module_sent_it(modules):
    listed = URLResolver(RegexPattern(r"^/"), urlpatterns_of(*modules))
    included = URLResolver(RegexPattern(r"^/"), [path("", include(name)) for name in modules])
    paths = _samples(urlpatterns_of(*modules))

    assert len(paths) > 40
    for path_info in [*paths, "no-such-page/", ""]:
        assert _match(listed, path_info) == _match(included, path_info), path_info
    assert sum(_match(listed, path_info) is not None for path_info in paths) > 40


def test_a_namespaced_module_is_refused(monkeypatch):
    module = ModuleType("tests_namespaced_urls")
    module.app_name, module.urlpatterns = "things", []
    monkeypatch.setitem(sys.modules, "tests_namespaced_urls", module)

    with pytest.raises(ImproperlyConfigured, match="namespaced"):
        urlpatterns_of("tests_namespaced_urls")


# --- SegmentIndexedResolver: only the patterns a path's first segment may match ----------------


def _plain(patterns) -> list:
    """PATTERNS with every SegmentIndexedResolver among them (at any depth) a plain one."""
    plain = []
    for pattern in patterns:
        if isinstance(pattern, SegmentIndexedResolver):
            pattern = URLResolver(
                pattern.pattern,
                _plain(pattern.url_patterns),
                pattern.default_kwargs,
                app_name=pattern.app_name,
                namespace=pattern.namespace,
            )
        plain.append(pattern)
    return plain


def test_every_path_of_the_site_goes_where_django_s_own_resolver_sends_it():
    site = get_resolver()
    plain = URLResolver(RegexPattern(r"^/"), _plain(site.url_patterns))
    paths = _samples(site.url_patterns)
    misses = ["no-such-page/", "", "api/v1/", "api/v1/nothing", "productsx/", "media", "feed"]

    assert len(paths) > 150
    for path_info in [*paths, *misses, *(p.rstrip("/") for p in paths), *(p + "x" for p in paths)]:
        assert _match(site, path_info) == _match(plain, path_info), path_info
    assert sum(_match(site, path_info) is not None for path_info in paths) > 150


@pytest.mark.parametrize(
    ("pattern", "key"),
    [
        (path("items/<int:pk>/", print), "items"),
        (path("items/", print), "items"),
        (path("items", print), "items"),  # an endpoint: this text only
        (path("item-<int:pk>/", print), None),  # the first segment varies
        (path("<slug:slug>/", print), None),
        (path("items", include([])), None),  # a prefix: "itemsx/…" matches it too
        (path("items/", include([])), "items"),
        (re_path(r"^items/(?P<pk>\d+)/$", print), "items"),
        (re_path(r"^items/?$", print), "items"),
        (re_path(r"^items$", print), "items"),
        (re_path(r"^items/?(?P<pk>\d+)$", print), None),  # "items7" matches
        (re_path(r"^items/*$", print), None),
        (re_path(r"^items\.json$", print), None),
        (re_path(r"items/$", print), None),  # not anchored
    ],
    ids=lambda value: str(getattr(value, "pattern", value)),
)
def test_the_first_segment_a_pattern_needs(pattern, key):
    assert _first_segment_key(pattern) == key


def test_urlpatterns_of_lists_the_modules_a_module_includes_without_a_prefix(monkeypatch):
    inner, outer = ModuleType("tests_inner_urls"), ModuleType("tests_outer_urls")
    inner.urlpatterns = [path("b/", print, name="b")]
    monkeypatch.setitem(sys.modules, "tests_inner_urls", inner)
    outer.urlpatterns = [path("a/", print, name="a"), path("", include("tests_inner_urls"))]
    monkeypatch.setitem(sys.modules, "tests_outer_urls", outer)

    assert [p.name for p in urlpatterns_of("tests_outer_urls")] == ["a", "b"]
