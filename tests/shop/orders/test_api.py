"""/api/v1/checkout, /api/v1/orders…: the same services as the pages, as JSON."""

import pytest

from shop.accounts.models import Address
from shop.orders import selectors, services
from shop.orders.models import Order
from tests.factories import (
    ACTION_CARD,
    ADDRESS,
    DECLINED_CARD,
    GOOD_CARD,
    DiscountCodeFactory,
    UserFactory,
    cart_new,
    guest_cart_use,
    order_place,
)

pytestmark = pytest.mark.django_db


def checkout(client, *, method, **changes):
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": method.pk, **changes}
    return client.post("/api/v1/checkout", data, content_type="application/json")


def pay(client, order, card, *, token=""):
    query = f"?token={token}" if token else ""
    return client.post(
        f"/api/v1/orders/{order.number}/pay{query}",
        {"payment_method": card},
        content_type="application/json",
    )


def error_codes(response) -> dict[str, list[str]]:
    return {
        field: [item["code"] for item in items]
        for field, items in response.json()["errors"].items()
    }


# --- POST /api/v1/checkout ----------------------------------------------------------------------


def test_a_guest_places_an_order_from_their_session_cart(client, standard):
    cart = cart_new(lines=2, price=2000)
    guest_cart_use(client, cart)

    response = checkout(client, method=standard, total=1, subtotal=1)  # prices sent are ignored

    assert response.status_code == 201
    body = response.json()
    order = Order.objects.get()
    assert body["number"] == order.number
    assert body["status"] == "pending_payment"
    assert (body["subtotal"], body["shipping_total"], body["total"]) == (4000, 490, 4490)
    assert body["email"] == "guest@example.com"
    assert body["shipping_address"]["city"] == "Paris"
    assert [line["merchant"]["name"] for line in body["lines"]] == ["Shop A", "Shop B"]
    assert body["guest_token"] == selectors.order_guest_token(order=order)
    assert body["url"] == f"http://testserver/orders/{order.number}/"
    assert body["history"][0]["to_status"] == "pending_payment"


def test_a_signed_in_customer_orders_with_their_account_email_and_saves_the_address(
    client, standard
):
    user = UserFactory(email="ada@example.com")
    cart_new(user=user)
    client.force_login(user)

    response = checkout(client, method=standard, email="other@example.com", save_address=True)

    assert response.status_code == 201
    assert (response.json()["email"], response.json()["guest_token"]) == (
        "ada@example.com",
        None,
    )
    assert Order.objects.get().customer == user
    assert Address.objects.filter(user=user, city="Paris").exists()


def test_checkout_applies_the_carts_discount_code(client, standard):
    cart = cart_new(price=2000)
    cart.discount_code = DiscountCodeFactory(code="TEN", kind="percent", value=10)
    cart.save()
    guest_cart_use(client, cart)

    body = checkout(client, method=standard).json()

    assert (body["discount_code"], body["discount_total"], body["total"]) == ("TEN", 200, 2290)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"full_name": ""}, "full_name", "blank"),
        ({"country": "XX"}, "country", "invalid_choice"),
        ({"shipping_method": 999999}, "shipping_method", "invalid_shipping_method"),
        ({"shipping_method": "abc"}, "shipping_method", "invalid"),
        ({"shipping_method": 2**70}, "shipping_method", "max_value"),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"email": ""}, "email", "blank"),
        ({"line1": "x" * 201}, "line1", "max_length"),
        ({"city": "\x00"}, "city", "null_characters_not_allowed"),
    ],
)
def test_bad_checkout_input_is_a_400_naming_the_field(client, standard, changes, field, code):
    guest_cart_use(client, cart_new())

    response = checkout(client, method=standard, **changes)

    assert response.status_code == 400
    assert code in error_codes(response)[field]
    assert not Order.objects.exists()


def test_a_guest_checkout_needs_an_email(client, standard):
    guest_cart_use(client, cart_new())
    data = {**ADDRESS, "shipping_method": standard.pk}

    response = client.post("/api/v1/checkout", data, content_type="application/json")

    assert response.status_code == 400
    assert "email" in error_codes(response)


def test_checkout_with_no_cart_is_a_400_empty_cart(client, standard):
    response = checkout(client, method=standard)

    assert response.status_code == 400
    assert error_codes(response) == {"cart": ["empty_cart"]}


