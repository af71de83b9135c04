"""The catalogue's page cache: pages built from shared cached parts, plus a small personal layer.

A catalogue page (home, product list, category, merchant, product) is assembled per request
from cached layers:

1. Its *parts* (title, head tags, everything inside <main>) depend only on the catalogue and
   the normalised query parameters and are rendered without the request. They are cached
   under the catalogue version (cache_versions), plus the product's stock version on a
   product page and the in-stock version on lists filtered by in_stock. Where a product list
   shows a product, the cached body holds a *card slot* (`<!--agora:card:ID-->`), not the
   card.
2. Product *cards*, each cached on its own under its product's in-stock version, and filled
   into the slots. An order moves the stock version of the products it bought: their product
   pages and API details are rebuilt, nothing else. Only when it sells a variant out (or a
   cancellation brings one back) do those products' cards and the in_stock lists rebuild;
   a list page then re-renders the one card that changed, not the page. Every other page
   stays cached, for every visitor. A list filtered by price has cards of its own (card_kind:
   they show the prices of the variants in the range).
3. The *frame*: the whole HTML page (base.html included) with the cards filled in, rendered
   once with base.html's shell slots (`shell_slots`: the search box's text, the cart and
   account links, flash messages) and the viewer slots left open, cached under the in-stock
   version (while no product sells out, a page costs one read). Per request, the *personal
   layer* fills the slots: base.html's own includes (components/account_nav.html,
   components/messages.html) with this visitor's user, session cart count and CSRF token, and
   for a signed-in visitor the decorations that other apps register per product
   (product_decorator_register: likes, "3 friends bought this"), each decorator called once
   per page with every product id shown. So a signed-in page costs the session and user
   queries plus one query per decorator, whatever the number of products.
   A merchant page's slot (`<!--agora:merchant:ID-->`) is filled for every visitor, signed in
   or not, with the sections other apps register (merchant_sections: reputation).
4. The *account nav* (components/account_nav.html, the header's personal links) is itself
   cached per visitor (shop.catalog.nav_cache.account_nav_render), keyed by the user's row
   and the session's cart count, with the CSRF token slotted in per request. What an input
   of the nav must do to stay correct is in account_nav_render's docstring; in short: a
   field of the user row, the cart count or a badge of shop.core.navigation (a social app's
   unread count, read on every page and part of the key) needs nothing; a value the template
   reads from elsewhere without a query calls account_nav_invalidate(user_id=...) whenever
   it changes; anything else is rendered uncached until its key says how it varies. The
   session and user rows themselves are read fresh on every request
   (shop.accounts.session_reads), never cached.

For a visitor with neither a session nor a flash-message cookie the filled page is the same
for everyone (but for ?q= in the search box, which is in its key), so it is cached too: a
crawling or first-time visitor costs three or four cache reads and no query.

Cache reads happen before the database reads they guard (a version read after the rows could
label old rows with a new version). Cards rendered while a page is built are cached only if no
product's in-stock version moved during the build (cache_versions.product_stock_bump).
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Literal, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shop.catalog import cache_versions, product_filters, selectors
from shop.catalog.merchant_sections import merchant_sections
from shop.catalog.models import Product
from shop.catalog.nav_cache import account_nav_render
from shop.core.cache import ProcessMemo
from shop.core.context_processors import site

T = TypeVar("T")
S = TypeVar("S")

_INDENTED_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")
# Slots are HTML comments: nothing a shopper or merchant typed can produce one, autoescaping
# turns their "<" into "&lt;".
_SLOTS = re.compile(r"<!--agora:(card|viewer|below|merchant):(\d+)-->")


@dataclass(frozen=True)
class PageParts:
    """What a catalogue page adds to base.html, rendered without the request.

    `body` may hold card slots (components/product_grid.html) and a viewer slot;
    `products` are the rows the card slots show, when the builder has them (never cached).
    """

    title: str
    description: str
    head: SafeString
    body: SafeString
    products: tuple[Product, ...] = ()


@dataclass(frozen=True)
class CardSlot:
    product_id: int


@dataclass(frozen=True)
class ViewerSlot:
    product_id: int
    place: str = "page"


@dataclass(frozen=True)
class MerchantSlot:
    """Where a merchant page shows other apps' sections (merchant_sections), for everyone."""

    merchant_id: int


@dataclass(frozen=True)
class CachedParts:
    """PageParts as cached: the body cut at its slots."""

    title: str
    description: str
    head: SafeString
    pieces: tuple[str | CardSlot | ViewerSlot | MerchantSlot, ...]

    @property
    def card_ids(self) -> list[int]:
        return list(dict.fromkeys(p.product_id for p in self.pieces if type(p) is CardSlot))


