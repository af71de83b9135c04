"""The product page's "Start a gift pool" link, beside "Add to wishlist" (a per-viewer
decoration of the cached page: signed-in visitors only, no query)."""

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
