"""What wishlists add for a signed-in viewer to the catalogue (the page cache's decorations,
shop.catalog.page_cache.product_decorator_register) and to the cart's lines
(shop.cart.line_decorations.cart_line_action_register), with no query once the viewer's list
names and the products' titles are cached (selectors.wishlist_choices_for_owner,
shop.catalog.selectors.product_titles):

- the product page ("page"): the "Add to wishlist" box, choosing the list. The option chosen
  in the page's buy box goes with it (htmx includes #buy-form); without JavaScript the
  product's first option in stock is added;
- every product card ("card"): a compact "Add to wishlist" putting the product's first option
  in stock on the viewer's newest list (a new "My wishlist" if they have none), named after
  the product for screen readers. It runs for every card of a page: a string formatted once
  per card, not a template rendered;
- every cart line: "Move to wishlist" (services.wishlist_item_from_cart).

Like the likes' button, the forms carry no CSRF token (cards and pages are cached; their
views are protected by shop.core.csrf.csrf_protect_cached_form).
"""

import hashlib
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from gifting.wishlists import selectors
from shop.core.cache import ProcessMemo

# The product page's box, rendered by this process lately, by (product, the viewer's lists):
# it is all the box shows, so the same pair is the same HTML. Rendering the template was
# 0.3 ms of every signed-in product page; a repeat is a dict lookup.
_boxes = ProcessMemo(size=2048, seconds=settings.CATALOG_CACHE_SECONDS)
# A page's card buttons as this process last read them, by their key (which names the
# catalogue version): not unpickled again on every page.
_cards = ProcessMemo(size=512, seconds=settings.CATALOG_CACHE_SECONDS)

# A card's form; htmx swaps it for the outcome ("Added to “Birthday”", linking to the list).
_CARD_FORM = (
    '<form class="wishlist-card-add" method="post" action="{url}" hx-post="{url}" '
    'hx-target="this" hx-swap="outerHTML">'
    '<input type="hidden" name="product" value="{product_id}">'
    '<input type="hidden" name="place" value="card">'
    '<button type="submit" class="wishlist-card-add__button">'
    "Add to wishlist"
    '<span class="visually-hidden"> {title}</span></button></form>'
)


def product_decorate(*, viewer, product_ids: list[int], place: str) -> dict[int, str]:
    """Return the box of a product page's product, or each card's "Add to wishlist".

    The box shows the product's id and the viewer's lists (their ids and titles, read fresh
    from selectors.wishlist_choices_for_owner, whose cache every list write forgets), nothing
    else: those are its memo's key."""
    if place == "card":
        return cards_decorate(product_ids=product_ids)
    if place != "page" or len(product_ids) != 1:
        return {}
    product_id = product_ids[0]
    choices = tuple(selectors.wishlist_choices_for_owner(owner=viewer))
    key = (product_id, choices)
    html = _boxes.get(key)
    if html is None:
        html = render_to_string(
            "wishlists/add_box.html", {"product_id": product_id, "choices": choices}
        )
        _boxes.put(key, html)
    return {product_id: html}


def cards_decorate(*, product_ids: list[int]) -> dict[int, str]:
    """Each published product's card button (none for a product gone since it was cached).

    The same for every viewer: the buttons of a page's cards are cached together, under the
    catalogue version (which every title change and unpublishing moves) and the ids, so a
    page asks the cache once rather than formatting and escaping each card (0.4 ms a page).
    """
    from shop.catalog.cache_versions import catalog_cache_key
    from shop.catalog.selectors import product_titles

    ids = ",".join(map(str, product_ids))
    key = catalog_cache_key("wishlist-cards", hashlib.sha256(ids.encode()).hexdigest()[:32])
    cards = _cards.read(key, partial(cache.get, key))
    if cards is not None:
        return cards
    url = reverse("wishlist_item_add")
    cards = {
        product_id: mark_safe(
            _CARD_FORM.format(url=url, product_id=product_id, title=escape(title))
        )
        for product_id, title in product_titles(product_ids=product_ids).items()
    }
    cache.set(key, cards, settings.CATALOG_CACHE_SECONDS)
    _cards.put(key, cards)
    return cards


_LINE_FORM = (
    '<form class="wishlist-line-move" method="post" action="{url}">'
    '<input type="hidden" name="line" value="{line_id}">'
    '<button type="submit" class="link-button">Move to wishlist'
    '<span class="visually-hidden"> {title}</span></button></form>'
)


def cart_lines_decorate(*, viewer, lines) -> dict[int, str]:
    """Each cart line's "Move to wishlist" button, by line id (no query)."""
    url = reverse("wishlist_item_from_cart")
    return {
        line.line_id: mark_safe(
            _LINE_FORM.format(url=url, line_id=line.line_id, title=escape(line.title))
        )
        for line in lines
    }
