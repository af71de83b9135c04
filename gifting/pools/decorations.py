"""The pools' links on other apps' pages, all without a query:

- the product page's "Start a gift pool", beside "Add to wishlist" (a per-viewer decoration
  of the cached page: signed-in visitors only);
- each cart line's "Start a gift pool" for that line's option
  (shop.cart.line_decorations.cart_line_action_register).
"""

from django.utils.html import format_html


def product_decorate(*, viewer, product_ids: list[int], place: str) -> dict[int, str]:
    """Return the product page's link to start a pool for its product (the option is chosen
    on the pool's form)."""
    if place != "page" or len(product_ids) != 1:
        return {}
    product_id = product_ids[0]
    return {
        product_id: format_html(
            '<p class="pool-start"><a href="/pools/new/?product={}">Start a gift pool</a>'
            ' <span class="help">friends chip in together</span></p>',
            product_id,
        )
    }


def cart_lines_decorate(*, viewer, lines) -> dict[int, str]:
    """Return each cart line's link to start a pool for its option, by line id (no query: the
    lines are the cart summary's)."""
    return {
        line.line_id: format_html(
            '<a class="pool-line-start" href="/pools/new/?variant={}">Start a gift pool'
            '<span class="visually-hidden"> for {}</span></a>',
            line.variant_id,
            line.title,
        )
        for line in lines
    }
