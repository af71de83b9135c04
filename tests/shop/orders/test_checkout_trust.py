"""What tells a shopper at checkout what happens: how long the items are kept (in which time
zone), the terms and returns, the order summary on phones, and the card form of test mode
(what it takes, and where the card goes: nowhere but our server, only its last four digits
kept)."""

import re

import pytest
from django.apps import apps
from django.core import mail

from shop.accounts.models import Session
from shop.orders import selectors, tasks
from shop.orders.models import Order
from shop.payments.models import FakeCharge, Payment
from tests.factories import (
    ADDRESS,
    UserFactory,
    cart_new,
    guest_cart_use,
    order_place,
)
from tests.html import html

pytestmark = pytest.mark.django_db


def details_post(client, *, method):
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": str(method.pk)}
    assert client.post("/checkout/", data).status_code == 302


def guest_url(order, suffix="") -> str:
    return f"/orders/{order.number}/{suffix}?token={selectors.order_guest_token(order=order)}"


def card(number="4242 4242 4242 4242", **changes):
    return {"card_number": number, "expiry": "12/39", "cvc": "123", **changes}


# --- how long the items are kept -----------------------------------------------------------------


def test_the_pay_page_says_until_when_the_items_are_kept_with_the_time_zone(client, standard):
    order = order_place(cart_new(), method=standard)

    text = html(client.get(guest_url(order, "pay/"))).one("main").text

    assert re.search(
        r"We keep your items until \d\d:\d\d UTC \(30 minutes after you placed the order\); "
        r"after that the order expires\.",
        text,
    ), text


def test_the_time_zone_named_is_the_stores(client, settings, standard):
    settings.TIME_ZONE = "Europe/Paris"
    order = order_place(cart_new(), method=standard)

    text = html(client.get(guest_url(order, "pay/"))).one("main").text

    assert re.search(r"We keep your items until \d\d:\d\d CES?T ", text), text


def test_the_order_page_and_the_placed_email_say_until_when_with_the_time_zone(
    client, settings, standard
):
    settings.ORDER_PAYMENT_TIMEOUT_MINUTES = 45
    order = order_place(cart_new(), method=standard)

    text = html(client.get(guest_url(order))).one("div", cls="order-actions").text
    tasks.order_placed_notify.delay(order_id=order.pk)

    assert re.search(
        r"We keep the items until \d{1,2} \w{3}, \d\d:\d\d UTC \(45 minutes after you placed", text
    ), text
    assert re.search(
        r"We keep your items until \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC \(45 minutes after you "
        r"placed the order\); pay before then\.",
        mail.outbox[0].body,
    ), mail.outbox[0].body


def test_the_review_says_how_long_the_items_are_kept(client, settings, standard):
    settings.ORDER_PAYMENT_TIMEOUT_MINUTES = 20
    guest_cart_use(client, cart_new())
    details_post(client, method=standard)

    text = html(client.get("/checkout/review/")).one("form", cls="place-order").text

    assert "we keep your items for 20 minutes while you do" in text


# --- terms and returns ---------------------------------------------------------------------------


def test_the_review_links_to_the_terms_and_to_shipping_and_returns_by_the_button(client, standard):
    guest_cart_use(client, cart_new())
    details_post(client, method=standard)

    place = html(client.get("/checkout/review/")).one("form", cls="place-order")

    assert "By placing your order you agree to our terms of sale." in place.text
    assert place.one("a", href="/pages/terms/").text == "terms of sale"
    assert place.one("a", href="/pages/shipping-returns/").text == "shipping and returns"


def test_the_checkout_page_links_to_shipping_and_returns(client, standard):
    guest_cart_use(client, cart_new())

    main = html(client.get("/checkout/")).one("main")  # the footer links to it too

    assert main.one("a", href="/pages/shipping-returns/").text == "shipping and returns"


# --- the order summary on phones ---------------------------------------------------------------


def test_the_checkout_summary_is_a_disclosure_before_the_form_naming_the_total(client, standard):
    guest_cart_use(client, cart_new(lines=2, price=2000))

    doc = html(client.get("/checkout/"))

    layout = doc.one("div", cls="checkout-layout")
    first, second = [child for child in layout.children if not isinstance(child, str)]
    assert (first.tag, second.tag) == ("details", "form")
    assert "open" not in first.attrs  # closed on phones; the script opens it on wide screens
    toggle = first.one("summary")
    assert toggle.one("span", cls="checkout-summary__show").text == "Show order summary"
    assert toggle.one("span", cls="checkout-summary__total").text == "· €40.00"
    assert len(first.all("li", cls="summary-line")) == 2
    assert doc.one("script", src="/static/js/checkout-summary.js")


def test_the_pay_summary_is_a_disclosure_with_the_lines_and_the_total(client, standard):
    order = order_place(cart_new(lines=2, price=2000), method=standard)

    doc = html(client.get(guest_url(order, "pay/")))

    summary = doc.one("details", cls="checkout-summary")
    assert summary.one("span", cls="checkout-summary__total").text == "· €44.90"
    assert [line.one("p", cls="summary-line__title").text for line in summary.all("li")] == [
        "Product 0",
        "Product 1",
    ]
    assert summary.one("aside", aria_label="Order total")


# --- the card form (fake gateway: test mode) -----------------------------------------------------


