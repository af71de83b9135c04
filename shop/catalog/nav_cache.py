"""The header's account nav (components/account_nav.html), cached per visitor.

Catalogue pages (shop.catalog.page_cache) fill base.html's nav slot with it on every request,
cached or not; its docstrings say what an input of the nav must do to stay correct.
"""

import functools
import hashlib
import logging
import operator
import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from shop.core.cache import ProcessMemo
from shop.core.csrf import csrf_token_get
from shop.core.navigation import NavMenu, nav_counts_read_for, nav_menu_for

NAV_TEMPLATE = "components/account_nav.html"
# The session keys the nav may read, each in its key: the header's cart count (kept by
# shop.cart.request, which the catalogue may not import).
NAV_SESSION_KEYS = ("cart_count",)
_NAV_VERSION_KEY = "nav-version:{user_id}"
logger = logging.getLogger(__name__)
_nav_warned: set[str] = set()
# The navs this process rendered lately, by their inputs (_nav_inputs) and the user's nav
# version: a nav seen again is neither keyed (a digest of the user's row) nor read from the
# shared cache. Entries are immutable HTML with the CSRF slot; a new version misses.
_navs = ProcessMemo(size=1024, seconds=settings.CATALOG_CACHE_SECONDS)


class NavInputUnknown(Exception):  # noqa: N818 (not an error of the visitor's: a signal to us)
    """account_nav.html read something of the request that the nav's cache key does not hold.

    Not an AttributeError, so the template engine does not swallow it as a missing variable.
    """


class _NavSession:
    """The session as the cached nav sees it: NAV_SESSION_KEYS, nothing else."""

    def __init__(self, values: dict[str, object]) -> None:
        self._values = values

    def __getitem__(self, name: str):
        if name in self._values:
            return self._values[name]
        raise NavInputUnknown(f"request.session.{name}")

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]


class _NavRequest:
    """The request as the cached nav sees it: its user and NAV_SESSION_KEYS (the key)."""

    def __init__(self, *, user, session: dict[str, object]) -> None:
        self.user = user
        self.session = _NavSession(session)

    def __getattr__(self, name: str):
        raise NavInputUnknown(f"request.{name}")


def account_nav_invalidate(*, user_id: int) -> None:
    """Show `user_id`'s header account nav anew on their next catalogue page.

    Call it (after the commit) whenever something the nav shows of this person changes that is
    neither a field of their user row, nor the session's cart count, nor a badge registered
    with shop.core.navigation (those are in the nav's key and need no call): e.g. a count the
    template reads from a cache of its own. See account_nav_render. The version lives in the
    cache: with Redis every process sees the change; the local-memory default serves one
    process (runserver).
    """
    cache.set(
        _NAV_VERSION_KEY.format(user_id=user_id),
        secrets.token_hex(8),
        settings.CATALOG_CACHE_SECONDS,
    )


