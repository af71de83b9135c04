"""Checkout rules live in services.order_place and addresses.address_input_clean: the form,
the API and any later caller (gift pools, wishlists) get the same answer for the same input.

Each test here is a disagreement found between the copies the rules used to have."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.core.errors import DomainError
from shop.orders import selectors
from shop.orders.errors import OrderError
from shop.orders.models import Order
from tests.factories import (
    ADDRESS,
    DiscountCodeFactory,
    UserFactory,
    address_input,
    cart_make,
    guest_cart_use,
    variant_make,
)
from tests.html import html

pytestmark = pytest.mark.django_db

# Luhn-valid, but 12 digits: no card network issues such a number (13 to 19 digits).
TWELVE_DIGIT_CARD = "4242 4242 4242"


def _api_checkout(client, method, **changes):
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": method.pk, **changes}
    return client.post("/api/v1/checkout", data, content_type="application/json")


def _page_checkout(client, method, **changes):
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": str(method.pk), **changes}
    return client.post("/checkout/", data)


@pytest.fixture
def guest_client(client):
    guest_cart_use(client, cart_make((variant_make(), 1)))
    return client


# --- the address ------------------------------------------------------------------------------


def test_the_api_refuses_a_phone_number_the_checkout_form_refuses(guest_client, standard):
    response = _api_checkout(guest_client, standard, phone="call me maybe")

    assert response.status_code == 400
    assert response.json()["errors"]["phone"][0]["code"] == OrderError.INVALID_ADDRESS
    assert not Order.objects.exists()


def test_an_order_never_ships_to_a_country_the_shop_does_not_ship_to(place):
    with pytest.raises(DomainError) as error:
        place(cart_make((variant_make(), 1)), address=address_input(country="ZZ"))

    assert (error.value.code, error.value.field) == (OrderError.INVALID_ADDRESS, "country")
    assert not Order.objects.exists()


def test_a_country_code_in_lower_case_is_the_country(place):
    order = place(cart_make((variant_make(), 1)), address=address_input(country="fr"))

    assert order.ship_country == "FR"


def test_a_phone_number_that_is_not_one_is_refused_whoever_places_the_order(place):
    with pytest.raises(DomainError) as error:
        place(cart_make((variant_make(), 1)), address=address_input(phone="call me"))

    assert (error.value.code, error.value.field) == (OrderError.INVALID_ADDRESS, "phone")


def test_an_address_longer_than_an_order_stores_is_refused_on_its_field(place):
    with pytest.raises(DomainError) as error:
        place(cart_make((variant_make(), 1)), address=address_input(full_name="A" * 121))

    assert (error.value.code, error.value.field) == (OrderError.INVALID_ADDRESS, "full_name")
    assert not Order.objects.exists()


@pytest.mark.parametrize("city", ["Paris\x00", "Par\x01is"])
def test_control_characters_in_an_address_are_refused_on_their_field(place, city):
    with pytest.raises(DomainError) as error:
        place(cart_make((variant_make(), 1)), address=address_input(city=city))

    assert (error.value.code, error.value.field) == (OrderError.INVALID_ADDRESS, "city")


def test_the_api_names_the_field_holding_control_characters(guest_client, standard):
    response = _api_checkout(guest_client, standard, city="Par\x01is")

    assert response.status_code == 400
    assert "city" in response.json()["errors"]
    assert not Order.objects.exists()


def test_the_checkout_form_names_the_field_holding_control_characters(guest_client, standard):
    response = _page_checkout(guest_client, standard, line1="12 Rue\x01 des Lilas")

    assert response.status_code == 200
    doc = html(response)
    assert doc.one("input", id="id_line1").attrs["aria-invalid"] == "true"
    assert "checkout" not in guest_client.session


# --- the email --------------------------------------------------------------------------------


def test_a_signed_in_shoppers_order_goes_to_their_account_email_whatever_is_sent(place):
    shopper = UserFactory(email="ada@example.com")

    order = place(cart_make((variant_make(), 1)), customer=shopper, email="other@example.com")

    assert order.email == "ada@example.com"


def test_a_guest_without_an_email_is_told_on_the_email_field(guest_client, standard):
    response = _api_checkout(guest_client, standard, email="")

    assert response.status_code == 400
    assert "email" in response.json()["errors"]


# --- paying -----------------------------------------------------------------------------------


def test_a_card_number_the_gateway_refuses_as_malformed_is_a_form_error_not_an_attempt(
    client, place
):
    shopper = UserFactory()
    order = place(cart_make((variant_make(), 1)), customer=shopper)
    client.force_login(shopper)

    response = client.post(
        f"/orders/{order.number}/pay/",
        {"card_number": TWELVE_DIGIT_CARD, "expiry": "12/39", "cvc": "123"},
    )

    assert response.status_code == 200
    assert html(response).one("input", id="id_card_number").attrs["aria-invalid"] == "true"
    order.refresh_from_db()
    assert order.payment_attempts == 0


def test_an_expired_order_is_refused_for_the_same_reason_on_the_page_and_the_api(client, place):
    shopper = UserFactory()
    order = place(cart_make((variant_make(), 1)), customer=shopper)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(shopper)

    page = html(client.get(f"/orders/{order.number}/pay/")).one("main").text
    api = client.post(
        f"/api/v1/orders/{order.number}/pay",
        {"payment_method": "4242 4242 4242 4242"},
        content_type="application/json",
    )

    reason = api.json()["errors"]["order"][0]
    assert reason["code"] == OrderError.ORDER_NOT_PAYABLE
    assert reason["message"] in page


# --- refunds ----------------------------------------------------------------------------------


def test_nothing_may_be_refunded_of_an_order_not_paid(place):
    order = place(cart_make((variant_make(), 1)))

    assert selectors.order_refundable_amount(order=order) == 0


def test_the_admin_refund_page_offers_nothing_of_an_unpaid_order(client, place):
    order = place(cart_make((variant_make(), 1)))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/orders/order/", {"action": "refund", "_selected_action": [order.pk]}
    )

    assert response.status_code == 200
    assert "up to €0.00" in response.content.decode()


# --- the review and the order price the cart with one formula ---------------------------------


def test_the_review_api_quotes_what_placing_the_order_then_charges(client, standard):
    code = DiscountCodeFactory(code="TENOFF", kind="percent", value=10)
    guest_cart_use(client, cart_make((variant_make(price=2500), 3), discount=code))

    review = client.get(f"/api/v1/checkout?shipping_method={standard.pk}")
    placed = _api_checkout(client, standard)

    assert review.status_code == 200
    quote = review.json()
    assert (quote["subtotal"], quote["discount_total"], quote["shipping_total"]) == (
        7500,
        750,
        490,
    )
    assert quote["total"] == placed.json()["total"] == 7240
    assert Order.objects.get().total == 7240


def test_the_review_api_names_a_shipping_method_that_is_not_offered(guest_client):
    response = guest_client.get("/api/v1/checkout?shipping_method=999")

    assert response.status_code == 400
    assert "shipping_method" in response.json()["errors"]


@pytest.mark.parametrize("n", [1, 10])
def test_review_api_queries_do_not_grow_with_lines(client, standard, django_assert_num_queries, n):
    guest_cart_use(client, cart_make(*((variant_make(), 1) for _ in range(n))))

    # session, shipping method, cart, lines (variant, product, merchant), images
    with django_assert_num_queries(5):
        assert client.get(f"/api/v1/checkout?shipping_method={standard.pk}").status_code == 200
