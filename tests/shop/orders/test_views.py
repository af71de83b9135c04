"""The checkout and order pages as a shopper (signed in or a guest) sees them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.accounts.models import Address
from shop.cart.models import CartLine
from shop.orders import selectors, services
from shop.orders.models import Order
from tests.factories import (
    ACTION_CARD,
    ADDRESS,
    DECLINED_CARD,
    GOOD_CARD,
    AddressFactory,
    CartFactory,
    DiscountCodeFactory,
    ShippingMethodFactory,
    UserFactory,
    cart_new,
    guest_cart_use,
    order_place,
)
from tests.html import html, main_text

pytestmark = pytest.mark.django_db


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


# --- /checkout/ ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/checkout/", "/checkout/review/"])
def test_checkout_with_an_empty_cart_sends_the_shopper_back_to_the_cart(client, url):
    response = client.get(url, follow=True)

    assert response.redirect_chain[0] == ("/cart/", 302)
    messages = [str(message) for message in response.context["messages"]]
    assert "Your cart is empty: add something to it before checking out." in messages


def test_a_visitor_checks_out_as_a_guest_with_a_link_to_log_in(client, standard):
    guest_cart_use(client, cart_new(lines=2, price=2500))

    response = client.get("/checkout/")
    doc = html(response)

    assert response.status_code == 200
    assert doc.one("h1").text == "Checkout"
    text = doc.one("main").text
    assert "You are checking out as a guest." in text
    assert doc.one("a", href="/accounts/login/?next=%2Fcheckout%2F").text == "Log in"
    assert "readonly" not in doc.one("input", id="id_email").attrs
    assert not doc.all("input", id="id_save_address")
    summary = doc.one("section", cls="order-summary")
    assert "Product 0" in summary.text and "Product 1" in summary.text
    assert "Total before shipping €50.00" in summary.text


def test_every_checkout_control_has_a_label(client, standard, express):
    user = UserFactory()
    AddressFactory(user=user)
    cart_new(user=user)
    client.force_login(user)

    doc = html(client.get("/checkout/"))

    form = doc.one("form", cls="checkout-form")
    controls = [c for c in form.all() if c.tag in ("input", "select") and c.attrs.get("id")]
    assert len(controls) >= 11
    for control in controls:
        assert doc.all("label", for_=control.attrs["id"]), control.attrs
    assert len(doc.all("h1")) == 1


def test_shipping_methods_are_offered_with_their_prices(client, standard, express):
    guest_cart_use(client, cart_new())

    doc = html(client.get("/checkout/"))

    labels = [label.text for label in doc.all("label", cls="choice")]
    assert "Standard delivery 3-5 working days €4.90" in labels
    assert "Express delivery Next working day €9.90" in labels


def test_signed_in_shopper_gets_their_email_and_saved_addresses(client, standard):
    user = UserFactory(email="ada@example.com")
    home = AddressFactory(user=user, full_name="Ada Lovelace", is_default=True)
    cart_new(user=user)
    client.force_login(user)

    doc = html(client.get("/checkout/"))

    email = doc.one("input", id="id_email")
    assert email.attrs["value"] == "ada@example.com"
    assert "readonly" in email.attrs
    saved = doc.one("input", type="radio", name="address_choice", value=str(home.pk))
    assert "checked" in saved.attrs
    assert doc.one("label", for_=saved.attrs["id"]).text.startswith("Ada Lovelace")
    assert doc.all("input", name="address_choice", value="new")
    assert doc.one("label", for_="id_save_address").text == "Save this address"
    assert "You are checking out as a guest." not in doc.one("main").text


def test_missing_details_are_explained_on_their_fields_and_what_was_typed_is_kept(client, standard):
    guest_cart_use(client, cart_new())

    response = details_post(client, method=standard, email="not-an-email", line1="", city="")
    doc = html(response)

    assert response.status_code == 200
    summary = doc.one("div", id="error-summary")
    assert "Email: Enter a valid email address." in summary.text
    assert "Address line 1: Enter the street and number." in summary.text
    assert "City: Enter the city." in summary.text
    assert summary.one("a", href="#id_line1")
    line1 = doc.one("input", id="id_line1")
    assert line1.attrs["aria-invalid"] == "true"
    assert doc.one("input", id="id_email").attrs["value"] == "not-an-email"
    assert doc.one("input", id="id_full_name").attrs["value"] == "Ada Lovelace"
    assert "selected" in doc.one("select", id="id_country").one("option", value="FR").attrs


@pytest.mark.parametrize(
    "changes",
    [
        {"country": "XX"},
        {"country": ""},
        {"shipping_method": "999999"},
        {"shipping_method": "abc"},
        {"phone": "call me maybe"},
        {"postal_code": "1" * 50},
        {"full_name": "\x00"},
        {"email": "a" * 300 + "@example.com"},
    ],
)
def test_bad_details_are_a_form_error_never_a_500(client, standard, changes):
    guest_cart_use(client, cart_new())

    response = details_post(client, method=standard, **changes)

    assert response.status_code == 200
    assert html(response).one("div", id="error-summary")


def test_valid_details_lead_to_the_review(client, standard):
    guest_cart_use(client, cart_new())

    response = details_post(client, method=standard)

    assert response.status_code == 302
    assert response["Location"] == "/checkout/review/"


def test_the_checkout_form_remembers_the_details_when_the_shopper_comes_back(client, standard):
    guest_cart_use(client, cart_new())
    details_post(client, method=standard, line2="Flat 3")

    doc = html(client.get("/checkout/"))

    assert doc.one("input", id="id_line2").attrs["value"] == "Flat 3"
    assert doc.one("input", id="id_email").attrs["value"] == "guest@example.com"


# --- /checkout/review/ --------------------------------------------------------------------------


def test_review_without_details_asks_for_them_first(client, standard):
    guest_cart_use(client, cart_new())

    response = client.get("/checkout/review/")

    assert response.status_code == 302
    assert response["Location"] == "/checkout/"


def test_review_shows_lines_by_merchant_address_and_totals_worked_out_by_the_server(
    client, standard, express
):
    cart = cart_new(lines=3, price=2000, quantity=2)  # 3 merchants × 2 × €20.00
    cart.discount_code = DiscountCodeFactory(code="TENOFF", kind="percent", value=10)
    cart.save()
    guest_cart_use(client, cart)
    details_post(client, method=express, line2="Flat 3")

    response = client.get("/checkout/review/")
    doc = html(response)

    assert doc.one("h1").text == "Review your order"
    groups = [group.one("h3").text for group in doc.all("div", cls="merchant-group")]
    assert groups == ["From Shop A", "From Shop B", "From Shop C"]
    assert "2 × €20.00" in doc.all("div", cls="merchant-group")[0].text
    delivery = doc.one("section", aria_labelledby="review-delivery").text
    assert "Ada Lovelace 12 Rue des Lilas Flat 3 75011 Paris France" in delivery
    assert "Express delivery · €9.90" in delivery
    assert "guest@example.com" in delivery
    totals = doc.one("dl", cls="totals").text
    assert "Subtotal (6 items) €120.00" in totals
    assert "Discount TENOFF −€12.00" in totals
    assert "Shipping €9.90" in totals
    assert "Total €117.90" in totals
    assert doc.one("main").one("button", type="submit").text == "Place order"


def test_review_follows_the_cart_not_what_was_shown_before(client, standard):
    cart = cart_new(price=2000)
    guest_cart_use(client, cart)
    details_post(client, method=standard)
    line = cart.lines.get()
    line.variant.price = 3000
    line.variant.save()

    totals = html(client.get("/checkout/review/")).one("dl", cls="totals").text

    assert "Total €34.90" in totals


def test_placing_the_order_sends_a_guest_to_the_pay_page_with_their_token(client, standard):
    cart = cart_new(price=2000)
    guest_cart_use(client, cart)
    details_post(client, method=standard)

    response = client.post("/checkout/review/")

    order = Order.objects.get()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert (order.email, order.total, order.customer) == ("guest@example.com", 2490, None)
    token = selectors.order_guest_token(order=order)
    assert response["Location"] == f"/orders/{order.number}/pay/?token={token}"
    # The cart is only emptied once the order is paid.
    assert CartLine.objects.filter(cart=cart).exists()


def test_a_signed_in_shopper_is_sent_to_the_pay_page_without_a_token(client, standard):
    user = UserFactory(email="ada@example.com")
    cart_new(user=user)
    client.force_login(user)
    details_post(client, method=standard, email="ignored@example.com", save_address="on")

    response = client.post("/checkout/review/")

    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.number}/pay/"
    assert (order.customer, order.email) == (user, "ada@example.com")
    assert Address.objects.filter(user=user, line1="12 Rue des Lilas").exists()


def test_details_typed_as_a_guest_are_ordered_under_the_account_after_logging_in(client, standard):
    user = UserFactory(email="ada@example.com")
    cart = cart_new()
    guest_cart_use(client, cart)
    details_post(client, method=standard, email="typed@example.com")
    CartLine.objects.filter(cart=cart).update(cart=CartFactory(user=user))  # as a merge would
    client.force_login(user)

    assert "ada@example.com" in main_text(client.get("/checkout/review/"))
    client.post("/checkout/review/")

    assert Order.objects.get().email == "ada@example.com"


def test_a_saved_address_is_used_when_chosen(client, standard):
    user = UserFactory()
    AddressFactory(user=user, full_name="Grace Hopper", line1="1 Navy Way", city="Arlington")
    saved = Address.objects.get(user=user)
    cart_new(user=user)
    client.force_login(user)

    client.post(
        "/checkout/",
        {"address_choice": str(saved.pk), "shipping_method": str(standard.pk)},
    )
    client.post("/checkout/review/")

    order = Order.objects.get()
    assert (order.ship_full_name, order.ship_line1, order.ship_city) == (
        "Grace Hopper",
        "1 Navy Way",
        "Arlington",
    )


def test_someone_elses_saved_address_cannot_be_chosen(client, standard):
    user = UserFactory()
    stranger = AddressFactory()
    AddressFactory(user=user)
    cart_new(user=user)
    client.force_login(user)

    response = client.post(
        "/checkout/", {"address_choice": str(stranger.pk), "shipping_method": str(standard.pk)}
    )

    assert response.status_code == 200
    assert "Ship to:" in html(response).one("div", id="error-summary").text


def test_a_sold_out_item_sends_the_shopper_back_to_the_cart_which_is_kept(client, standard):
    cart = cart_new()
    guest_cart_use(client, cart)
    details_post(client, method=standard)
    variant = cart.lines.get().variant
    variant.stock = 0
    variant.save()

    response = client.post("/checkout/review/", follow=True)

    assert response.redirect_chain[0] == ("/cart/", 302)
    messages = " ".join(str(message) for message in response.context["messages"])
    assert "sold out" in messages
    assert not Order.objects.exists()
    assert cart.lines.count() == 1


def test_a_discount_that_ran_out_is_explained_on_the_review(client, standard):
    cart = cart_new()
    code = DiscountCodeFactory(code="ONCE", usage_limit=1)
    cart.discount_code = code
    cart.save()
    guest_cart_use(client, cart)
    details_post(client, method=standard)
    type(code).objects.filter(pk=code.pk).update(times_used=1)  # someone else used it

    response = client.post("/checkout/review/")

    assert response.status_code == 200
    assert "Your order was not placed." in alert_text(response)
    assert not Order.objects.exists()
    assert cart.lines.count() == 1


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


def card(number=GOOD_CARD, **changes):
    return {"card_number": number, "expiry": "12/39", "cvc": "123", **changes}


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


# --- who may see an order -----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "pay/", "pay/confirm/", "confirmation/"])
def test_a_guest_order_is_a_404_without_its_token(client, standard, suffix):
    order = order_place(cart_new(), method=standard)
    token = selectors.order_guest_token(order=order)
    other = order_place(cart_new(), method=standard)

    assert client.get(f"/orders/{order.number}/{suffix}").status_code == 404
    assert client.get(f"/orders/{order.number}/{suffix}?token=forged").status_code == 404
    assert client.get(f"/orders/{order.number}/{suffix}?token={token}x").status_code == 404
    # One order's token opens no other order.
    assert client.get(f"/orders/{other.number}/{suffix}?token={token}").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/orders/{order.number}/{suffix}").status_code == 404


def test_someone_elses_order_is_a_404(client, standard):
    owner = UserFactory()
    order = order_place(cart_new(user=owner), method=standard, customer=owner)
    client.force_login(UserFactory())

    assert client.get(f"/orders/{order.number}/").status_code == 404
    assert client.post(f"/orders/{order.number}/pay/", card()).status_code == 404
    assert client.post(f"/orders/{order.number}/cancel/").status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


@pytest.mark.parametrize(
    "url",
    [
        "/orders/AG-NOSUCHORDER/",
        "/orders/AG-NOSUCHORDER/pay/",
        "/orders/AG-NOSUCHORDER/?token=abc",
        "/orders/%00/",
        "/orders/AG-%00/pay/",
        "/orders/" + "A" * 300 + "/",
        "/orders/AG-NOSUCH/?token=%00",
        "/orders/AG-NOSUCH/?token=" + "a" * 5000,
    ],
)
def test_bad_order_numbers_and_tokens_are_404s(client, url):
    client.force_login(UserFactory())

    assert client.get(url).status_code == 404


# --- /orders/ -----------------------------------------------------------------------------------


def test_the_order_list_needs_an_account(client):
    response = client.get("/orders/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/orders/")


def test_a_shopper_without_orders_sees_an_empty_state(client):
    client.force_login(UserFactory())

    doc = html(client.get("/orders/"))

    assert doc.one("h1").text == "Your orders"
    assert "You have no orders yet." in doc.one("div", cls="empty-state").text


def test_the_order_list_shows_number_date_status_and_total_of_own_orders_only(client, standard):
    user = UserFactory()
    paid = order_paid(cart_new(user=user, price=2000), method=standard, customer=user)
    pending = order_place(cart_new(price=1000), method=standard, customer=user)
    order_place(cart_new(), method=standard)  # a guest's
    client.force_login(user)

    doc = html(client.get("/orders/"))

    rows = [row.text for row in doc.one("tbody").all("tr")]
    date = timezone.localdate().strftime("%-d %b %Y")
    assert rows == [
        f"{pending.number} {date} Waiting for payment €14.90",
        f"{paid.number} {date} Paid €24.90",
    ]
    assert doc.one("a", href=f"/orders/{paid.number}/").text == paid.number


def test_the_order_list_is_paginated(client, standard):
    user = UserFactory()
    for _ in range(21):
        order_place(cart_new(), method=standard, customer=user)
    client.force_login(user)

    first = html(client.get("/orders/"))
    second = html(client.get("/orders/?page=2"))

    assert len(first.one("tbody").all("tr")) == 20
    assert "21 orders, showing 1–20" in first.one("main").text
    assert len(second.one("tbody").all("tr")) == 1
    assert html(client.get("/orders/?page=abc")).one("tbody")


# --- /orders/<number>/ --------------------------------------------------------------------------


def tracker(doc) -> list[tuple[str, bool]]:
    steps = doc.one("ol", cls="tracker").all("li")
    return [
        (step.one("span", cls="tracker__label").text, step.attrs.get("aria-current") == "step")
        for step in steps
    ]


def test_a_pending_order_offers_to_pay_or_cancel(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    doc = html(client.get(f"/orders/{order.number}/"))

    assert doc.one("h1").text == f"Order {order.number}"
    assert tracker(doc) == [
        ("Placed", True),
        ("Paid", False),
        ("Shipped", False),
        ("Delivered", False),
    ]
    assert doc.one("a", href=f"/orders/{order.number}/pay/").text == "Pay now"
    cancel = doc.one("form", action=f"/orders/{order.number}/cancel/")
    assert cancel.one("button").text == "Cancel order"


def test_a_paid_order_shows_its_lines_by_merchant_totals_and_history(client, standard):
    user = UserFactory()
    cart = cart_new(user=user, lines=2, price=2000)
    order = order_paid(cart, method=standard, customer=user)
    client.force_login(user)

    doc = html(client.get(f"/orders/{order.number}/"))

    assert tracker(doc)[1] == ("Paid", True)
    groups = doc.all("div", cls="merchant-group")
    assert [group.one("h3").text for group in groups] == ["From Shop A", "From Shop B"]
    assert "Not shipped yet." in groups[0].text
    assert "Product 0" in groups[0].text
    assert "Total €44.90" in doc.one("dl", cls="totals").text
    assert "Waiting for payment → Paid" in doc.one("section", aria_labelledby="order-history").text
    assert not doc.all("a", href=f"/orders/{order.number}/pay/")
    assert not doc.all("form", action=f"/orders/{order.number}/cancel/")


def test_a_shipped_line_shows_its_tracking_number_and_carrier(client, standard):
    user = UserFactory()
    cart = cart_new(user=user, lines=2)
    order = order_paid(cart, method=standard, customer=user)
    merchant = order.lines.order_by("merchant_id").first().merchant
    services.order_fulfil(
        order=order, merchant=merchant, tracking_number="TRK-123456", carrier="La Poste", by=None
    )
    client.force_login(user)

    doc = html(client.get(f"/orders/{order.number}/"))

    groups = doc.all("div", cls="merchant-group")
    assert "with La Poste" in groups[0].text
    assert groups[0].one("strong", cls="tracking-number").text == "TRK-123456"
    assert "Not shipped yet." in groups[1].text
    assert ("Partly shipped", True) in tracker(doc)


def test_a_guest_opens_their_order_with_the_link_from_the_email(client, standard):
    order = order_paid(cart_new(), method=standard)

    response = client.get(guest_url(order))

    assert response.status_code == 200
    doc = html(response)
    assert doc.one("h1").text == f"Order {order.number}"
    assert "You opened this order with the link from your email." in doc.one("main").text
    assert not doc.all("nav", aria_label="Breadcrumb")  # no "Your orders" for a guest


def test_the_shopper_cancels_an_unpaid_order(client, standard):
    cart = cart_new()
    variant = cart.lines.get().variant
    order = order_place(cart, method=standard)
    variant.refresh_from_db()
    stock_while_pending = variant.stock

    response = client.post(guest_url(order, "cancel/"), follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert [str(m) for m in response.context["messages"]] == [
        f"Your order {order.number} is cancelled. Nothing was charged."
    ]
    assert "This order was cancelled." in main_text(response)
    variant.refresh_from_db()
    assert variant.stock == stock_while_pending + 1


def test_cancelling_a_paid_order_is_refused_with_a_message(client, standard):
    user = UserFactory()
    order = order_paid(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    response = client.post(f"/orders/{order.number}/cancel/", follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_refund_is_listed_on_the_order(client, standard):
    user = UserFactory()
    order = order_paid(cart_new(user=user, price=2000), method=standard, customer=user)
    services.order_refund(order=order, amount=500, reason="Scratched", by=None)
    client.force_login(user)

    doc = html(client.get(f"/orders/{order.number}/"))

    refunds = doc.one("section", aria_labelledby="order-refunds").text
    assert "€5.00 refunded (Scratched)" in refunds
    assert "Refunded −€5.00" in doc.one("dl", cls="totals").text


def test_the_order_pages_have_one_h1_and_labelled_landmarks(client, standard):
    user = UserFactory()
    order = order_paid(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    for url in (f"/orders/{order.number}/", f"/orders/{order.number}/confirmation/", "/orders/"):
        doc = html(client.get(url))

        assert len(doc.all("h1")) == 1, url
        assert all("alt" in img.attrs for img in doc.all("img")), url


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lines", [1, 20])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, the Friends badge, cart, lines (variant, product, merchant), images,
        # addresses, methods, categories (the header's menu; cached after the first page)
        # and the bell's unread count (social.notifications)
        ("/checkout/", 10),
        # session, user, the Friends badge, cart, lines (variant, product, merchant), images,
        # methods, categories
        # and the bell's unread count (social.notifications)
        ("/checkout/review/", 9),
    ],
)
def test_checkout_queries_do_not_grow_with_cart_lines(
    client, django_assert_num_queries, standard, lines, url, queries
):
    user = UserFactory()
    AddressFactory(user=user)
    cart_new(user=user, lines=lines, images=True)
    client.force_login(user)
    details_post(client, method=standard, address_choice="new")

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert len(html(response).all("li", cls="summary-line")) == lines


@pytest.mark.parametrize("lines", [1, 20])
def test_order_page_queries_do_not_grow_with_lines(
    client, django_assert_num_queries, standard, lines
):
    user = UserFactory()
    order = order_paid(cart_new(user=user, lines=lines), method=standard, customer=user)
    services.order_fulfil(
        order=order,
        merchant=order.lines.first().merchant,
        tracking_number="T-1",
        carrier="DHL",
        by=None,
    )
    services.order_refund(order=order, amount=100, reason="Late", by=None)
    client.force_login(user)

    # session, user, the Friends badge, order (shipping method), lines (merchant), fulfilments
    # (merchant), transitions (by), refunds, categories (the header's menu; cached after the
    # first page)
    # and the bell's unread count (social.notifications)
    with django_assert_num_queries(10):
        response = client.get(f"/orders/{order.number}/")

    assert len(html(response).all("li", cls="summary-line")) == lines


@pytest.mark.parametrize("orders", [1, 20])
def test_order_list_queries_do_not_grow_with_orders(
    client, django_assert_num_queries, standard, orders
):
    user = UserFactory()
    for _ in range(orders):
        order_place(cart_new(lines=2), method=standard, customer=user)
    client.force_login(user)

    # session, user, the Friends badge, count, orders, their lines and fulfilments (the selector's
    # prefetches), categories (the header's menu; cached after the first page)
    # and the bell's unread count (social.notifications)
    with django_assert_num_queries(9):
        response = client.get("/orders/")

    assert len(html(response).one("tbody").all("tr")) == orders


def test_the_confirmation_links_to_the_order_with_the_guest_token(client, standard):
    order = order_paid(cart_new(), method=standard)

    doc = html(client.get(guest_url(order, "confirmation/")))

    links = [a.attrs["href"] for a in doc.all("a") if a.text == "See your order"]
    assert links == [guest_url(order)]


def test_an_order_the_discount_covers_in_full_goes_straight_to_the_confirmation(client):
    pickup = ShippingMethodFactory(code="pickup", name="Pickup", price=0)
    cart = cart_new()
    cart.discount_code = DiscountCodeFactory(code="GIFT100", kind="percent", value=100)
    cart.save()
    guest_cart_use(client, cart)
    details_post(client, method=pickup)

    response = client.post("/checkout/review/")

    order = Order.objects.get()
    assert order.total == 0
    assert order.status == Order.Status.PAID
    assert response.status_code == 302
    assert response["Location"].startswith(f"/orders/{order.number}/confirmation/")