def test_checkout_of_a_sold_out_item_is_a_400_and_the_cart_survives(client, standard):
    cart = cart_new()
    variant = cart.lines.get().variant
    variant.stock = 0
    variant.save()
    guest_cart_use(client, cart)

    response = checkout(client, method=standard)

    assert response.status_code == 400
    assert error_codes(response) == {"cart": ["out_of_stock"]}
    assert cart.lines.count() == 1


def test_a_visitors_checkout_sent_from_another_site_is_refused(client, standard):
    guest_cart_use(client, cart_new())
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": standard.pk}

    response = client.post("/api/v1/checkout", data, headers={"Sec-Fetch-Site": "cross-site"})

    assert response.status_code == 403
    assert not Order.objects.exists()


def test_checkout_answers_a_form_post_too(client, standard):
    guest_cart_use(client, cart_new())
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": standard.pk}

    assert client.post("/api/v1/checkout/", data).status_code == 201


# --- POST /api/v1/orders/<number>/pay ---------------------------------------------------------


def test_a_decline_says_why_and_another_card_pays(client, standard):
    cart = cart_new()
    guest_cart_use(client, cart)
    order = order_place(cart, method=standard)
    token = selectors.order_guest_token(order=order)

    declined = pay(client, order, DECLINED_CARD, token=token)

    assert declined.status_code == 200
    body = declined.json()
    assert (body["payment_status"], body["message"], body["action_url"]) == (
        "failed",
        "Your card was declined.",
        None,
    )
    assert body["order"]["status"] == "pending_payment"
    assert cart.lines.count() == 1

    paid = pay(client, order, GOOD_CARD, token=token)

    assert paid.json()["payment_status"] == "succeeded"
    assert paid.json()["order"]["status"] == "paid"
    assert not cart.lines.exists()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_card_that_asks_for_confirmation_gets_an_action_url(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    body = pay(client, order, ACTION_CARD).json()

    assert body["payment_status"] == "requires_action"
    assert body["action_url"] == f"http://testserver/orders/{order.number}/pay/confirm/"


def test_paying_a_paid_order_is_a_400_not_payable(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)
    pay(client, order, GOOD_CARD)

    response = pay(client, order, GOOD_CARD)

    assert response.status_code == 400
    assert error_codes(response) == {"order": ["order_not_payable"]}


@pytest.mark.parametrize("card", ["", "x" * 300])
def test_a_bad_payment_method_is_a_400_naming_it(client, standard, card):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    response = pay(client, order, card)

    assert response.status_code == 400
    assert "payment_method" in error_codes(response)


def test_a_mistyped_card_number_fails_the_payment_never_a_500(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    response = pay(client, order, "1234 nonsense")

    assert response.status_code == 200
    assert response.json()["payment_status"] == "failed"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


def test_paying_a_guest_order_needs_its_token(client, standard):
    order = order_place(cart_new(), method=standard)

    assert pay(client, order, GOOD_CARD).status_code == 404
    assert pay(client, order, GOOD_CARD, token="forged").status_code == 404
    order.refresh_from_db()
    assert order.payment_attempts == 0


# --- GET /api/v1/orders, /api/v1/orders/<number> -----------------------------------------------


def test_the_order_list_needs_an_account(client):
    response = client.get("/api/v1/orders")

    assert response.status_code in (401, 403)


def test_the_order_list_has_the_customers_orders_only_newest_first(client, standard):
    user = UserFactory()
    first = order_place(cart_new(), method=standard, customer=user)
    second = order_place(cart_new(), method=standard, customer=user)
    order_place(cart_new(), method=standard)
    client.force_login(user)

    body = client.get("/api/v1/orders").json()

    assert body["count"] == 2
    assert [order["number"] for order in body["results"]] == [second.number, first.number]
    assert body["results"][0]["status"] == "pending_payment"
    assert body["results"][0]["total"] == 2990


def test_the_order_list_is_paginated(client, standard):
    user = UserFactory()
    for _ in range(3):
        order_place(cart_new(), method=standard, customer=user)
    client.force_login(user)

    body = client.get("/api/v1/orders?page_size=2&page=2").json()

    assert (body["count"], len(body["results"])) == (3, 1)
    assert client.get("/api/v1/orders?page=abc").status_code == 400


def test_a_customer_reads_their_order_with_shipments_and_history(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user, lines=2), method=standard, customer=user)
    services.order_pay(order=order, payment_method=GOOD_CARD)
    merchant = order.lines.first().merchant
    services.order_fulfil(
        order=order, merchant=merchant, tracking_number="TRK-1", carrier="DHL", by=None
    )
    client.force_login(user)

    body = client.get(f"/api/v1/orders/{order.number}").json()

    assert body["status"] == "partially_fulfilled"
    assert body["fulfilments"] == [
        {
            "merchant": {"name": merchant.name, "slug": merchant.slug},
            "carrier": "DHL",
            "tracking_number": "TRK-1",
            "shipped_at": body["fulfilments"][0]["shipped_at"],
        }
    ]
    assert [step["to_status"] for step in body["history"]] == [
        "pending_payment",
        "paid",
        "partially_fulfilled",
    ]


def test_a_guest_reads_their_order_with_the_token_only(client, standard):
    order = order_place(cart_new(), method=standard)
    token = selectors.order_guest_token(order=order)

    assert client.get(f"/api/v1/orders/{order.number}?token={token}").status_code == 200
    assert client.get(f"/api/v1/orders/{order.number}").status_code == 404
    assert client.get(f"/api/v1/orders/{order.number}?token=nope").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/orders/{order.number}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/orders/AG-NOSUCHORDER",
        "/api/v1/orders/AG-NOSUCHORDER?token=abc",
        "/api/v1/orders/AG-%00",
        "/api/v1/orders/AG-X?token=%00",
        "/api/v1/orders/AG-X?token=" + "a" * 5000,
    ],
)
def test_bad_numbers_and_tokens_are_404s(client, url):
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 404
    assert "errors" in response.json()