def account_nav_render(request: HttpRequest) -> str:
    """Return components/account_nav.html for this visitor, from the cache when it can be.

    The template is rendered with `request`, `user` and `csrf_token` only, and cached under a
    key of everything it may show: the user's row (every field, read fresh from the database
    on each request by the auth backend, so a profile edit, a staff flag or a new avatar shows
    at once without any call), the session's cart count, the templates' sources and the
    language. For a signed-in visitor the entry also carries the user's nav version (a random
    token), and is used only while that version is still current: account_nav_invalidate()
    replaces it.

    What an input of the nav must do to stay correct:
    - a field of the user row, or request.user / user: nothing;
    - an entry registered with shop.core.navigation (a social app's Feed, the bell and its
      unread count): nothing. The menu is read here on every page, each badge once, before
      the cache; its entries and counts are in the key, and the template is handed that menu
      (`account_nav_menu`), so it shows exactly the counts it is cached under;
    - the session's cart_count: nothing (every write of the cart refreshes it,
      shop.cart.request.request_cart_count_refresh); another session key: add it to
      NAV_SESSION_KEYS;
    - anything else of the request (its path, request.htmx): add it to _NavRequest and to
      the key here. Until then the template's read raises NavInputUnknown
      and the nav is rendered uncached on every request (correct, slower, logged once);
    - anything else read from the database while the template renders (a relation of the
      user, a count): rendered uncached on every request (the render ran a query; logged
      once). Make it a badge of shop.core.navigation instead; or keep the value where reading
      it runs no query and call account_nav_invalidate(user_id=...) each time it changes.
    The CSRF token is never cached: the nav is rendered with a slot in its place, filled per
    request with a token masked afresh from this visitor's own secret.
    """
    user = request.user
    session = {name: request.session.get(name) for name in NAV_SESSION_KEYS}
    # The registered entries and their badges, read once per page (none for anonymous ones).
    menu = nav_menu_for(viewer=user, counts_read=nav_counts_read_for(request, user))
    inputs = _nav_inputs(user=user, session=session, menu=menu)
    version_key = _NAV_VERSION_KEY.format(user_id=user.pk) if user.is_authenticated else None
    version = cache.get(version_key) if version_key else ""
    # The nav this process rendered last for the same inputs, under the same version: the
    # same HTML, not looked up in the shared cache (nor unpickled) again.
    memo_key = (inputs, version) if version is not None and _hashable(inputs) else None
    if memo_key is not None:
        html = _navs.get(memo_key)
        if html is not None:
            return _nav_csrf_fill(html, request=request)
    key = _nav_key(inputs)
    entry = cache.get(key)
    if entry is not None and version is not None and entry[0] == version:
        if memo_key is not None:
            _navs.put(memo_key, entry[1])
        return _nav_csrf_fill(entry[1], request=request)
    slot = _nav_csrf_slot()
    queries: list[str] = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(record):
            html = render_to_string(
                NAV_TEMPLATE,
                {
                    "request": _NavRequest(user=user, session=session),
                    "user": user,
                    "csrf_token": slot,
                    "account_nav_menu": menu,
                },
            )
    except NavInputUnknown as unknown:
        _nav_warn(f"{NAV_TEMPLATE} reads {unknown}, which its cache key does not hold")
        return _nav_render_uncached(request)
    if queries:
        _nav_warn(f"{NAV_TEMPLATE} ran a query ({queries[0][:80]}…)")
        return _nav_csrf_fill(html, request=request)
    if version_key and version is None:
        # No version yet (or it was evicted): start one. A new random token never matches
        # an entry made under an older one.
        version = secrets.token_hex(8)
        if not cache.add(version_key, version, settings.CATALOG_CACHE_SECONDS):
            version = None  # another request started one first: cache nothing this time
    if version is not None:
        cache.set(key, (version, html), settings.CATALOG_CACHE_SECONDS)
        if _hashable(inputs):
            _navs.put((inputs, version), html)
    return _nav_csrf_fill(html, request=request)


def _nav_render_uncached(request: HttpRequest) -> str:
    return render_to_string(
        NAV_TEMPLATE, {"request": request, "user": request.user, **csrf(request)}
    )


def _nav_warn(reason: str) -> None:
    if reason not in _nav_warned:
        _nav_warned.add(reason)
        logger.warning("The header's account nav is rendered uncached: %s.", reason)


def _nav_inputs(*, user, session: dict[str, object], menu: NavMenu) -> tuple:
    """Everything the nav may show, as a tuple: the templates, the language, the user's row,
    the session's keys, the menu with its counts."""
    if user.is_authenticated:
        user = getattr(user, "_wrapped", user)  # request.user's object, not its lazy proxy
        owner, row = user.pk, _row_values(type(user))(user)
    else:
        owner, row = "anon", None
    entries = tuple(
        tuple(
            (item.entry.key, item.label, item.url, item.icon, item.count, item.badge_words)
            for item in items
        )
        for items in (menu.header, menu.drawer, menu.account)
    )
    return (_templates_fingerprint(), get_language(), owner, row, tuple(session.items()), entries)


def _hashable(inputs: tuple) -> bool:
    try:
        hash(inputs)
    except TypeError:  # a column whose value is not (a JSON field's dict): the cache only
        return False
    return True


def _nav_key(inputs: tuple) -> str:
    templates, language, owner, *rest = inputs
    digest = hashlib.sha256(repr(rest).encode()).hexdigest()[:32]
    return f"nav:{templates}:{language}:{owner}:{digest}"


@functools.cache
def _row_values(model: type) -> Callable[[object], tuple]:
    """Return a getter of every column's value of a `model` instance (its row)."""
    return operator.attrgetter(*(field.attname for field in model._meta.concrete_fields))


@functools.cache
def _templates_fingerprint() -> str:
    """Digest the project's templates once per process: a deploy never serves an old nav."""
    digest = hashlib.sha256()
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")):
            digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _nav_csrf_slot() -> str:
    """Return what stands for the CSRF token in a cached nav: alphanumeric, so no escaping
    changes it, and derived from SECRET_KEY, so no visitor can type it into their name."""
    return _nav_csrf_slot_for(settings.SECRET_KEY)


@functools.cache
def _nav_csrf_slot_for(secret: str) -> str:
    return (
        "agoracsrf"
        + salted_hmac("agora.page_cache.nav_csrf", "slot", secret=secret).hexdigest()[:32]
    )


def _nav_csrf_fill(html: str, *, request: HttpRequest) -> str:
    slot = _nav_csrf_slot()
    if slot not in html:
        return html
    # get_token marks the CSRF cookie as used, as rendering {% csrf_token %} does.
    return html.replace(slot, csrf_token_get(request))
