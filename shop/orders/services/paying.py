"""Paying an order: charging it, 3-D Secure, applying a succeeded payment, returning one the
order cannot take."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from shop.cart.models import Cart
from shop.cart.services import cart_items_remove, discount_use
from shop.catalog.services import (
    product_units_sold_add,
    variant_stock_take,
)
from shop.core.errors import DomainError
from shop.orders import outbox
from shop.orders.errors import OrderError
from shop.orders.models import (
    Order,
)
from shop.orders.selectors import order_payable_problem
from shop.orders.services.transitions import (
    _cart_lock,
    _order_lock,
    _order_quantities,
    _order_transition,
)
from shop.payments import services as payment_services
from shop.payments.models import Payment
from shop.payments.selectors import (
    payment_get,
    payment_latest_for_reference,
    payment_list_unsettled,
)

logger = logging.getLogger(__name__)
Status = Order.Status
ORDER_REFERENCE_PREFIX = "order:"
# The reconciliation leaves a payment this long to its own payment.succeeded delivery.
RECONCILE_AFTER = timedelta(minutes=5)


# --- paying -----------------------------------------------------------------------------------


def _payable_check(order: Order, *, now=None) -> None:
    """Raise ORDER_NOT_PAYABLE unless `order` (locked) waits for a payment and has not expired."""
    problem = order_payable_problem(order=order, now=now)
    if problem is not None:
        raise problem


def order_pay(*, order: Order, payment_method: str) -> Payment:
    """Charge the order's total with `payment_method` (a new attempt each call).

    Attempt n is sent with the idempotency key "order:<number>:attempt:<n>". The cart and
    order rows stay locked until the gateway has answered, so a second click waits and then
    finds the order paid instead of charging again; and if anything after the charge rolls
    back, the attempt counter rolls back too and a retry re-sends the same key, which the
    gateway (and payment_start) answer without charging twice.

    A decline returns the FAILED payment (its error_message says why) and leaves the cart
    and the order as they were, ready for another attempt. Raises ORDER_NOT_PAYABLE.
    """
    with transaction.atomic():
        _cart_lock(token=order.cart_token)
        _order_lock(order)
        _payable_check(order)
        # Under the row lock: the F() update and the value read with the lock agree.
        attempt = order.payment_attempts + 1
        Order.objects.filter(pk=order.pk).update(payment_attempts=F("payment_attempts") + 1)
        order.payment_attempts = attempt
        payment = payment_services.payment_start(
            reference=order.payment_reference,
            amount=order.total,
            currency=order.currency,
            idempotency_key=f"{order.payment_reference}:attempt:{attempt}",
            payment_method=payment_method,
        )
        if payment.status == Payment.Status.SUCCEEDED:
            order_mark_paid(order=order, payment=payment)
    return payment


def order_payment_action_confirm(*, order: Order) -> Payment:
    """Finish the payment that waited for the card holder's confirmation (3-D Secure).

    Raises NO_PAYMENT_TO_CONFIRM, ORDER_NOT_PAYABLE (cancelled by someone meanwhile).
    """
    with transaction.atomic():
        _cart_lock(token=order.cart_token)
        _order_lock(order)
        payment = payment_latest_for_reference(reference=order.payment_reference)
        if payment is not None and payment.status == Payment.Status.SUCCEEDED:
            order_mark_paid(order=order, payment=payment)  # a no-op when already applied
            return payment
        if payment is None or payment.status != Payment.Status.REQUIRES_ACTION:
            raise DomainError(
                "There is no payment waiting for your confirmation.",
                code=OrderError.NO_PAYMENT_TO_CONFIRM,
                field="payment",
            )
        # An order that expired meanwhile may still be paid (order_mark_paid takes its stock
        # again); one a person cancelled may not.
        if order.status != Status.PENDING_PAYMENT and not _order_expired(order):
            _payable_check(order)
        payment = payment_services.payment_action_confirm(payment=payment)
        if payment.status == Payment.Status.SUCCEEDED:
            order_mark_paid(order=order, payment=payment)
    return payment


def order_payment_intent_open(*, order: Order) -> Payment:
    """Return the order's payment attempt that the client confirms itself, opening one if
    none is open: the client_secret for Stripe.js or a mobile app's Stripe SDK.

    An attempt still open (waiting for a card or the card holder, same gateway and amount)
    is returned again, so asking twice makes one PaymentIntent; otherwise attempt n is
    opened with the key "order:<number>:attempt:<n>" as order_pay does. The order is paid
    when the return step (order_payment_refresh) or the webhook learns the payment
    succeeded. Raises ORDER_NOT_PAYABLE, CLIENT_CONFIRMATION_UNSUPPORTED (the fake gateway)
    and GATEWAY_UNAVAILABLE.
    """
    with transaction.atomic():
        _cart_lock(token=order.cart_token)
        _order_lock(order)
        _payable_check(order)
        latest = payment_latest_for_reference(reference=order.payment_reference)
        if latest is not None and _payment_open_for_client(latest, order=order):
            return latest
        attempt = order.payment_attempts + 1
        Order.objects.filter(pk=order.pk).update(payment_attempts=F("payment_attempts") + 1)
        order.payment_attempts = attempt
        return payment_services.payment_intent_create(
            reference=order.payment_reference,
            amount=order.total,
            currency=order.currency,
            idempotency_key=f"{order.payment_reference}:attempt:{attempt}",
        )


def _payment_open_for_client(payment: Payment, *, order: Order) -> bool:
    return (
        payment.status in (Payment.Status.REQUIRES_PAYMENT_METHOD, Payment.Status.REQUIRES_ACTION)
        and bool(payment.gateway_payment_id and payment.client_secret)
        and payment.gateway == settings.PAYMENT_GATEWAY
        and (payment.amount, payment.currency) == (order.total, order.currency)
    )


def order_payment_refresh(*, order: Order) -> Payment:
    """Learn from the gateway where the order's latest payment attempt stands and apply it.

    The return step after the client confirmed the payment itself (Stripe.js with 3-D
    Secure, a mobile SDK). A payment that succeeded pays the order through order_mark_paid,
    once whichever of this step and the webhook comes first (an order closed meanwhile gets
    the money back); any other status is returned for the caller to show. Raises
    NO_PAYMENT_TO_CONFIRM (no attempt yet) and GATEWAY_UNAVAILABLE.
    """
    with transaction.atomic():
        _cart_lock(token=order.cart_token)
        _order_lock(order)
        payment = payment_latest_for_reference(reference=order.payment_reference)
        if payment is None:
            raise DomainError(
                "There is no payment for this order yet.",
                code=OrderError.NO_PAYMENT_TO_CONFIRM,
                field="payment",
            )
        payment = payment_services.payment_refresh(payment=payment)
        if payment.status == Payment.Status.SUCCEEDED:
            order_mark_paid(order=order, payment=payment)  # a no-op when already applied
    return payment


def _order_expired(order: Order) -> bool:
    return order.status == Status.CANCELLED and order.expired_at is not None


def _units_sold_add(order: Order) -> None:
    """Count the order's units in its products' units_sold (shop.catalog owns the counter)."""
    rows = (
        order.lines.filter(variant__isnull=False)
        .values("variant__product_id")
        .annotate(units=Sum("quantity"))
    )
    product_units_sold_add(units={row["variant__product_id"]: row["units"] for row in rows})


@transaction.atomic
def order_mark_paid(*, order: Order, payment: Payment) -> Order:
    """Record that `payment` (SUCCEEDED, for this order) paid the order.

    Idempotent: the same payment again (the synchronous path, then its webhook) changes
    nothing. On the first time: PAID, what the order bought leaves the cart it came from
    (what was added since stays), units sold are counted, and the "paid" email and the
    order.paid event go to the outbox.

    A payment that arrives when the order can no longer take it is given back in full:
    the order was paid already by another payment (a second attempt and a late 3-D Secure
    both succeeded) or was cancelled by a person. One that arrives after the order merely
    expired (the shopper took too long at their bank) is honoured if every unit can still
    be taken from stock, since the shopper did pay and the items are there; if some sold
    out meanwhile we cannot deliver, so the money goes back and the order stays cancelled.
    """
    cart = _cart_lock(token=order.cart_token)
    _order_lock(order)
    if payment.reference != order.payment_reference or payment.status != Payment.Status.SUCCEEDED:
        raise DomainError(
            "This payment did not pay this order.", code=OrderError.ORDER_NOT_PAYABLE, field="order"
        )
    if order.payment_id == payment.pk:
        return order
    if order.status == Status.PENDING_PAYMENT:
        return _order_paid_apply(order, payment=payment, cart=cart, note="Paid.")
    if _order_expired(order) and order.payment_id is None:
        try:
            with transaction.atomic():
                if order.stock_released:
                    variant_stock_take(quantities=_order_quantities(order))
        except DomainError:
            _payment_return(order, payment=payment, reason="Paid after it expired; sold out.")
            return order
        return _order_paid_apply(
            order,
            payment=payment,
            cart=cart,
            note="Paid after it expired; the items were still in stock.",
            stock_released=False,
            discount_counted=_discount_use_again(order),
        )
    _payment_return(order, payment=payment, reason=f"Order {order.number} was already closed.")
    return order


@transaction.atomic
def order_mark_paid_by_funds(*, order: Order, note: str) -> Order:
    """Record that money collected outside this order's own payments paid all of it: PAID with
    no payment, as an order with nothing left to charge is (the total == 0 path of
    order_place). For a caller that took the money itself through shop.payments (a gift pool
    whose contributions were each paid by card) and answers for giving it back: cancelling
    or refunding such an order calls no gateway (services.refunds), and its order.cancelled /
    order.refunded event tells that caller. NOTE goes into the order's history.

    Idempotent: an order already paid this way is returned as it is. Raises
    ORDER_NOT_PAYABLE (not waiting for payment, expired, or paid by a card).
    """
    cart = _cart_lock(token=order.cart_token)
    _order_lock(order)
    if order.status == Status.PAID and order.payment_id is None:
        return order
    _payable_check(order)
    return _order_paid_apply(order, payment=None, cart=cart, note=note[:300])


def _discount_use_again(order: Order) -> bool:
    """Count the revived order's use of its code again, if the code has a use left.

    The shopper paid the discounted price already, so the order is honoured either way; a
    code used up meanwhile simply does not count this order (its limit is never exceeded).
    """
    if order.discount_id is None or order.discount_counted:
        return order.discount_counted
    try:
        with transaction.atomic():
            discount_use(discount=order.discount)
    except DomainError:
        return False
    return True


def _order_paid_apply(
    order: Order, *, payment: Payment | None, cart: Cart | None, note: str, **fields
):
    _order_transition(
        order, Status.PAID, by=None, note=note, payment=payment, paid_at=timezone.now(), **fields
    )
    if cart is not None:
        cart_items_remove(
            cart=cart, quantities=_order_quantities(order), discount_id=order.discount_id
        )
    _units_sold_add(order)
    outbox.order_event_record(topic="order.paid", order=order)
    outbox.order_email_record(email="paid", order_id=order.pk)
    return order


def _payment_return(order: Order, *, payment: Payment, reason: str) -> None:
    """Refund the whole of a payment the order cannot take, and tell the shopper."""
    left = payment.amount - payment.amount_refunded
    if left <= 0:
        return
    logger.warning("Returning payment %s for order %s: %s", payment.pk, order.number, reason)
    payment_services.payment_refund(
        payment=payment,
        amount=left,
        idempotency_key=f"payment:{payment.pk}:return",
        reason=reason[:200],
    )
    outbox.order_email_record(email="payment_returned", order_id=order.pk, payment_id=payment.pk)


def order_payment_succeeded(*, payment_id: int, reference: str) -> None:
    """Apply a payment that reached SUCCEEDED (receiver of payments.events.payment_succeeded,
    whichever path got there: the checkout, 3-D Secure, or a webhook first or again).

    A payment the order already took (the checkout applies its own payment in its
    transaction, before this event is delivered) is not applied a second time.
    """
    if not reference.startswith(ORDER_REFERENCE_PREFIX):
        return  # not an order's payment (e.g. a gift pool contribution)
    order = Order.objects.filter(number=reference.removeprefix(ORDER_REFERENCE_PREFIX)).first()
    if order is not None and order.payment_id == payment_id:
        return
    payment = payment_get(payment_id=payment_id)
    if order is None or payment is None or payment.status != Payment.Status.SUCCEEDED:
        logger.warning("Payment %s (%s) matches no payable order", payment_id, reference)
        return
    order_mark_paid(order=order, payment=payment)


def order_payments_reconcile(*, now=None) -> int:
    """Settle the succeeded payments of orders that neither took them nor gave them back.

    The payment.succeeded outbox row normally gets there first; this catches what it
    cannot: a payment older than the outbox, a row delivered against a bug since fixed.
    Each payment is applied as its event would be (order_mark_paid): the order is marked
    paid, or the payment is refunded when the order can no longer take it (cancelled by a
    person, paid by another payment, sold out after it expired). Payments younger than
    RECONCILE_AFTER are left to their own delivery. Each in its own transaction; one that
    fails (the gateway down for the refund) is logged and tried on the next run. Returns
    how many were handled.
    """
    now = now or timezone.now()
    unsettled = payment_list_unsettled(
        reference_prefix=ORDER_REFERENCE_PREFIX,
        taken=Order.objects.filter(payment__isnull=False).values("payment_id"),
        before=now - RECONCILE_AFTER,
    )
    settled = 0
    for payment in unsettled:
        try:
            with transaction.atomic():
                order_payment_succeeded(payment_id=payment.pk, reference=payment.reference)
        except Exception:
            logger.exception("Payment %s (%s) not settled", payment.pk, payment.reference)
            continue
        settled += 1
    return settled