# --- POST /api/v1/orders/<number>/cancel ------------------------------------------------------


def test_a_customer_cancels_an_unpaid_order(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    client.force_login(user)

    response = client.post(f"/api/v1/orders/{order.number}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_a_paid_order_cannot_be_cancelled_by_the_shopper(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user), method=standard, customer=user)
    services.order_pay(order=order, payment_method=GOOD_CARD)
    client.force_login(user)

    response = client.post(f"/api/v1/orders/{order.number}/cancel")

    assert response.status_code == 400
    assert error_codes(response) == {"status": ["illegal_transition"]}
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_someone_elses_order_cannot_be_cancelled(client, standard):
    owner = UserFactory()
    order = order_place(cart_new(user=owner), method=standard, customer=owner)
    client.force_login(UserFactory())

    assert client.post(f"/api/v1/orders/{order.number}/cancel").status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


# --- GET /api/v1/shipping-methods -------------------------------------------------------------


def test_shipping_methods_are_listed_with_prices(client, standard):
    body = client.get("/api/v1/shipping-methods").json()

    assert {
        "id": standard.pk,
        "code": "standard",
        "name": "Standard delivery",
        "description": standard.description,
        "price": 490,
    } in body


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lines", [1, 20])
def test_order_detail_queries_do_not_grow_with_lines(
    client, django_assert_num_queries, standard, lines
):
    user = UserFactory()
    order = order_place(cart_new(user=user, lines=lines), method=standard, customer=user)
    services.order_pay(order=order, payment_method=GOOD_CARD)
    services.order_fulfil(
        order=order, merchant=order.lines.first().merchant, tracking_number="T", by=None
    )
    client.force_login(user)

    # the session with its user, order (shipping method), lines (merchant), fulfilments (merchant),
    # transitions (by), refunds
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/orders/{order.number}")

    assert len(response.json()["lines"]) == lines


@pytest.mark.parametrize("orders", [1, 20])
def test_order_list_queries_do_not_grow_with_orders(
    client, django_assert_num_queries, standard, orders
):
    user = UserFactory()
    for _ in range(orders):
        order_place(cart_new(lines=2), method=standard, customer=user)
    client.force_login(user)

    # the session with its user, count, orders, their lines and fulfilments (the selector's
    # prefetches)
    with django_assert_num_queries(5):
        response = client.get("/api/v1/orders")

    assert len(response.json()["results"]) == orders
