"""The checkout pages (/checkout/ and its review) as a shopper, signed in or a guest, sees them."""

import pytest

from shop.accounts.models import Address
from shop.cart.models import CartLine
from shop.orders import selectors
from shop.orders.models import Order
from tests.factories import (
    AddressFactory,
    CartFactory,
    DiscountCodeFactory,
    UserFactory,
    cart_new,
    guest_cart_use,
)
from tests.html import html, main_text
from tests.shop.orders.pages import alert_text, details_post

pytestmark = pytest.mark.django_db


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
