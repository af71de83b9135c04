"""The asides other social apps add beside the feed (/feed/): "People you may know" now.
feed sits below the apps that use it, so it never imports them: they register an aside from
their AppConfig.ready(), as they add sections to a person's page
(social/graph/profile_sections.py).

An aside is `aside(*, viewer, request) -> safe HTML or None`: VIEWER is the signed-in reader,
REQUEST the request (for the CSRF token of its forms). It
renders its own <section> with an h2, shows only what the audience rule lets VIEWER see, and
answers in a constant number of queries. Asides are rendered on every request, outside any
cached part of the page (they change as the reader acts on them). None (or "") leaves it out.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

FeedAside = Callable[..., str | None]
_asides: list[FeedAside] = []


def feed_aside_register(aside: FeedAside) -> None:
    """Add ASIDE beside the feed, after those registered before it."""
    if aside not in _asides:
        _asides.append(aside)


def feed_aside_unregister(aside: FeedAside) -> None:
    """Remove an aside added by feed_aside_register (tests)."""
    if aside in _asides:
        _asides.remove(aside)


def feed_asides_render(*, viewer, request=None) -> list[SafeString]:
    """The HTML of every registered aside for VIEWER, in order, without the empty ones."""
    rendered = []
    for aside in _asides:
        html = aside(viewer=viewer, request=request)
        if html:
            rendered.append(mark_safe(html))  # an aside returns safe HTML (its contract)
    return rendered
