"""What the cart does when something happens elsewhere (connected in CartConfig.ready)."""

from shop.cart import selectors, services
from shop.cart.request import CART_TOKEN_SESSION_KEY, request_cart_count_refresh


def cart_merge_on_login(sender, request, user, **kwargs) -> None:
    """Move the visitor's cart into the account that just signed in (user_logged_in).

    Quantities of a variant in both carts are summed, capped by stock (services.cart_merge).
    The session then forgets the visitor cart's token and shows the account cart's count.
    """
    session = getattr(request, "session", None)
    if session is None:
        return
    token = session.pop(CART_TOKEN_SESSION_KEY, None)
    visitor_cart = selectors.cart_get(user=None, token=token) if token else None
    if visitor_cart is not None:
        cart = services.cart_merge(
            source=visitor_cart, target=services.cart_get_or_create(user=user, token=None)
        )
    else:
        cart = selectors.cart_get(user=user, token=None)
    request_cart_count_refresh(request, cart=cart)
