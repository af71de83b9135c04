"""Steps the order page tests share: fill in the checkout details, pay an order, a guest's
link, the alerts a page shows."""

from shop.orders import selectors, services
from shop.orders.models import Order
from tests.factories import ADDRESS, GOOD_CARD, order_place
from tests.html import html


def details_post(client, *, method, **changes):
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": str(method.pk)}
    data.update(changes)
    return client.post("/checkout/", data)


def order_paid(cart, *, method, customer=None) -> Order:
    order = order_place(cart, method=method, customer=customer)
    services.order_pay(order=order, payment_method=GOOD_CARD)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    return order


def guest_url(order, suffix="") -> str:
    return f"/orders/{order.number}/{suffix}?token={selectors.order_guest_token(order=order)}"


def alert_text(response) -> str:
    return " ".join(node.text for node in html(response).all(role="alert"))


def card(number=GOOD_CARD, **changes):
    return {"card_number": number, "expiry": "12/39", "cvc": "123", **changes}
