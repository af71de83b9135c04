"""An order's life through named transitions: shipping per merchant, delivery, cancelling,
refunds whole and partial, and the changes that are not allowed."""

import pytest
from django.core import mail

from shop.catalog.services import merchant_staff_add
from shop.core.errors import DomainError
from shop.orders import services
from shop.orders.errors import OrderError
from shop.orders.models import Fulfilment, Order, OrderRefund
from shop.payments.models import Payment
from tests.factories import (
    DiscountCodeFactory,
    MerchantFactory,
    UserFactory,
    cart_make,
    variant_make,
)

pytestmark = pytest.mark.django_db

Status = Order.Status


@pytest.fixture
def lamps():
    return MerchantFactory(name="Lamps")


@pytest.fixture
def mugs():
    return MerchantFactory(name="Mugs")


@pytest.fixture
def two_merchant_order(paid_order, lamps, mugs):
    """A paid order: one lamp at €25 from Lamps, two mugs at €12 from Mugs, €4.90 shipping."""
    lamp = variant_make(price=2500, merchant=lamps)
    mug = variant_make(price=1200, merchant=mugs)
    return paid_order(cart_make((lamp, 1), (mug, 2)))


@pytest.fixture
def operator():
    return UserFactory(is_staff=True, is_superuser=True)


def _staff_of(merchant):
    user = UserFactory()
    merchant_staff_add(merchant=merchant, user=user)
    return user


def _history(order: Order) -> list[tuple[str, str]]:
    return [(t.from_status, t.to_status) for t in order.transitions.order_by("id")]


def test_an_order_goes_from_paid_to_delivered_one_merchant_at_a_time(
    two_merchant_order, lamps, mugs, operator
):
    order = two_merchant_order

    services.order_fulfil(order=order, merchant=lamps, tracking_number="LMP1", by=_staff_of(lamps))
    assert order.status == Status.PARTIALLY_FULFILLED
    services.order_fulfil(
        order=order, merchant=mugs, tracking_number="MUG1", carrier="DHL", by=_staff_of(mugs)
    )
    assert order.status == Status.FULFILLED
    services.order_mark_delivered(order=order, by=operator)

    order.refresh_from_db()
    assert order.status == Status.DELIVERED
    assert _history(order) == [
        ("", "pending_payment"),
        ("pending_payment", "paid"),
        ("paid", "partially_fulfilled"),
        ("partially_fulfilled", "fulfilled"),
        ("fulfilled", "delivered"),
    ]
    assert order.transitions.last().by == operator
    assert {f.tracking_number for f in order.fulfilments.all()} == {"LMP1", "MUG1"}


def test_an_order_of_three_merchants_stays_partly_shipped_until_the_last_ships(
    paid_order, lamps, mugs
):
    rugs = MerchantFactory(name="Rugs")
    order = paid_order(
        cart_make(
            (variant_make(merchant=lamps), 1),
            (variant_make(merchant=mugs), 1),
            (variant_make(merchant=rugs), 1),
        )
    )

    services.order_fulfil(order=order, merchant=lamps, tracking_number="L1", by=None)
    services.order_fulfil(order=order, merchant=mugs, tracking_number="M1", by=None)
    assert order.status == Status.PARTIALLY_FULFILLED
    services.order_fulfil(order=order, merchant=rugs, tracking_number="R1", by=None)

    order.refresh_from_db()
    assert order.status == Status.FULFILLED
    assert order.fulfilments.count() == 3


def test_a_single_merchant_order_is_fulfilled_by_its_one_shipment(paid_order, lamps):
    order = paid_order(cart_make((variant_make(merchant=lamps), 1)))

    services.order_fulfil(order=order, merchant=lamps, tracking_number="T1", by=None)

    assert order.status == Status.FULFILLED


def test_a_merchant_ships_its_lines_once(two_merchant_order, lamps):
    services.order_fulfil(order=two_merchant_order, merchant=lamps, tracking_number="A", by=None)

    with pytest.raises(DomainError) as error:
        services.order_fulfil(
            order=two_merchant_order, merchant=lamps, tracking_number="B", by=None
        )

    assert error.value.code == OrderError.ALREADY_SHIPPED
    assert Fulfilment.objects.count() == 1


def test_staff_cannot_ship_another_merchants_lines(two_merchant_order, lamps, mugs):
    with pytest.raises(DomainError) as error:
        services.order_fulfil(
            order=two_merchant_order, merchant=mugs, tracking_number="X", by=_staff_of(lamps)
        )

    assert error.value.code == OrderError.NOT_YOUR_ORDER


