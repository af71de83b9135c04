"""Paying an order with the fake gateway: success, decline and retry, 3-D Secure, webhooks,
and never charging twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from shop.catalog.models import Product
from shop.core import outbox
from shop.core.errors import DomainError
from shop.orders import services
from shop.orders.errors import OrderError
from shop.orders.models import Order, OrderTransition
from shop.orders.services import paying
from shop.payments import services as payment_services
from shop.payments.gateways.base import EVENT_PAYMENT_SUCCEEDED
from shop.payments.gateways.fake import fake_webhook_build
from shop.payments.models import FakeCharge, Payment
from tests.factories import CartLineFactory, DiscountCodeFactory
from tests.shop.orders.conftest import (
    ACTION_CARD,
    DECLINED_CARD,
    GOOD_CARD,
    cart_make,
    variant_make,
)

pytestmark = pytest.mark.django_db


def _paid_transitions(order: Order) -> int:
    return OrderTransition.objects.filter(order=order, to_status=Order.Status.PAID).count()


def _webhook_succeeded(payment: Payment, *, event_id: str = "evt_1"):
    body, headers = fake_webhook_build(
        event_type=EVENT_PAYMENT_SUCCEEDED, payment_id=payment.gateway_payment_id, event_id=event_id
    )
    return payment_services.webhook_receive(gateway="fake", body=body, headers=headers)


def test_a_good_card_pays_the_order_and_empties_the_cart(place):
    lamp = variant_make(stock=5)
    code = DiscountCodeFactory(code="TEN", value=10)
    cart = cart_make((lamp, 2), discount=code)
    order = place(cart)

    payment = services.order_pay(order=order, payment_method=GOOD_CARD)

    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.amount == order.total
    assert payment.idempotency_key == f"order:{order.number}:attempt:1"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payment_id == payment.pk and order.paid_at is not None
    cart.refresh_from_db()
    assert cart.lines.count() == 0
    assert cart.discount_code is None
    assert Product.objects.get(pk=lamp.product_id).units_sold == 2


def test_the_caller_sees_the_paid_order_on_the_instance_it_passed(place):
    order = place(cart_make((variant_make(), 1)))

    services.order_pay(order=order, payment_method=GOOD_CARD)

    assert order.status == Order.Status.PAID


def test_a_declined_card_leaves_cart_and_order_as_they_were(place):
    lamp = variant_make(stock=5)
    cart = cart_make((lamp, 1))
    order = place(cart)

    payment = services.order_pay(order=order, payment_method=DECLINED_CARD)

    assert payment.status == Payment.Status.FAILED
    assert payment.error_message == "Your card was declined."
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert cart.lines.count() == 1
    lamp.refresh_from_db()
    assert lamp.stock == 4  # still held for the order


def test_a_retry_after_a_decline_is_a_new_attempt_and_succeeds(place):
    cart = cart_make((variant_make(), 1))
    order = place(cart)
    services.order_pay(order=order, payment_method=DECLINED_CARD)

    payment = services.order_pay(order=order, payment_method=GOOD_CARD)

    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.idempotency_key == f"order:{order.number}:attempt:2"
    order.refresh_from_db()
    assert (order.status, order.payment_attempts) == (Order.Status.PAID, 2)
    assert cart.lines.count() == 0


def test_paying_a_paid_order_again_is_refused_and_charges_nothing(place):
    order = place(cart_make((variant_make(), 1)))
    services.order_pay(order=order, payment_method=GOOD_CARD)

    with pytest.raises(DomainError) as error:
        services.order_pay(order=order, payment_method=GOOD_CARD)

    assert error.value.code == OrderError.ORDER_NOT_PAYABLE
    assert FakeCharge.objects.count() == 1


def test_the_same_attempt_sent_twice_charges_once(place):
    order = place(cart_make((variant_make(), 1)))
    key = f"order:{order.number}:attempt:1"
    first = services.order_pay(order=order, payment_method=GOOD_CARD)

    again = payment_services.payment_start(
        reference=order.payment_reference,
        amount=order.total,
        currency=order.currency,
        idempotency_key=key,
        payment_method=GOOD_CARD,
    )

    assert again.pk == first.pk
    assert FakeCharge.objects.filter(idempotency_key=key).count() == 1
    assert Payment.objects.filter(reference=order.payment_reference).count() == 1


def test_an_attempt_whose_order_rolled_back_is_resent_with_the_same_key(place, monkeypatch):
    """A failure after the charge rolls back the attempt counter too: the retry uses the same
    key, so payment_start finds (or the gateway answers) the same charge."""
    order = place(cart_make((variant_make(), 1)))
    original = services.order_mark_paid

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(paying, "order_mark_paid", broken)
    with pytest.raises(RuntimeError):
        services.order_pay(order=order, payment_method=GOOD_CARD)
    monkeypatch.setattr(paying, "order_mark_paid", original)

    payment = services.order_pay(order=order, payment_method=GOOD_CARD)

    assert payment.idempotency_key == f"order:{order.number}:attempt:1"
    assert Payment.objects.filter(reference=order.payment_reference).count() == 1


def test_paying_an_expired_order_is_refused(place):
    order = place(cart_make((variant_make(), 1)))
    Order.objects.filter(pk=order.pk).update(expires_at=order.created_at)

    with pytest.raises(DomainError) as error:
        services.order_pay(order=order, payment_method=GOOD_CARD)

    assert error.value.code == OrderError.ORDER_NOT_PAYABLE
    assert "not paid in time" in error.value.message
    assert not Payment.objects.exists()


def test_a_card_that_asks_for_confirmation_pays_once_confirmed(place):
    cart = cart_make((variant_make(), 1))
    order = place(cart)

    waiting = services.order_pay(order=order, payment_method=ACTION_CARD)
    assert waiting.status == Payment.Status.REQUIRES_ACTION
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT

    payment = services.order_payment_action_confirm(order=order)

    assert payment.status == Payment.Status.SUCCEEDED
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert cart.lines.count() == 0


def test_confirming_without_a_payment_waiting_is_refused(place):
    order = place(cart_make((variant_make(), 1)))

    with pytest.raises(DomainError) as error:
        services.order_payment_action_confirm(order=order)

    assert error.value.code == OrderError.NO_PAYMENT_TO_CONFIRM


def test_a_webhook_before_the_confirmation_marks_the_order_paid_once(
    place, django_capture_on_commit_callbacks
):
    order = place(cart_make((variant_make(), 1)))
    waiting = services.order_pay(order=order, payment_method=ACTION_CARD)
    # The card holder confirmed at their bank; the gateway says so before our page does.
    FakeCharge.objects.filter(fake_id=waiting.gateway_payment_id).update(status="succeeded")

    with django_capture_on_commit_callbacks(execute=True):
        _webhook_succeeded(waiting, event_id="evt_first")
    with django_capture_on_commit_callbacks(execute=True):
        _webhook_succeeded(waiting, event_id="evt_first")  # replayed
        payment = services.order_payment_action_confirm(order=order)

    order.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert order.status == Order.Status.PAID
    assert _paid_transitions(order) == 1
    paid_emails = [message for message in mail.outbox if "Payment received" in message.subject]
    assert len(paid_emails) == 1


def test_a_webhook_after_the_checkout_paid_changes_nothing(
    place, django_capture_on_commit_callbacks
):
    lamp = variant_make()
    order = place(cart_make((lamp, 1)))
    with django_capture_on_commit_callbacks(execute=True):
        payment = services.order_pay(order=order, payment_method=GOOD_CARD)

    with django_capture_on_commit_callbacks(execute=True):
        _webhook_succeeded(payment, event_id="evt_late")
        _webhook_succeeded(payment, event_id="evt_late_duplicate")

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert _paid_transitions(order) == 1
    assert Product.objects.get(pk=lamp.product_id).units_sold == 1
    assert len([m for m in mail.outbox if "Payment received" in m.subject]) == 1


def test_the_payment_succeeded_receiver_marks_paid_exactly_once(place):
    order = place(cart_make((variant_make(), 1)))
    payment = services.order_pay(order=order, payment_method=ACTION_CARD)
    payment = payment_services.payment_action_confirm(payment=payment)  # the bank said yes

    services.order_payment_succeeded(payment_id=payment.pk, reference=payment.reference)
    services.order_payment_succeeded(payment_id=payment.pk, reference=payment.reference)

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert _paid_transitions(order) == 1


def test_a_second_successful_payment_for_a_paid_order_is_given_back(place):
    order = place(cart_make((variant_make(), 1)))
    late = services.order_pay(order=order, payment_method=ACTION_CARD)  # left at the bank
    services.order_pay(order=order, payment_method=GOOD_CARD)
    late = payment_services.payment_action_confirm(payment=late)  # ...and confirmed later

    services.order_payment_succeeded(payment_id=late.pk, reference=late.reference)

    late.refresh_from_db()
    assert late.amount_refunded == late.amount
    order.refresh_from_db()
    assert order.payment_id != late.pk
    assert order.status == Order.Status.PAID


def test_payments_of_other_things_are_ignored(place):
    order = place(cart_make((variant_make(), 1)))
    payment = payment_services.payment_start(
        reference="pool:abc",
        amount=500,
        currency="EUR",
        idempotency_key="pool:abc:1",
        payment_method=GOOD_CARD,
    )

    services.order_payment_succeeded(payment_id=payment.pk, reference=payment.reference)

    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_the_paid_email_goes_out_on_commit(place, django_capture_on_commit_callbacks):
    order = place(cart_make((variant_make(), 1)), email="ada@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        services.order_pay(order=order, payment_method=GOOD_CARD)

    paid = [message for message in mail.outbox if "Payment received" in message.subject]
    assert len(paid) == 1
    assert order.number in paid[0].body
    assert paid[0].to == ["ada@example.com"]


def test_paying_keeps_what_was_added_to_the_cart_after_the_order_was_placed(place):
    lamp, mug = variant_make(stock=9), variant_make(stock=9)
    cart = cart_make((lamp, 1))
    order = place(cart)
    # While the order waits for payment, the shopper keeps shopping in another tab.
    cart.lines.filter(variant=lamp).update(quantity=3)
    CartLineFactory(cart=cart, variant=mug, quantity=1)

    services.order_pay(order=order, payment_method=GOOD_CARD)

    left = dict(cart.lines.values_list("variant_id", "quantity"))
    assert left == {lamp.pk: 2, mug.pk: 1}


def test_a_card_that_succeeds_at_once_marks_the_order_paid_once(
    place, monkeypatch, django_capture_on_commit_callbacks
):
    order = place(cart_make((variant_make(), 1)))
    calls = []
    mark_paid = paying.order_mark_paid

    def counting(**kwargs):
        calls.append(kwargs["payment"].pk)
        return mark_paid(**kwargs)

    monkeypatch.setattr(paying, "order_mark_paid", counting)

    with django_capture_on_commit_callbacks(execute=True):
        payment = services.order_pay(order=order, payment_method=GOOD_CARD)

    # Once by the checkout; the payment.succeeded event that follows finds it applied.
    assert calls == [payment.pk]
    assert _paid_transitions(order) == 1


def test_a_failing_order_step_leaves_the_payment_to_be_applied_again(
    place, monkeypatch, django_capture_on_commit_callbacks
):
    order = place(cart_make((variant_make(), 1)))
    waiting = services.order_pay(order=order, payment_method=ACTION_CARD)
    FakeCharge.objects.filter(fake_id=waiting.gateway_payment_id).update(status="succeeded")

    def broken(**kwargs):
        raise OperationalError("deadlock detected")

    monkeypatch.setattr(paying, "order_mark_paid", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _webhook_succeeded(waiting)  # the webhook is acknowledged: its row commits
    monkeypatch.undo()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT

    with django_capture_on_commit_callbacks(execute=True):
        outbox.outbox_redeliver(now=timezone.now() + timedelta(minutes=1))

    order.refresh_from_db()
    assert (order.status, order.payment_id) == (Order.Status.PAID, waiting.pk)
    assert len([m for m in mail.outbox if "Payment received" in m.subject]) == 1
