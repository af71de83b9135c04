"""shop.core.routing: modules' patterns listed as one route every path as include() did."""

import re
import sys
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, include, path
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from config import api_urls
from config import urls as root_urls
from shop.core.routing import urlpatterns_of

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