def test_a_merchant_without_lines_in_the_order_cannot_ship_it(two_merchant_order):
    other = MerchantFactory()

    with pytest.raises(DomainError) as error:
        services.order_fulfil(
            order=two_merchant_order, merchant=other, tracking_number="X", by=None
        )

    assert error.value.code == OrderError.MERCHANT_NOT_IN_ORDER


def test_shipping_needs_a_tracking_number(two_merchant_order, lamps):
    with pytest.raises(DomainError) as error:
        services.order_fulfil(
            order=two_merchant_order, merchant=lamps, tracking_number=" ", by=None
        )

    assert (error.value.code, error.value.field) == (
        OrderError.TRACKING_NUMBER_REQUIRED,
        "tracking_number",
    )


def test_the_shipped_email_carries_the_tracking_number(
    two_merchant_order, lamps, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_fulfil(
            order=two_merchant_order,
            merchant=lamps,
            tracking_number="1Z999AA10123456784",
            carrier="UPS",
            by=None,
        )

    shipped = [m for m in mail.outbox if "on its way" in m.subject]
    assert len(shipped) == 1
    assert "1Z999AA10123456784" in shipped[0].body
    assert "Lamps shipped" in shipped[0].body


def test_an_unpaid_order_cannot_be_shipped(place, lamps):
    order = place(cart_make((variant_make(merchant=lamps), 1)))

    with pytest.raises(DomainError) as error:
        services.order_fulfil(order=order, merchant=lamps, tracking_number="T", by=None)

    assert error.value.code == OrderError.ILLEGAL_TRANSITION
    assert error.value.message == "An unpaid order cannot be shipped."
    assert not Fulfilment.objects.exists()


def test_a_shipped_order_cannot_be_cancelled(two_merchant_order, lamps, mugs):
    for merchant in (lamps, mugs):
        services.order_fulfil(
            order=two_merchant_order, merchant=merchant, tracking_number="T", by=None
        )

    with pytest.raises(DomainError) as error:
        services.order_cancel(order=two_merchant_order, by=None)

    assert error.value.code == OrderError.ILLEGAL_TRANSITION
    assert error.value.message == "A shipped order cannot be cancelled."


def test_a_paid_order_cannot_be_marked_delivered_before_it_ships(two_merchant_order):
    with pytest.raises(DomainError) as error:
        services.order_mark_delivered(order=two_merchant_order, by=None)

    assert error.value.code == OrderError.ILLEGAL_TRANSITION


def test_an_unpaid_order_cannot_be_refunded(place):
    order = place(cart_make((variant_make(), 1)))

    with pytest.raises(DomainError) as error:
        services.order_refund(order=order, amount=100, reason="", by=None)

    assert error.value.code == OrderError.ILLEGAL_TRANSITION


def test_cancelling_an_unpaid_order_puts_the_stock_back_once(place):
    lamp = variant_make(stock=5)
    order = place(cart_make((lamp, 2)))

    services.order_cancel(order=order, by=None, reason="Changed my mind")
    with pytest.raises(DomainError) as error:
        services.order_cancel(order=order, by=None)

    lamp.refresh_from_db()
    assert lamp.stock == 5
    assert error.value.code == OrderError.ILLEGAL_TRANSITION
    assert error.value.message == "A cancelled order cannot be cancelled."
    order.refresh_from_db()
    assert order.stock_released
    assert _history(order)[-1] == ("pending_payment", "cancelled")


def test_a_cancelled_order_cannot_be_paid(place):
    order = place(cart_make((variant_make(), 1)))
    services.order_cancel(order=order, by=None)

    with pytest.raises(DomainError) as error:
        services.order_pay(order=order, payment_method="4242 4242 4242 4242")

    assert error.value.code == OrderError.ORDER_NOT_PAYABLE


def test_cancelling_a_paid_order_refunds_it_all_and_puts_the_stock_back(
    paid_order, django_capture_on_commit_callbacks
):
    lamp = variant_make(stock=5, price=2500)
    order = paid_order(cart_make((lamp, 2)))

    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, by=None, reason="Out of gift wrap")

    order.refresh_from_db()
    lamp.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert order.amount_refunded == order.total
    assert lamp.stock == 5
    payment = Payment.objects.get(pk=order.payment_id)
    assert payment.amount_refunded == payment.amount
    assert any("refund" in m.subject.lower() for m in mail.outbox)


def test_a_partial_refund_keeps_the_status_and_counts_the_amount(two_merchant_order):
    order = two_merchant_order

    refund = services.order_refund(order=order, amount=500, reason="Chipped mug", by=None)

    order.refresh_from_db()
    assert order.status == Status.PAID
    assert order.amount_refunded == 500
    assert refund.payment_refund.amount == 500
    assert Payment.objects.get(pk=order.payment_id).amount_refunded == 500