def test_the_card_fields_tell_the_browser_and_the_keyboard_what_they_take(client, standard):
    order = order_place(cart_new(), method=standard)

    doc = html(client.get(guest_url(order, "pay/")))

    number = doc.one("input", name="card_number").attrs
    expiry = doc.one("input", name="expiry").attrs
    cvc = doc.one("input", name="cvc").attrs
    assert (number["autocomplete"], number["inputmode"]) == ("cc-number", "numeric")
    assert (expiry["autocomplete"], expiry["inputmode"]) == ("cc-exp", "numeric")
    assert expiry["placeholder"] == "MM/YY"
    assert (cvc["autocomplete"], cvc["inputmode"]) == ("cc-csc", "numeric")
    assert doc.one("span", id="card-brand").attrs["aria-live"] == "polite"
    assert doc.one("script", src="/static/js/card-form.js")


def test_the_card_script_is_loaded_on_the_pay_page_only(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)
    details_post(client, method=standard)

    for url in ("/checkout/", "/checkout/review/", f"/orders/{order.number}/", "/cart/"):
        assert "card-form.js" not in client.get(url).content.decode(), url


@pytest.mark.parametrize(
    ("number", "last4"),
    [
        ("4242 4242 4242 4242", "4242"),  # as the script groups it
        ("4242-4242-4242-4242", "4242"),
        (" 4242424242424242 ", "4242"),
        ("3782 822463 10005", "0005"),  # American Express, grouped 4-6-5
        ("5555 5555 5555 4444", "4444"),  # Mastercard
    ],
)
def test_a_card_number_typed_with_spaces_or_dashes_pays(client, standard, number, last4):
    order = order_place(cart_new(), method=standard)

    response = client.post(guest_url(order, "pay/"), card(number))

    assert response.status_code == 302, html(response).one("main").text
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get().card_last4 == last4


@pytest.mark.parametrize("expiry", ["12/39", "12 / 39", "1239", "122039", "12/2039", "4/39"])
def test_an_expiry_date_is_taken_with_or_without_the_slash(client, standard, expiry):
    order = order_place(cart_new(), method=standard)

    response = client.post(guest_url(order, "pay/"), card(expiry=expiry))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.parametrize("expiry", ["139", "2039", "1339", "12/3", "00/39", "12-39"])
def test_an_expiry_date_that_is_not_one_is_a_field_error(client, standard, expiry):
    order = order_place(cart_new(), method=standard)

    response = client.post(guest_url(order, "pay/"), card(expiry=expiry))

    assert response.status_code == 200
    assert html(response).one("input", name="expiry").attrs["aria-invalid"] == "true"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


def test_the_pay_page_says_where_the_card_details_go_in_test_mode(client, standard):
    order = order_place(cart_new(), method=standard)

    note = html(client.get(guest_url(order, "pay/"))).one("p", id="card-details-note").text

    assert note == (
        "Test mode: your card details go to Agora's own server only, to be checked against "
        "the test cards below; no bank or payment provider receives them, and nothing is "
        "charged. Only the card's last four digits are kept, to show which card paid."
    )


def _stored_text() -> str:
    """Every value of every row in the database, sessions decoded: what the shop keeps."""
    values = []
    for model in apps.get_models():
        for row in model.objects.all().values():
            values.extend(str(value) for value in row.values())
    values.extend(str(session.get_decoded()) for session in Session.objects.all())
    return "\n".join(values)


def test_what_the_wording_says_holds_only_the_last_four_digits_are_kept(client, standard):
    cart = cart_new()
    guest_cart_use(client, cart)
    order = order_place(cart, method=standard)

    client.post(guest_url(order, "pay/"), card("3782 822463 10005", expiry="07/38", cvc="9876"))

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    stored = _stored_text()
    assert FakeCharge.objects.get().card_last4 == "0005"
    for secret in ("378282246310005", "3782 822463 10005", "822463", "07/38", "9876"):
        assert secret not in stored, secret


def test_the_card_fields_are_kept_out_of_error_reports(client, standard):
    order = order_place(cart_new(), method=standard)

    response = client.post(guest_url(order, "pay/"), card())

    assert set(response.wsgi_request.sensitive_post_parameters) == {
        "card_number",
        "expiry",
        "cvc",
    }


# --- queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lines", [1, 20])
def test_pay_page_queries_do_not_grow_with_lines(
    client, django_assert_num_queries, standard, lines
):
    user = UserFactory()
    order = order_place(cart_new(user=user, lines=lines), method=standard, customer=user)
    client.force_login(user)

    # the session with its user and the header's badges, order (shipping method), lines (merchant),
    # fulfilments (merchant), transitions (by), refunds, categories (the header's menu; cached after
    # the first page)
    with django_assert_num_queries(7):
        response = client.get(f"/orders/{order.number}/pay/")

    assert len(html(response).all("li", cls="summary-line")) == lines


@pytest.mark.parametrize("lines", [1, 20])
def test_confirmation_queries_do_not_grow_with_lines(
    client, django_assert_num_queries, standard, lines
):
    user = UserFactory()
    order = order_place(cart_new(user=user, lines=lines), method=standard, customer=user)
    client.force_login(user)
    client.post(f"/orders/{order.number}/pay/", card())

    # the session with its user and the header's badges, order (shipping method), lines (merchant),
    # fulfilments (merchant), transitions (by), refunds, categories (the header's menu; cached after
    # the first page)
    with django_assert_num_queries(7):
        response = client.get(f"/orders/{order.number}/confirmation/")

    assert len(html(response).all("li", cls="summary-line")) == lines
