"""Prices include VAT: one formula (shop.orders.vat), kept on the order when it is placed, and
shown on the review, the pay and order pages, the confirmation, the emails and the API."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from config.settings import _vat_rate_basis_points
from shop.orders import selectors, tasks
from shop.orders.models import Order
from shop.orders.vat import vat_included, vat_rate_label
from tests.factories import (
    ADDRESS,
    DiscountCodeFactory,
    UserFactory,
    cart_new,
    guest_cart_use,
    order_place,
)
from tests.html import html

pytestmark = pytest.mark.django_db


def guest_url(order) -> str:
    return f"/orders/{order.number}/?token={selectors.order_guest_token(order=order)}"


# --- the formula ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rate", "vat"),
    [
        (0, 2100, 0),
        (1, 2100, 0),  # 0.17 cent
        (121, 2100, 21),  # exactly 21
        (2490, 2100, 432),  # 432.15
        (4590, 2100, 797),  # 796.61
        (3, 2000, 1),  # 0.5 cent: half up (half-even would say 0)
        (15, 2000, 3),  # 2.5 cents: half up (half-even would say 2)
        (1000, 0, 0),  # no VAT
        (10_000_000_000_00, 2100, 1_735_537_190_08),  # 173,553,719,008.26: exact, no float
        (1000, 550, 52),  # 52.13 at 5.5%
    ],
)
def test_vat_included_in_an_amount_is_rounded_half_up_to_the_cent(amount, rate, vat):
    assert vat_included(amount=amount, rate=rate) == vat


@pytest.mark.parametrize("rate", [0, 1, 550, 700, 1000, 1900, 2000, 2100, 2500, 2700, 9999])
def test_vat_included_agrees_with_decimal_arithmetic_for_every_amount_up_to_50_euros(rate):
    for amount in range(0, 5001):
        exact = Decimal(amount) * rate / (10_000 + rate)
        assert vat_included(amount=amount, rate=rate) == int(
            exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        ), (amount, rate)


@pytest.mark.parametrize(("amount", "rate"), [(-1, 2100), (100, -1)])
def test_vat_of_a_negative_amount_or_rate_is_refused(amount, rate):
    with pytest.raises(ValueError):
        vat_included(amount=amount, rate=rate)


@pytest.mark.parametrize(
    ("rate", "label"),
    [(2100, "21%"), (550, "5.5%"), (2025, "20.25%"), (0, "0%"), (5, "0.05%"), (1000, "10%")],
)
def test_a_rate_is_labelled_as_people_write_it(rate, label):
    assert vat_rate_label(rate) == label


@pytest.mark.parametrize(
    ("text", "basis_points"),
    [("21", 2100), ("5.5", 550), (" 20.25 ", 2025), ("0", 0), ("99.99", 9999), ("7.0", 700)],
)
def test_the_vat_setting_is_read_in_percent_into_basis_points(text, basis_points):
    assert _vat_rate_basis_points(text) == basis_points


@pytest.mark.parametrize("text", ["", "abc", "21%", "21.005", "-1", "100", "1e1000", "NaN"])
def test_a_vat_setting_that_is_not_a_rate_stops_the_settings(text):
    with pytest.raises(ImproperlyConfigured, match="STORE_VAT_RATE"):
        _vat_rate_basis_points(text)


def test_checkout_totals_work_out_vat_on_the_total_after_discount_with_shipping(settings, express):
    settings.STORE_VAT_RATE_BASIS_POINTS = 2100
    discount = DiscountCodeFactory(kind="percent", value=10)

    totals = selectors.checkout_totals(subtotal=4000, discount=discount, shipping_method=express)

    assert (totals.total, totals.vat_rate, totals.vat_total) == (4590, 2100, 797)
    assert totals.vat_rate_label == "21%"


# --- kept on the order --------------------------------------------------------------------------


def test_placing_an_order_keeps_the_rate_and_the_vat_it_was_placed_with(settings, standard):
    settings.STORE_VAT_RATE_BASIS_POINTS = 2100
    order = order_place(cart_new(price=2000), method=standard)

    settings.STORE_VAT_RATE_BASIS_POINTS = 1900
    order.refresh_from_db()

    assert (order.total, order.vat_rate, order.vat_total) == (2490, 2100, 432)
    assert order.vat_rate_label == "21%"


def test_a_new_rate_applies_to_new_orders_not_to_one_placed_before(client, settings, standard):
    settings.STORE_VAT_RATE_BASIS_POINTS = 2100
    old = order_place(cart_new(price=2000), method=standard)
    settings.STORE_VAT_RATE_BASIS_POINTS = 1900
    new = order_place(cart_new(price=2000), method=standard)

    old_totals = html(client.get(guest_url(old))).one("dl", cls="totals").text
    new_totals = html(client.get(guest_url(new))).one("dl", cls="totals").text

    assert "Includes VAT (21%) €4.32" in old_totals
    assert "Includes VAT (19%) €3.98" in new_totals  # 2490 × 19/119 = 397.56


# --- shown ----------------------------------------------------------------------------------------


def details_post(client, *, method):
    data = {"email": "guest@example.com", **ADDRESS, "shipping_method": str(method.pk)}
    assert client.post("/checkout/", data).status_code == 302


def test_the_review_page_shows_the_vat_the_total_includes(client, settings, standard):
    settings.STORE_VAT_RATE_BASIS_POINTS = 2100
    guest_cart_use(client, cart_new(price=2000))
    details_post(client, method=standard)

    totals = html(client.get("/checkout/review/")).one("dl", cls="totals")

    assert "Total €24.90 Includes VAT (21%) €4.32" in totals.text
    assert totals.one("div", cls="totals__vat").text == "Includes VAT (21%) €4.32"


def test_the_checkout_page_says_prices_include_vat(client, settings, standard):
    settings.STORE_VAT_RATE_BASIS_POINTS = 550
    guest_cart_use(client, cart_new(price=2000))

    summary = html(client.get("/checkout/")).one("section", cls="order-summary").text

    assert "Prices include VAT (5.5%)" in summary


def test_the_pay_page_confirmation_and_order_page_show_the_vat_of_the_order(
    client, settings, standard
):
    settings.STORE_VAT_RATE_BASIS_POINTS = 2100
    user = UserFactory()
    order = order_place(cart_new(user=user, price=2000), method=standard, customer=user)
    client.force_login(user)
    pay_page = html(client.get(f"/orders/{order.number}/pay/"))
    client.post(
        f"/orders/{order.number}/pay/",
        {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123"},
    )

    confirmation = html(client.get(f"/orders/{order.number}/confirmation/"))
    detail = html(client.get(f"/orders/{order.number}/"))

    for page in (pay_page, confirmation, detail):
        assert page.one("div", cls="totals__vat").text == "Includes VAT (21%) €4.32"


def test_the_placed_and_paid_emails_show_the_vat_included(settings, standard):
    settings.STORE_VAT_RATE_BASIS_POINTS = 2100
    order = order_place(cart_new(price=2000), method=standard)

    tasks.order_placed_notify.delay(order_id=order.pk)
    tasks.order_paid_notify.delay(order_id=order.pk)

    placed, paid = mail.outbox
    assert "Total: €24.90\nIncludes VAT (21%): €4.32\n" in placed.body
    assert "<td>Includes VAT (21%)</td><td>€4.32</td>" in placed.alternatives[0][0]
    assert "payment of €24.90 (including €4.32 VAT at 21%)" in paid.body
    assert "(including €4.32 VAT at 21%)" in paid.alternatives[0][0]


def test_an_order_placed_before_vat_was_recorded_says_so_and_makes_up_no_amount(client, standard):
    user = UserFactory()
    order = order_place(cart_new(user=user, price=2000), method=standard, customer=user)
    Order.objects.filter(pk=order.pk).update(vat_rate=None, vat_total=None)  # as migrated
    client.force_login(user)

    page = html(client.get(f"/orders/{order.number}/"))
    body = client.get(f"/api/v1/orders/{order.number}").json()
    tasks.order_placed_notify.delay(order_id=order.pk)

    assert page.one("div", cls="totals__vat").text == "Includes VAT Not recorded"
    assert (body["vat_rate"], body["vat_total"]) == (None, None)
    assert "VAT" not in mail.outbox[0].body


def test_a_store_without_vat_shows_no_vat_line(client, settings, standard):
    settings.STORE_VAT_RATE_BASIS_POINTS = 0
    user = UserFactory()
    order = order_place(cart_new(user=user, price=2000), method=standard, customer=user)
    client.force_login(user)

    page = html(client.get(f"/orders/{order.number}/"))

    assert (order.vat_rate, order.vat_total) == (0, 0)
    assert page.all("div", cls="totals__vat") == []
    assert "VAT" not in page.one("main").text


def test_the_api_gives_the_vat_of_an_order_and_of_a_checkout_review(client, settings, standard):
    settings.STORE_VAT_RATE_BASIS_POINTS = 2100
    user = UserFactory()
    order = order_place(cart_new(user=user, price=2000), method=standard, customer=user)
    client.force_login(user)
    guest = Client()
    guest_cart_use(guest, cart_new(price=3000))

    detail = client.get(f"/api/v1/orders/{order.number}").json()
    review = guest.get(f"/api/v1/checkout?shipping_method={standard.pk}").json()

    assert (detail["total"], detail["vat_rate"], detail["vat_total"]) == (2490, 2100, 432)
    # €30.00 + €4.90 = €34.90, of which 605.70 cents are VAT
    assert (review["total"], review["vat_rate"], review["vat_total"]) == (3490, 2100, 606)
