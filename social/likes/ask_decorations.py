"""What "ask my friends" adds to the product page and to the cart's lines for a signed-in
viewer (shop.catalog.page_cache.product_decorator_register, place "page";
shop.cart.line_decorations.cart_line_decorator_register): the tally and the friends' answers
of their open question, or an "Ask my friends" button; on the product page also the
questions friends put to them about it, with the answer form. On the product page one
small query when no open ask about it concerns the viewer (ask_open_about_exists, the
usual case), three when one does (ask_selectors.asks_for_products); nothing on product cards.
"""

import functools

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from social.likes.ask_selectors import (
    ask_open_about_exists,
    asks_by_ids_for_viewer,
    asks_for_products,
)


def ask_product_decorate(*, viewer, product_ids, place) -> dict[int, str]:
    if place != "page" or not product_ids:
        return {}
    if len(product_ids) == 1 and not ask_open_about_exists(
        viewer=viewer, product_id=product_ids[0]
    ):
        # No question about it concerns the viewer: "Ask my friends", as for everyone.
        return {product_ids[0]: _no_ask_slotted().replace(_PRODUCT_SLOT, str(product_ids[0]))}
    found = asks_for_products(viewer=viewer, product_ids=product_ids)
    return {
        product_id: mark_safe(
            render_to_string(
                "likes/ask_product.html",
                {"product_id": product_id, "asks": found.get(product_id), "place": "page"},
            )
        )
        for product_id in product_ids
    }


# Where the product's id goes in the rendered box (letters only: no escaping changes it).
_PRODUCT_SLOT = "agoraaskproductslot"


@functools.cache
def _no_ask_slotted() -> str:
    """The box of a product no open question of the viewer's is about, the same for every
    viewer but the product's id: rendered once per process."""
    html = render_to_string(
        "likes/ask_product.html", {"product_id": _PRODUCT_SLOT, "asks": None, "place": "page"}
    )
    return mark_safe(html)


def ask_cart_line_decorate(*, viewer, product_ids) -> dict[int, str]:
    found = asks_for_products(viewer=viewer, product_ids=product_ids, mine_only=True)
    return {
        product_id: mark_safe(
            render_to_string(
                "likes/ask_cart_line.html",
                {"product_id": product_id, "asks": found.get(product_id), "next": "/cart/"},
            )
        )
        for product_id in product_ids
    }


def ask_feed_extra(*, viewer, activities) -> dict[int, str]:
    """Under each "asks: should I buy …?" entry of a feed page: the answer form (a friend
    asked) with their answer so far, or the tally (the asker). Two queries for the page."""
    ask_ids = {a.pk: a.snapshot.get("ask_id") for a in activities}
    wanted = [pk for pk in ask_ids.values() if isinstance(pk, int)]
    views = asks_by_ids_for_viewer(viewer=viewer, ask_ids=wanted)
    shown = {}
    for activity_id, ask_id in ask_ids.items():
        view = views.get(ask_id)
        if view is None:
            continue
        shown[activity_id] = mark_safe(
            render_to_string(
                "likes/ask_feed.html",
                {"view": view, "next": "/feed/", "form_id": f"feed-{view.dom_id}"},
            )
        )
    return shown
