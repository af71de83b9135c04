"""The cart of the person behind an HTTP request, for the views of any app.

A signed-in shopper's cart is found by their account; a visitor's by the token kept in their
session. The header's cart count is kept in the session too, so base.html shows it without a
query; whatever changes a cart calls request_cart_count_refresh afterwards.
"""

from django.http import HttpRequest

from shop.cart import selectors, services
from shop.cart.models import Cart
from shop.core.request import request_user

CART_TOKEN_SESSION_KEY = "cart_token"
CART_COUNT_SESSION_KEY = "cart_count"


def request_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """Return the cart of the person making `request`; with `create`, make one if needed.

    No query for a visitor who has no cart yet (unless `create`).
    """
    user = request_user(request)
    token = None if user is not None else request.session.get(CART_TOKEN_SESSION_KEY)
    if not create:
        return selectors.cart_get(user=user, token=token)
    cart = services.cart_get_or_create(user=user, token=token)
    if user is None and cart.token != token:
        request.session[CART_TOKEN_SESSION_KEY] = cart.token
    return cart


def request_cart_count_refresh(
    request: HttpRequest, *, cart: Cart | None, count: int | None = None
) -> None:
    """Keep the header's count (request.session["cart_count"]) in step with `cart`.

    Pass `count` when it is already known (a summary's item_count) to spare the query. The
    session is written only when the count changed (looking at an empty cart gives a visitor
    no session), and only when the request has a session or is starting one: an API client
    signed in by token has no header to show the count in.
    """
    session = request.session
    if session.session_key is None and not session.modified:
        return
    if count is None:
        count = selectors.cart_item_count(cart=cart)
    if session.get(CART_COUNT_SESSION_KEY, 0) != count:
        session[CART_COUNT_SESSION_KEY] = count
