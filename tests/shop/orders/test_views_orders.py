"""The order pages (/orders/ and /orders/<number>/): who may see an order, the list, the
order's page, and their queries."""

import pytest
from django.utils import timezone

from shop.orders import selectors, services
from shop.orders.models import Order
from tests.factories import (
    AddressFactory,
    DiscountCodeFactory,
    ShippingMethodFactory,
    UserFactory,
    cart_new,
    guest_cart_use,
    order_place,
)
from tests.html import html, main_text
from tests.shop.orders.pages import card, details_post, guest_url, order_paid

pytestmark = pytest.mark.django_db


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
        # the session with its user and the header's badges, cart, lines (variant, product,
        # merchant), images, addresses, methods, categories (the header's menu; cached after the
        # first page)
        ("/checkout/", 7),
        # the session with its user and the header's badges, cart, lines (variant, product,
        # merchant), images, methods, categories
        ("/checkout/review/", 6),
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

    # the session with its user and the header's badges, order (shipping method), lines (merchant),
    # fulfilments (merchant), transitions (by), refunds, categories (the header's menu; cached after
    # the first page)
    with django_assert_num_queries(7):
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

    # the session with its user and the header's badges, count, orders, their lines and
    # fulfilments (the selector's prefetches), categories (the header's menu; cached after the
    # first page)
    with django_assert_num_queries(6):
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
