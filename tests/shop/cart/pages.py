"""Steps and readings the cart's page tests share: what a browser sends, adding as a visitor,
the header's count, the messages and the lines a cart holds."""

from shop.cart.models import CartLine
from tests.html import html

# What a browser sends with a form posted from one of this site's pages.
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def add(client, variant, quantity: int = 1) -> None:
    """Add to the cart as a visitor does, reading the message (so it is not shown again)."""
    response = client.post(
        "/cart/add/", {"variant": variant.pk, "quantity": str(quantity)}, follow=True
    )
    assert response.status_code == 200


def header_cart(response) -> str:
    """The header's cart link as a screen reader hears it ("Cart, 2 items"), checked against
    what is seen: the count on the bag (no count on an empty cart's)."""
    link = html(response).one("a", id="cart-link")
    badge = link.all("span", cls="count-badge")
    count = badge[0].text if badge else "0"
    assert link.attrs["aria-label"] == f"Cart, {count} item{'' if count == '1' else 's'}"
    return link.attrs["aria-label"]


def messages_text(response) -> str:
    return " ".join(p.text for p in html(response).all("p", cls="message"))


def cart_lines(client_or_user) -> list[tuple[str, int]]:
    return list(
        CartLine.objects.filter(**client_or_user)
        .order_by("id")
        .values_list("variant__sku", "quantity")
    )


def visitor_lines(client) -> list[tuple[str, int]]:
    token = client.session.get("cart_token")
    return cart_lines({"cart__token": token, "cart__user": None}) if token else []
