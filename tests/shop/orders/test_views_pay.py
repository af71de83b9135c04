"""The pay page (/orders/<number>/pay/) as a shopper, signed in or a guest, sees it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.orders import selectors
from shop.orders.models import Order
from tests.factories import (
    ACTION_CARD,
    DECLINED_CARD,
    GOOD_CARD,
    UserFactory,
    cart_new,
    guest_cart_use,
    order_place,
)
from tests.html import html
from tests.shop.orders.pages import alert_text, card, guest_url, order_paid

pytestmark = pytest.mark.django_db


# --- /orders/<number>/pay/ ----------------------------------------------------------------------


def test_pay_page_shows_the_amount_due_the_card_form_and_the_test_cards(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user, price=2000), method=standard, customer=user)
    client.force_login(user)

    doc = html(client.get(f"/orders/{order.number}/pay/"))

    assert doc.one("h1").text == "Payment"
    assert "Amount due €24.90" in doc.one("form", cls="pay-form").text
    assert doc.one("label", for_="id_card_number").text == "Card number"
    assert doc.one("label", for_="id_expiry").text.startswith("Expiry date")
    assert doc.one("label", for_="id_cvc").text.startswith("Security code (CVC)")
    assert doc.one("main").one("button", type="submit").text == "Pay €24.90"
    cards = doc.one("aside", cls="test-cards").text
    for number in ("4242 4242 4242 4242", "4000 0000 0000 0002", "4000 0025 0000 3155"):
        assert number in cards


def test_a_guest_pays_and_sees_the_confirmation(client, standard):
    cart = cart_new(price=2000)
    guest_cart_use(client, cart)
    order = order_place(cart, method=standard)

    response = client.post(guest_url(order, "pay/"), card())

    token = selectors.order_guest_token(order=order)
    assert response["Location"] == f"/orders/{order.number}/confirmation/?token={token}"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert not cart.lines.exists()
    doc = html(client.get(response["Location"]))
    assert doc.one("h1").text == f"Thank you! Your order {order.number} is confirmed"
    assert "We sent a confirmation to guest@example.com." in doc.one("main").text
    assert doc.one("a", href=f"/orders/{order.number}/?token={token}").text == "See your order"


def test_a_declined_card_is_explained_and_keeps_the_order_and_the_cart(client, standard):
    cart = cart_new()
    guest_cart_use(client, cart)
    order = order_place(cart, method=standard)

    response = client.post(guest_url(order, "pay/"), card(DECLINED_CARD))

    assert response.status_code == 200
    assert "Your card was declined. Try another card." in alert_text(response)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert cart.lines.count() == 1
    # The card number is not written back into the page.
    assert html(response).one("input", id="id_card_number").attrs.get("value") is None


def test_after_a_decline_another_card_pays_the_order(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)
    client.post(f"/orders/{order.number}/pay/", card(DECLINED_CARD))

    response = client.post(f"/orders/{order.number}/pay/", card(GOOD_CARD))

    assert response["Location"] == f"/orders/{order.number}/confirmation/"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payment_attempts == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"card_number": "1234"}, "card_number", "Enter the 13 to 19 digits of the card number."),
        ({"card_number": "abcd efgh ijkl mnop"}, "card_number", "Enter the 13 to 19 digits"),
        ({"card_number": "4242 4242 4242 4241"}, "card_number", "This card number is not valid"),
        ({"card_number": ""}, "card_number", "Enter the card number."),
        ({"expiry": "13/30"}, "expiry", "Enter the expiry date as MM/YY"),
        ({"expiry": "01/20"}, "expiry", "This card has expired."),
        ({"cvc": "12"}, "cvc", "Enter the 3 or 4 digits of the security code."),
        ({"cvc": "\x00\x00\x00"}, "cvc", ""),
    ],
)
def test_a_mistyped_card_is_a_field_error_never_a_500(client, standard, changes, field, message):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    response = client.post(f"/orders/{order.number}/pay/", card(**changes))

    assert response.status_code == 200
    doc = html(response)
    assert doc.one("input", id=f"id_{field}").attrs["aria-invalid"] == "true"
    assert message in doc.one("div", id="error-summary").text
    order.refresh_from_db()
    assert (order.status, order.payment_attempts) == (Order.Status.PENDING_PAYMENT, 0)


def test_a_card_that_asks_for_confirmation_is_paid_once_the_holder_confirms(client, standard):
    cart = cart_new()
    guest_cart_use(client, cart)
    order = order_place(cart, method=standard)

    response = client.post(guest_url(order, "pay/"), card(ACTION_CARD))

    assert response["Location"] == guest_url(order, "pay/confirm/")
    doc = html(client.get(response["Location"]))
    assert doc.one("h1").text == "Confirm payment"
    assert doc.one("main").one("button", type="submit").text == "Confirm payment"

    response = client.post(guest_url(order, "pay/confirm/"))

    assert response["Location"] == guest_url(order, "confirmation/")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_the_confirm_step_without_a_payment_waiting_goes_back_to_the_pay_page(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    for method in (client.get, client.post):
        response = method(f"/orders/{order.number}/pay/confirm/")

        assert response["Location"] == f"/orders/{order.number}/pay/"


def test_a_paid_order_has_nothing_left_to_pay(client, standard):
    user = UserFactory()
    order = order_paid(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    for response in (
        client.get(f"/orders/{order.number}/pay/"),
        client.post(f"/orders/{order.number}/pay/", card()),
    ):
        doc = html(response)
        assert "This order is paid already; there is nothing more to pay." in doc.text
        assert doc.one("a", href=f"/orders/{order.number}/").text == "See your order"
        assert not doc.all("input", id="id_card_number")
    order.refresh_from_db()
    assert order.payment_attempts == 1


def test_an_order_past_its_payment_time_cannot_be_paid(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(user)

    response = client.post(f"/orders/{order.number}/pay/", card())

    assert "has expired" in html(response).one("main").text
    order.refresh_from_db()
    assert order.status != Order.Status.PAID


def test_confirmation_of_an_unpaid_order_sends_the_shopper_to_pay(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    response = client.get(f"/orders/{order.number}/confirmation/")

    assert response["Location"] == f"/orders/{order.number}/pay/"
