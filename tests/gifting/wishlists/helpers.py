"""What the wishlists' tests share: a list with one wanted item."""

from gifting.wishlists import services
from tests.factories import ProductFactory


def wish_make(owner, *, wanted=1, visibility="friends", title="Birthday", **list_fields):
    """OWNER's list (at VISIBILITY) with one item of a new product, WANTED units; the item."""
    wishlist = services.wishlist_create(
        owner=owner, title=title, visibility=visibility, **list_fields
    )
    product = ProductFactory(title="Matrix Jacket", slug=f"matrix-jacket-{wishlist.pk}")
    return services.wishlist_item_add(
        wishlist=wishlist, variant_id=product.variants.get().pk, quantity=wanted
    )
