"""order_payments_reconcile: a succeeded payment no order took nor gave back is settled."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.catalog.models import Variant
from shop.orders import services, tasks
from shop.orders.models import Order
from shop.orders.services.cancelling import PAYMENT_IN_FLIGHT_HOLD
from shop.payments import services as payment_services
from shop.payments.models import Payment
from tests.shop.orders.conftest import ACTION_CARD, GOOD_CARD, cart_make, variant_make

pytestmark = pytest.mark.django_db


def _later():
    return timezone.now() + timedelta(minutes=10)


def _confirmed_at_the_bank(payment: Payment) -> Payment:
    """The card holder confirmed; the payment succeeded, and (no on-commit work runs here)
    its payment.succeeded event never reached the order, as if that step had failed."""
    return payment_services.payment_action_confirm(payment=payment)


def test_a_payment_that_never_reached_its_order_marks_it_paid(place):
    order = place(cart_make((variant_make(), 1)))
    payment = _confirmed_at_the_bank(services.order_pay(order=order, payment_method=ACTION_CARD))
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT

    settled = services.order_payments_reconcile(now=_later())
    again = services.order_payments_reconcile(now=_later())

    order.refresh_from_db()
    assert (settled, again) == (1, 0)
    assert (order.status, order.payment_id) == (Order.Status.PAID, payment.pk)


def test_a_payment_for_an_order_a_person_cancelled_is_refunded(place):
    lamp = variant_make(stock=3)
    order = place(cart_make((lamp, 1)))
    waiting = services.order_pay(order=order, payment_method=ACTION_CARD)
    services.order_cancel(order=order, by=None)
    payment = _confirmed_at_the_bank(waiting)

    assert services.order_payments_reconcile(now=_later()) == 1

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.amount_refunded == payment.amount
    assert (order.status, order.payment_id) == (Order.Status.CANCELLED, None)
    assert Variant.objects.get(pk=lamp.pk).stock == 3


def test_a_second_payment_for_an_order_paid_by_another_is_refunded(place):
    order = place(cart_make((variant_make(), 1)))
    waiting = services.order_pay(order=order, payment_method=ACTION_CARD)
    first = services.order_pay(order=order, payment_method=GOOD_CARD)
    second = _confirmed_at_the_bank(waiting)

    assert services.order_payments_reconcile(now=_later()) == 1

    second.refresh_from_db()
    order.refresh_from_db()
    assert second.amount_refunded == second.amount
    assert (order.status, order.payment_id) == (Order.Status.PAID, first.pk)


def test_a_payment_after_expiry_is_refunded_when_the_item_sold_out(place):
    lamp = variant_make(stock=1)
    order = place(cart_make((lamp, 1)))
    waiting = services.order_pay(order=order, payment_method=ACTION_CARD)
    services.order_expire_unpaid(now=_later() + PAYMENT_IN_FLIGHT_HOLD)
    place(cart_make((lamp, 1)))  # someone else buys the last one
    payment = _confirmed_at_the_bank(waiting)

    assert services.order_payments_reconcile(now=_later()) == 1

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.amount_refunded == payment.amount
    assert order.status == Order.Status.CANCELLED


def test_a_payment_after_expiry_revives_the_order_while_the_stock_is_there(place):
    lamp = variant_make(stock=3)
    order = place(cart_make((lamp, 1)))
    waiting = services.order_pay(order=order, payment_method=ACTION_CARD)
    services.order_expire_unpaid(now=_later() + PAYMENT_IN_FLIGHT_HOLD)
    payment = _confirmed_at_the_bank(waiting)

    assert services.order_payments_reconcile(now=_later()) == 1

    order.refresh_from_db()
    assert (order.status, order.payment_id) == (Order.Status.PAID, payment.pk)
    assert Variant.objects.get(pk=lamp.pk).stock == 2


def test_a_recent_payment_is_left_to_its_own_delivery(place):
    order = place(cart_make((variant_make(), 1)))
    _confirmed_at_the_bank(services.order_pay(order=order, payment_method=ACTION_CARD))

    assert services.order_payments_reconcile(now=timezone.now()) == 0
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_applied_refunded_and_other_payments_are_left_alone(place, paid_order):
    paid_order()
    payment_services.payment_start(
        reference="pool:abc",
        amount=500,
        currency="EUR",
        idempotency_key="pool:abc:1",
        payment_method=GOOD_CARD,
    )

    assert services.order_payments_reconcile(now=_later()) == 0


def test_the_beat_task_reconciles(place, settings):
    order = place(cart_make((variant_make(), 1)))
    payment = _confirmed_at_the_bank(services.order_pay(order=order, payment_method=ACTION_CARD))
    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - timedelta(hours=1))

    assert tasks.orders_payments_reconcile.delay().get() == 1
    assert "orders.tasks.orders_payments_reconcile" in str(settings.CELERY_BEAT_SCHEDULE)
