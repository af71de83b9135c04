"""Unpaid orders expire and give their stock back once; a payment that arrives afterwards."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from shop.catalog.models import Variant
from shop.orders import services, tasks
from shop.orders.models import Order
from shop.orders.services.cancelling import PAYMENT_IN_FLIGHT_HOLD
from shop.payments import services as payment_services
from shop.payments.models import Payment
from tests.factories import DiscountCodeFactory
from tests.shop.orders.conftest import ACTION_CARD, cart_make, variant_make

pytestmark = pytest.mark.django_db


def _later(minutes: int = 31):
    return timezone.now() + timedelta(minutes=minutes)


def _past_the_hold():
    """Later than an in-flight payment holds its order: the card holder walked away."""
    return _later() + PAYMENT_IN_FLIGHT_HOLD


def test_an_unpaid_order_expires_and_its_stock_comes_back(place):
    lamp = variant_make(stock=5)
    order = place(cart_make((lamp, 2)))

    expired = services.order_expire_unpaid(now=_later())

    assert expired == 1
    order.refresh_from_db()
    lamp.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.expired_at is not None and order.stock_released
    assert lamp.stock == 5
    assert order.transitions.last().note == "Not paid within 30 minutes."


def test_expiring_twice_gives_the_stock_back_once(place):
    lamp = variant_make(stock=5)
    place(cart_make((lamp, 2)))

    first = services.order_expire_unpaid(now=_later())
    second = services.order_expire_unpaid(now=_later(32))

    lamp.refresh_from_db()
    assert (first, second) == (1, 0)
    assert lamp.stock == 5


def test_the_beat_task_expires_orders_and_can_run_twice(place, settings):
    settings.ORDER_PAYMENT_TIMEOUT_MINUTES = 0
    lamp = variant_make(stock=3)
    place(cart_make((lamp, 1)))

    assert tasks.orders_expire_unpaid.delay().get() == 1
    assert tasks.orders_expire_unpaid.delay().get() == 0

    assert Variant.objects.get(pk=lamp.pk).stock == 3


def test_orders_within_their_time_and_paid_ones_do_not_expire(place, paid_order):
    fresh = place(cart_make((variant_make(), 1)))
    paid = paid_order()

    assert services.order_expire_unpaid(now=timezone.now() + timedelta(minutes=5)) == 0
    assert services.order_expire_unpaid(now=_later()) == 1

    assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID
    assert Order.objects.get(pk=fresh.pk).status == Order.Status.CANCELLED


def test_a_cancelled_order_that_expires_later_does_not_give_the_stock_back_again(place):
    lamp = variant_make(stock=5)
    order = place(cart_make((lamp, 2)))
    services.order_cancel(order=order, by=None)

    services.order_expire_unpaid(now=_later())

    assert Variant.objects.get(pk=lamp.pk).stock == 5


def _expire_while_at_the_bank(place, lamp):
    """Place, start a payment that waits for 3-D Secure, let the order expire once the
    payment was left longer than the hold, then the card holder confirms at their bank."""
    order = place(cart_make((lamp, 1)))
    payment = services.order_pay(order=order, payment_method=ACTION_CARD)
    assert services.order_expire_unpaid(now=_past_the_hold()) == 1
    return order, payment


def test_a_payment_after_expiry_is_honoured_when_the_stock_is_still_there(place):
    lamp = variant_make(stock=3)
    order, payment = _expire_while_at_the_bank(place, lamp)
    assert Variant.objects.get(pk=lamp.pk).stock == 3

    payment = services.order_payment_action_confirm(order=order)

    order.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert order.status == Order.Status.PAID
    assert not order.stock_released
    assert Variant.objects.get(pk=lamp.pk).stock == 2
    assert order.transitions.last().from_status == "cancelled"


def test_a_payment_after_expiry_is_returned_when_the_item_sold_out(
    place, django_capture_on_commit_callbacks
):
    lamp = variant_make(stock=1)
    order, payment = _expire_while_at_the_bank(place, lamp)
    place(cart_make((lamp, 1)))  # someone else buys the last one

    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_services.payment_action_confirm(payment=payment)

    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.payment_id is None
    assert payment.amount_refunded == payment.amount
    assert Variant.objects.get(pk=lamp.pk).stock == 0
    returned = [m for m in mail.outbox if "returned" in m.subject]
    assert len(returned) == 1 and order.number in returned[0].body


def test_a_late_payment_for_an_order_the_shopper_cancelled_is_returned(place):
    lamp = variant_make(stock=3)
    order = place(cart_make((lamp, 1)))
    payment = services.order_pay(order=order, payment_method=ACTION_CARD)
    services.order_cancel(order=order, by=None)
    payment = payment_services.payment_action_confirm(payment=payment)

    services.order_payment_succeeded(payment_id=payment.pk, reference=payment.reference)

    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert payment.amount_refunded == payment.amount
    assert Variant.objects.get(pk=lamp.pk).stock == 3


def test_an_expired_order_gives_its_discount_use_back(place):
    code = DiscountCodeFactory(code="ONCE", usage_limit=1)
    place(cart_make((variant_make(), 1), discount=code))

    services.order_expire_unpaid(now=_later())
    services.order_expire_unpaid(now=_later())

    code.refresh_from_db()
    assert code.times_used == 0


def test_a_revived_order_counts_its_discount_use_again(place):
    code = DiscountCodeFactory(code="ONCE", usage_limit=1)
    lamp = variant_make(stock=3)
    order = place(cart_make((lamp, 1), discount=code))
    services.order_pay(order=order, payment_method=ACTION_CARD)
    services.order_expire_unpaid(now=_past_the_hold())

    services.order_payment_action_confirm(order=order)

    code.refresh_from_db()
    order.refresh_from_db()
    assert (order.status, order.discount_counted, code.times_used) == ("paid", True, 1)


def test_an_order_whose_payment_waits_for_3d_secure_does_not_expire(place):
    lamp = variant_make(stock=3)
    order = place(cart_make((lamp, 1)))
    services.order_pay(order=order, payment_method=ACTION_CARD)

    expired = services.order_expire_unpaid(now=_later())

    assert expired == 0
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT
    assert Variant.objects.get(pk=lamp.pk).stock == 2


@pytest.mark.parametrize(
    ("status", "gateway_id"),
    [
        (Payment.Status.PROCESSING, "fake_pi_1"),
        # Created at the gateway, confirmed in the browser (Stripe Elements) right now.
        (Payment.Status.REQUIRES_PAYMENT_METHOD, "fake_pi_1"),
        # Succeeded, its payment.succeeded event not yet applied to the order.
        (Payment.Status.SUCCEEDED, "fake_pi_1"),
    ],
)
def test_an_order_whose_payment_is_in_flight_or_succeeded_does_not_expire(
    place, status, gateway_id
):
    order = place(cart_make((variant_make(), 1)))
    Payment.objects.create(
        gateway="fake",
        gateway_payment_id=gateway_id,
        reference=order.payment_reference,
        idempotency_key=f"{order.payment_reference}:attempt:1",
        amount=order.total,
        currency=order.currency,
        status=status,
    )

    assert services.order_expire_unpaid(now=_later()) == 0
    assert services.order_expire_unpaid(now=_past_the_hold()) == (
        0 if status == Payment.Status.SUCCEEDED else 1
    )


def test_a_failed_or_returned_payment_does_not_hold_the_order(place):
    order = place(cart_make((variant_make(), 1)))
    for attempt, (status, refunded) in enumerate(
        [(Payment.Status.FAILED, 0), (Payment.Status.SUCCEEDED, order.total)], start=1
    ):
        Payment.objects.create(
            gateway="fake",
            gateway_payment_id=f"fake_pi_{attempt}",
            reference=order.payment_reference,
            idempotency_key=f"{order.payment_reference}:attempt:{attempt}",
            amount=order.total,
            amount_refunded=refunded,
            currency=order.currency,
            status=status,
        )

    assert services.order_expire_unpaid(now=_later()) == 1