def part_render(template: str, context: dict[str, object]) -> SafeString:
    """Render a template without the request, its indentation and blank lines removed.

    Every cached byte is sent on every hit; a line break stays where one was, so inline
    text keeps its spaces (no template here holds a <pre> or <textarea>).
    """
    return mark_safe(_INDENTED_LINES.sub("\n", render_to_string(template, context)))


def params_digest(params: Mapping[str, str], names: tuple[str, ...], *extra: object) -> str:
    """Digest the known parameters, stripped and sorted; unknown ones (utm_…) are ignored."""
    pairs = sorted((name, value) for name in names if (value := (params.get(name) or "").strip()))
    text = urlencode([*pairs, *(("", str(part)) for part in extra)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _pieces(html: str) -> tuple[str | CardSlot | ViewerSlot | MerchantSlot, ...]:
    pieces: list[str | CardSlot | ViewerSlot | MerchantSlot] = []
    position = 0
    for match in _SLOTS.finditer(html):
        pieces.append(html[position : match.start()])
        kind, product_id = match.group(1), int(match.group(2))
        if kind == "card":
            pieces.append(CardSlot(product_id))
        elif kind == "merchant":
            pieces.append(MerchantSlot(product_id))
        else:
            pieces.append(ViewerSlot(product_id, place="below" if kind == "below" else "page"))
        position = match.end()
    pieces.append(html[position:])
    return tuple(piece for piece in pieces if piece != "")


# --- per-viewer product decorations -----------------------------------------------------------

Place = Literal["card", "page", "below"]
PLACES: tuple[Place, ...] = ("card", "page", "below")
ProductDecorator = Callable[..., Mapping[int, str]]
_decorators: list[ProductDecorator] = []


def product_decorator_register(decorator: ProductDecorator) -> None:
    """Add a per-viewer decoration to product cards and product pages.

    `decorator(*, viewer, product_ids, place)` is called for a signed-in viewer once per page
    and place ("card": every card shown; "page": the product of a product page, under its
    title; "below": the same product, below its buy box and details) and returns
    {product_id: safe HTML}, e.g. "3 friends bought this". It must answer in a constant number
    of queries whatever the number of ids (one audience-filtered query for all of them) and
    must not show anything the viewer may not see. Call it from an AppConfig.ready(); the shop
    never imports the apps that decorate.
    """
    if decorator not in _decorators:
        _decorators.append(decorator)


def product_decorator_unregister(decorator: ProductDecorator) -> None:
    """Remove a decorator added by product_decorator_register (tests)."""
    if decorator in _decorators:
        _decorators.remove(decorator)


def product_decorations(*, viewer, product_ids: list[int], place: Place = "card") -> dict[int, str]:
    """The registered decorations of PRODUCT_IDS for VIEWER at PLACE, {product_id: safe HTML},
    for pages built outside the page cache that show products as cards (the feed): one call
    per decorator, whatever the number of ids; none for a visitor."""
    return _decorations(viewer=viewer, product_ids=product_ids, place=place)


def _decorations(*, viewer, product_ids: list[int], place: Place) -> dict[int, str]:
    decorations: dict[int, str] = {}
    if viewer is None or not product_ids:
        return decorations
    for decorator in _decorators:
        for product_id, html in decorator(
            viewer=viewer, product_ids=product_ids, place=place
        ).items():
            decorations[product_id] = decorations.get(product_id, "") + html
    return decorations


# --- per-product fragments --------------------------------------------------------------------


def _fragment_key(listing_key: str, kind: str, product_id: int, version: int) -> str:
    """Return a fragment's key under the catalogue version `listing_key` was made with.

    Every key starts "catalog:<catalogue version>:" (cache_versions.catalog_cache_key).
    """
    catalog, version_part, _ = listing_key.split(":", 2)
    return f"{catalog}:{version_part}:{kind}:{product_id}:{version}"


def _fragments(
    *,
    key: str,
    kind: str,
    versions: Mapping[int, int],
    render_missing: Callable[[list[int]], dict[int, T]],
) -> dict[int, T]:
    """Return each product's cached fragment of `kind`, rendering and caching the missing.

    `versions` must have been read before `render_missing` reads the database; `key` is the
    listing's, whose catalogue version the fragments share.
    """
    keys = {pid: _fragment_key(key, kind, pid, version) for pid, version in versions.items()}
    found = cache.get_many(list(keys.values()))
    fragments = {pid: found[key] for pid, key in keys.items() if key in found}
    missing = [pid for pid in keys if pid not in fragments]
    if missing:
        rendered = render_missing(missing)
        cache.set_many(
            {keys[pid]: fragment for pid, fragment in rendered.items()},
            settings.CATALOG_CACHE_SECONDS,
        )
        fragments.update(rendered)
    return fragments


def listing_get(
    *,
    key: str,
    build: Callable[[], tuple[S, dict[int, T]]],
    product_ids: Callable[[S], Iterable[int]],
    kind: str,
    render_missing: Callable[[list[int]], dict[int, T]],
) -> tuple[S, dict[int, T], dict[int, int] | None]:
    """Return a cached listing, its products' fragments of `kind`, and their versions.

    The listing (a page's parts, an API page's ids and count) is cached under `key`, each
    product's fragment under its in-stock version; `build()` makes both when the listing is
    missing. The versions are None when a fragment may be newer than them (a product sold out
    during the build): then nothing derived from the fragments may be cached.
    """
    listing = cache.get(key)
    if listing is None:
        in_stock_before = cache_versions.in_stock_version()
        listing, fresh = build()
        cache.set(key, listing, settings.CATALOG_CACHE_SECONDS)
        versions = cache_versions.product_in_stock_versions(product_ids=product_ids(listing))
        if cache_versions.in_stock_version() != in_stock_before:
            return listing, fresh, None
        cache.set_many(
            {
                _fragment_key(key, kind, pid, versions[pid]): fragment
                for pid, fragment in fresh.items()
                if pid in versions
            },
            settings.CATALOG_CACHE_SECONDS,
        )
        return listing, fresh, versions
    versions = cache_versions.product_in_stock_versions(product_ids=product_ids(listing))
    fragments = _fragments(key=key, kind=kind, versions=versions, render_missing=render_missing)
    return listing, fragments, versions


# --- pages ------------------------------------------------------------------------------------

Card = tuple[str, str]  # a card's HTML before and after its viewer slot


def _card_render(product: Product) -> Card:
    html = part_render("components/product_card.html", {"product": product})
    head, _, tail = _SLOTS.sub("\0", html, count=1).partition("\0")
    return head, tail


def _cards_render(
    product_ids: list[int], *, prices: product_filters.PriceRange | None = None
) -> dict[int, Card]:
    products = selectors.product_list_by_ids(product_ids=product_ids, prices=prices)
    return {pid: _card_render(product) for pid, product in products.items()}


def card_kind(prices: product_filters.PriceRange | None) -> str:
    """Name the cards of a list filtered to `prices` (they show the prices in the range)."""
    return f"card-{prices.key}" if prices else "card"


def page_key(*parts: object, in_stock: bool = False, stock_slug: str | None = None) -> str:
    """Return the cache key of a page's parts (`parts` name the page and its parameters).

    `in_stock`: the page lists products filtered by stock. `stock_slug`: the page shows that
    product's stock (the product page).
    """
    key = [cache_versions.catalog_cache_key("page"), *map(str, parts)]
    if in_stock:
        key.append(f"s{cache_versions.in_stock_version()}")
    if stock_slug is not None:
        version = cache_versions.product_stock_versions(slugs=[stock_slug])[stock_slug]
        key.append(f"p{version}")
    return ":".join(key)


# The frames this process read lately, by their key, which names the catalogue and in-stock
# versions they were built under (shop.core.cache.ProcessMemo): a signed-in page's frame, a
# tuple of some 30 KB of HTML pieces, is not unpickled again on every request. Bounded.
_frames = ProcessMemo(size=256, seconds=settings.CATALOG_CACHE_SECONDS)


def page_render(
    request: HttpRequest,
    *,
    key: str,
    build: Callable[[], PageParts],
    card_prices: product_filters.PriceRange | None = None,
) -> HttpResponse:
    """Render the page whose parts `build()` makes (cached under `key`) for this visitor.

    `key` comes from page_key(), read before `build` reads the database. `build` raises
    Http404 for a missing object, so a 404 is never cached. `card_prices`: the price filter
    of a product list, whose cards show the prices in the range (cached apart from the others;
    `build`'s products must be annotated with those prices, as selectors.product_list does).
    """
    viewer = request.user if request.user.is_authenticated else None
    # The whole page but its shell and viewer slots (the frame) is cached under the in-stock
    # version: while no product sells out, a page costs one read, whoever asks.
    frame_key = f"{key}:s{cache_versions.in_stock_version()}:frame"
    whole_key = None
    if viewer is None and _shell_is_shared(request):
        # The shell echoes ?q= as typed in the header's search box.
        q = hashlib.sha256((request.GET.get("q") or "").encode()).hexdigest()[:16]
        whole_key = f"{frame_key}:html:{q}"
        html = cache.get(whole_key)
        if html is not None:
            return HttpResponse(html)

    frame = _frames.read(frame_key, partial(cache.get, frame_key))
    if frame is None:
        cached, cards, versions = listing_get(
            key=key,
            build=partial(_parts_build, build),
            product_ids=lambda cached: cached.card_ids,
            kind=card_kind(card_prices),
            render_missing=partial(_cards_render, prices=card_prices),
        )
        frame = _frame_render(cached, cards=cards)
        if versions is None:  # a card may be newer than the versions: cache nothing from it
            whole_key = None
        else:
            cache.set(frame_key, frame, settings.CATALOG_CACHE_SECONDS)
            _frames.put(frame_key, frame)
    response = HttpResponse(_frame_fill(frame, request=request, viewer=viewer))
    # Never share a page that carries something of this visitor's: a CSRF token (it sets a
    # cookie), a flash message, or any other cookie.
    if (
        whole_key is not None
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(get_messages(request), "used", False)
    ):
        cache.set(whole_key, response.content.decode(), settings.CATALOG_CACHE_SECONDS)
    return response


def _parts_build(build: Callable[[], PageParts]) -> tuple[CachedParts, dict[int, Card]]:
    parts = build()
    cached = CachedParts(
        title=parts.title,
        description=parts.description,
        head=parts.head,
        pieces=_pieces(parts.body),
    )
    return cached, {product.pk: _card_render(product) for product in parts.products}


@dataclass(frozen=True)
class ShellSlot:
    name: str  # "q", "nav", "messages": base.html's personal parts


_FRAME_SLOTS = re.compile(
    r"<!--agora:(?:decor:(card|page|below):(\d+)|shell:(q|nav|messages)|merchant:(\d+))-->"
)


def _frame_render(cached: CachedParts, *, cards: dict[int, Card]) -> tuple[str | object, ...]:
    """Render the whole page but for its shell slots and viewer slots, cut at them."""
    body: list[str] = []
    for piece in cached.pieces:
        if type(piece) is str:
            body.append(piece)
        elif type(piece) is CardSlot:
            # A product gone since the parts were cached (deleted, unpublished) has no card;
            # the catalogue version that moved with it rebuilds the parts on the next request.
            head, tail = cards.get(piece.product_id, ("", ""))
            body += (head, f"<!--agora:decor:card:{piece.product_id}-->", tail)
        elif type(piece) is MerchantSlot:
            body.append(f"<!--agora:merchant:{piece.merchant_id}-->")
        else:
            body.append(f"<!--agora:decor:{piece.place}:{piece.product_id}-->")
    parts = PageParts(
        title=cached.title,
        description=cached.description,
        head=cached.head,
        body=mark_safe("".join(body)),
    )
    context = {"parts": parts, "shell_slots": True, **site(None)}
    html = _INDENTED_LINES.sub("\n", render_to_string("catalog/page.html", context))
    frame: list[str | object] = []
    position = 0
    for match in _FRAME_SLOTS.finditer(html):
        frame.append(html[position : match.start()])
        place, product_id, shell, merchant_id = match.groups()
        if merchant_id:
            frame.append(MerchantSlot(int(merchant_id)))
        else:
            frame.append(ShellSlot(shell) if shell else ViewerSlot(int(product_id), place=place))
        position = match.end()
    frame.append(html[position:])
    return tuple(frame)


def _frame_fill(frame: tuple[str | object, ...], *, request: HttpRequest, viewer) -> str:
    """Fill the frame's slots for this visitor: base.html's personal parts, decorations."""
    messages = get_messages(request)
    shell = {
        "q": escape(request.GET.get("q") or ""),
        "nav": account_nav_render(request),
        "messages": (
            render_to_string("components/messages.html", {"messages": messages}) if messages else ""
        ),
    }
    decorations: dict[str, dict[int, str]] = {}
    if viewer is not None and _decorators:
        for place in PLACES:
            ids = [p.product_id for p in frame if type(p) is ViewerSlot and p.place == place]
            if ids:
                decorations[place] = _decorations(viewer=viewer, product_ids=ids, place=place)
    out = []
    for piece in frame:
        if type(piece) is str:
            out.append(piece)
        elif type(piece) is ShellSlot:
            out.append(shell[piece.name])
        elif type(piece) is MerchantSlot:
            out.append(merchant_sections(viewer=viewer, merchant_id=piece.merchant_id))
        else:
            out.append(decorations.get(piece.place, {}).get(piece.product_id, ""))
    return "".join(out)


def _shell_is_shared(request: HttpRequest) -> bool:
    """Whether base.html renders the same for this visitor as for any cookie-less one.

    A session (a signed-out visitor's cart, later) or pending flash messages make it theirs.
    """
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )
