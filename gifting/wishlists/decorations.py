"""The product page's "Add to wishlist" box, a decoration of the page cache
(shop.catalog.page_cache.product_decorator_register, place "page"), with no query once the
viewer's list names are cached (selectors.wishlist_choices_for_owner). The option chosen in
the page's buy box goes with it (htmx includes #buy-form); without JavaScript the product's
first option is added."""

from django.template.loader import render_to_string

from gifting.wishlists import selectors


def product_decorate(*, viewer, product_ids: list[int], place: str) -> dict[int, str]:
    """Return the box for a product page's product (nothing on cards nor below)."""
    if place != "page" or len(product_ids) != 1:
        return {}
    html = render_to_string(
        "wishlists/add_box.html",
        {
            "product_id": product_ids[0],
            "choices": selectors.wishlist_choices_for_owner(owner=viewer),
        },
    )
    return {product_ids[0]: html}