def test_refunding_what_is_left_makes_the_order_refunded(two_merchant_order, operator):
    order = two_merchant_order
    services.order_refund(order=order, amount=1000, reason="", by=operator)

    services.order_refund(order=order, amount=order.total - 1000, reason="All of it", by=operator)

    order.refresh_from_db()
    assert order.status == Status.REFUNDED
    assert order.amount_refunded == order.total
    assert _history(order)[-1] == ("paid", "refunded")


def test_a_delivered_order_can_be_refunded(two_merchant_order, lamps, mugs):
    order = two_merchant_order
    for merchant in (lamps, mugs):
        services.order_fulfil(order=order, merchant=merchant, tracking_number="T", by=None)
    services.order_mark_delivered(order=order, by=None)

    services.order_refund(order=order, amount=order.total, reason="Returned", by=None)

    assert order.status == Status.REFUNDED


def test_a_refund_above_what_is_left_is_refused(two_merchant_order):
    order = two_merchant_order

    with pytest.raises(DomainError) as error:
        services.order_refund(order=order, amount=order.total + 1, reason="", by=None)

    assert (error.value.code, error.value.field) == (OrderError.REFUND_TOO_LARGE, "amount")
    assert not OrderRefund.objects.exists()


def test_staff_refund_at_most_their_own_lines(two_merchant_order, lamps):
    order = two_merchant_order
    alice = _staff_of(lamps)
    services.order_refund(order=order, amount=2000, reason="", by=alice, merchant=lamps)

    with pytest.raises(DomainError) as error:
        services.order_refund(order=order, amount=501, reason="", by=alice, merchant=lamps)

    assert error.value.code == OrderError.REFUND_TOO_LARGE
    assert "€5.00" in error.value.message
    services.order_refund(order=order, amount=500, reason="", by=alice, merchant=lamps)
    order.refresh_from_db()
    assert order.amount_refunded == 2500


def test_staff_cannot_refund_for_another_merchant(two_merchant_order, lamps, mugs):
    with pytest.raises(DomainError) as error:
        services.order_refund(
            order=two_merchant_order, amount=100, reason="", by=_staff_of(lamps), merchant=mugs
        )

    assert error.value.code == OrderError.NOT_YOUR_ORDER


def test_the_refunded_email_says_how_much(two_merchant_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_refund(order=two_merchant_order, amount=1250, reason="Late", by=None)

    refunded = [m for m in mail.outbox if "refund" in m.subject.lower()]
    assert len(refunded) == 1
    assert "€12.50" in refunded[0].body


def test_cancelling_gives_the_discount_use_back(place):
    code = DiscountCodeFactory(code="ONCE", usage_limit=1)
    order = place(cart_make((variant_make(), 1), discount=code))

    services.order_cancel(order=order, by=None)

    code.refresh_from_db()
    assert code.times_used == 0


@pytest.mark.parametrize("shipped_by", [["lamps"], ["lamps", "mugs"]])
def test_a_partly_or_wholly_shipped_order_can_be_refunded_in_full(
    two_merchant_order, lamps, mugs, shipped_by
):
    order = two_merchant_order
    merchants = {"lamps": lamps, "mugs": mugs}
    for name in shipped_by:
        services.order_fulfil(order=order, merchant=merchants[name], tracking_number="T", by=None)
    before = order.status

    services.order_refund(order=order, amount=order.total, reason="Lost parcel", by=None)

    assert _history(order)[-1] == (before, "refunded")
    assert before in (Status.PARTIALLY_FULFILLED, Status.FULFILLED)


def test_a_refunded_order_can_change_no_more(two_merchant_order, lamps):
    order = two_merchant_order
    services.order_refund(order=order, amount=order.total, reason="", by=None)

    with pytest.raises(DomainError) as error:
        services.order_fulfil(order=order, merchant=lamps, tracking_number="T", by=None)

    assert error.value.code == OrderError.ILLEGAL_TRANSITION
    assert error.value.message == "A refunded order cannot be shipped."


def test_a_shopper_cannot_cancel_an_order_once_it_is_paid(paid_order, lamps):
    order = paid_order(cart_make((variant_make(merchant=lamps), 1)))

    with pytest.raises(DomainError) as error:
        services.order_cancel_by_shopper(order=order, by=order.customer)

    order.refresh_from_db()
    assert error.value.code == OrderError.ILLEGAL_TRANSITION
    assert order.status == Status.PAID
    assert not OrderRefund.objects.exists()


def test_a_shopper_cancels_an_unpaid_order_and_its_stock_goes_back(place):
    variant = variant_make(stock=3)
    order = place(cart_make((variant, 2)))

    services.order_cancel_by_shopper(order=order, by=None)

    variant.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert variant.stock == 3
