"""Placing an order: totals from the variants, stock taken, discount used, one order per cart."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from shop.accounts.models import Address
from shop.cart.errors import CartError
from shop.catalog.errors import CatalogError
from shop.catalog.models import Variant
from shop.core.errors import DomainError
from shop.core.models import OutboxMessage
from shop.orders import selectors, services
from shop.orders.errors import OrderError
from shop.orders.models import Order, OrderTransition
from tests.factories import (
    AddressFactory,
    CartFactory,
    DiscountCodeFactory,
    MerchantFactory,
    ShippingMethodFactory,
    UserFactory,
)
from tests.shop.orders.conftest import address_input, cart_make, variant_make

pytestmark = pytest.mark.django_db


def test_order_totals_are_computed_from_the_variants_of_several_merchants(place, standard):
    lamp = variant_make(price=2500, stock=10, merchant=MerchantFactory(name="Lamps"))
    mug = variant_make(price=1200, stock=10, merchant=MerchantFactory(name="Mugs"))
    cart = cart_make((lamp, 2), (mug, 1))

    order = place(cart)

    assert order.status == Order.Status.PENDING_PAYMENT
    assert (order.subtotal, order.discount_total, order.shipping_total) == (6200, 0, 490)
    assert order.total == 6690
    lines = {line.sku: line for line in order.lines.all()}
    assert (lines[lamp.sku].unit_price, lines[lamp.sku].quantity) == (2500, 2)
    assert lines[lamp.sku].line_total == 5000
    assert {line.merchant.name for line in lines.values()} == {"Lamps", "Mugs"}
    assert order.shipping_method_name == standard.name
    assert (order.ship_full_name, order.ship_city, order.ship_country) == (
        "Ada Lovelace",
        "Paris",
        "FR",
    )


def test_prices_are_read_when_the_order_is_placed_not_when_the_item_was_added(place):
    lamp = variant_make(price=2500)
    cart = cart_make((lamp, 1))
    Variant.objects.filter(pk=lamp.pk).update(price=2700)

    order = place(cart)

    assert order.lines.get().unit_price == 2700
    assert order.subtotal == 2700


def test_placing_takes_the_stock_and_leaves_the_cart_as_it_was(place):
    lamp = variant_make(stock=5)
    cart = cart_make((lamp, 2))

    place(cart)

    lamp.refresh_from_db()
    assert lamp.stock == 3
    assert cart.lines.count() == 1


def test_placing_records_the_first_transition_and_an_expiry(place, settings):
    settings.ORDER_PAYMENT_TIMEOUT_MINUTES = 30
    before = timezone.now()

    order = place(cart_make((variant_make(), 1)))

    transition = OrderTransition.objects.get(order=order)
    assert (transition.from_status, transition.to_status) == ("", "pending_payment")
    assert (
        before + timedelta(minutes=29) < order.expires_at <= timezone.now() + timedelta(minutes=30)
    )


def test_order_number_is_not_guessable(place):
    first = place(cart_make((variant_make(), 1)))
    second = place(cart_make((variant_make(), 1)))

    assert first.number.startswith("AG-") and len(first.number) == 13
    assert first.number != second.number


def test_a_percentage_discount_is_taken_off_and_counted_once(place):
    code = DiscountCodeFactory(code="SPRING", kind="percent", value=10, usage_limit=5)
    cart = cart_make((variant_make(price=2500), 2), discount=code)

    order = place(cart)

    assert (order.subtotal, order.discount_total, order.total) == (5000, 500, 4990)
    assert order.discount_code == "SPRING"
    code.refresh_from_db()
    assert code.times_used == 1


def test_a_used_up_discount_code_refuses_the_order_and_takes_nothing(place):
    code = DiscountCodeFactory(code="ONCE", usage_limit=1)
    code.times_used = 1
    code.save()
    lamp = variant_make(stock=5)
    cart = cart_make((lamp, 1), discount=code)

    with pytest.raises(DomainError) as error:
        place(cart)

    assert error.value.code == CartError.DISCOUNT_EXHAUSTED
    assert error.value.field == "code"
    lamp.refresh_from_db()
    assert lamp.stock == 5
    assert not Order.objects.exists()


def test_buyer_of_more_than_is_left_is_told_and_nothing_is_taken(place):
    plenty = variant_make(stock=10)
    scarce = variant_make(stock=1, title="Last lamp")
    cart = cart_make((plenty, 2), (scarce, 2))

    with pytest.raises(DomainError) as error:
        place(cart)

    assert error.value.code == CatalogError.OUT_OF_STOCK
    assert "Last lamp" in error.value.message
    plenty.refresh_from_db()
    assert plenty.stock == 10  # all or nothing
    assert not Order.objects.exists()


def test_second_buyer_of_last_unit_is_told_sold_out(place):
    lamp = variant_make(stock=1)
    place(cart_make((lamp, 1)))

    with pytest.raises(DomainError) as error:
        place(cart_make((lamp, 1)))

    assert error.value.code == CatalogError.OUT_OF_STOCK
    assert "sold out" in error.value.message


def test_an_empty_cart_cannot_be_ordered(place):
    with pytest.raises(DomainError) as error:
        place(CartFactory())

    assert error.value.code == OrderError.EMPTY_CART


def test_an_inactive_shipping_method_is_refused(place):
    closed = ShippingMethodFactory(code="closed", name="Closed", price=100, is_active=False)

    with pytest.raises(DomainError) as error:
        place(cart_make((variant_make(), 1)), shipping_method_id=closed.pk)

    assert error.value.code == OrderError.INVALID_SHIPPING_METHOD
    assert error.value.field == "shipping_method"


def test_the_shipping_methods_price_is_added(place):
    express = ShippingMethodFactory(code="express", name="Express delivery", price=990)

    order = place(cart_make((variant_make(price=1000), 1)), shipping_method_id=express.pk)

    assert (order.shipping_total, order.total) == (990, 1990)
    assert order.shipping_method_name == "Express delivery"


def test_an_unpublished_product_cannot_be_ordered(place):
    hidden = variant_make(is_published=False)

    with pytest.raises(DomainError) as error:
        place(cart_make((hidden, 1)))

    assert error.value.code == OrderError.ITEM_UNAVAILABLE


def test_an_incomplete_address_is_refused(place):
    with pytest.raises(DomainError) as error:
        place(cart_make((variant_make(), 1)), address=address_input(city=" "))

    assert (error.value.code, error.value.field) == (OrderError.INVALID_ADDRESS, "city")


def test_placing_again_from_the_same_cart_cancels_the_older_unpaid_order(place):
    lamp = variant_make(stock=5)
    cart = cart_make((lamp, 2))
    first = place(cart)

    second = place(cart)

    first.refresh_from_db()
    lamp.refresh_from_db()
    assert first.status == Order.Status.CANCELLED
    assert first.stock_released
    assert lamp.stock == 3  # the first order's two went back, the second's two are out
    assert second.status == Order.Status.PENDING_PAYMENT
    note = first.transitions.get(to_status="cancelled").note
    assert second.number in note


def test_the_older_orders_units_count_for_the_newer_one_of_the_same_cart(place):
    last = variant_make(stock=1)
    cart = cart_make((last, 1))
    place(cart)

    again = place(cart)  # only possible because the first order's unit comes back

    assert again.lines.get().quantity == 1


def test_save_address_keeps_it_as_the_default_for_a_shopper_without_one(place):
    shopper = UserFactory()

    place(cart_make((variant_make(), 1), user=shopper), customer=shopper, save_address=True)

    address = Address.objects.get(user=shopper)
    assert address.is_default
    assert (address.line1, address.city) == ("12 Rue des Lilas", "Paris")


def test_save_address_adds_a_new_one_beside_the_default(place):
    shopper = UserFactory()
    AddressFactory(user=shopper, is_default=True, line1="1 Old Road")

    place(
        cart_make((variant_make(), 1), user=shopper),
        customer=shopper,
        save_address=True,
    )

    assert Address.objects.filter(user=shopper).count() == 2
    assert Address.objects.get(user=shopper, is_default=True).line1 == "1 Old Road"


def test_the_placed_email_goes_out_after_the_commit_with_the_guest_link(
    place, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(cart_make((variant_make(), 1)), email="guest@example.com")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["guest@example.com"]
    assert order.number in message.subject
    token = selectors.order_guest_token(order=order)
    assert f"https://shop.example/orders/{order.number}/?token={token}" in message.body
    assert OutboxMessage.objects.get(topic="order.placed").sent_at is not None


def test_an_order_that_fails_sends_no_email(place, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        place(cart_make((variant_make(stock=0), 1)))

    assert mail.outbox == []


def test_re_placing_an_order_with_a_single_use_code_keeps_the_code(place):
    code = DiscountCodeFactory(code="ONCE", kind="fixed", value=500, usage_limit=1)
    cart = cart_make((variant_make(price=2500), 1), discount=code)
    first = place(cart)

    second = place(cart)  # back from the payment page, placed again

    assert second.discount_total == 500
    code.refresh_from_db()
    assert code.times_used == 1
    first.refresh_from_db()
    assert not first.discount_counted and second.discount_counted


def test_an_order_with_nothing_to_pay_is_paid_as_it_is_placed_and_empties_the_cart():
    pickup = ShippingMethodFactory(code="pickup", name="Pickup", price=0)
    free = DiscountCodeFactory(code="FREE", kind="percent", value=100)
    cart = cart_make((variant_make(price=2500, stock=3), 1), discount=free)

    order = services.order_place(
        cart=cart,
        customer=None,
        email="ada@example.com",
        address=address_input(),
        shipping_method_id=pickup.pk,
    )

    assert (order.total, order.status, order.payment_id) == (0, Order.Status.PAID, None)
    assert Variant.objects.get().stock == 2
    assert not cart.lines.exists()
