"""The cart's part of "download my data" and "delete my account" (shop.core.personal_data):
what a signed-in shopper has in their cart. Erasing empties it; the cart row stays (it holds
no more than a random token), so an unpaid order that refers to it is left as it is."""

from shop.cart.models import CartLine
from shop.cart.selectors import variant_display_name


def cart_export(user) -> dict:
    """Return what is in USER's cart."""
    lines = CartLine.objects.filter(cart__user_id=user.pk).select_related(
        "variant__product", "cart__discount_code"
    )
    lines = list(lines.order_by("created_at", "id"))
    discount = lines[0].cart.discount_code if lines else None
    return {
        "lines": [
            {
                "product": variant_display_name(variant=line.variant),
                "sku": line.variant.sku,
                "quantity": line.quantity,
                "added_at": line.created_at.isoformat(),
            }
            for line in lines
        ],
        "discount_code": discount.code if discount else None,
    }


def cart_erase(user) -> None:
    """Empty USER's cart."""
    CartLine.objects.filter(cart__user_id=user.pk).delete()
