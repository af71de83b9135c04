"""Refunds of a paid order, whole or partial, through its payment."""

from django.db import transaction
from django.db.models import F

from shop.catalog.models import Merchant
from shop.core.errors import DomainError
from shop.core.money import money_format
from shop.orders import outbox
from shop.orders.errors import OrderError
from shop.orders.models import (
    Order,
    OrderRefund,
)
from shop.orders.selectors import order_refundable_amount
from shop.orders.services.transitions import (
    _actor,
    _merchant_access_check,
    _order_lock,
    _order_transition,
    _transition_check,
)
from shop.payments import services as payment_services

Status = Order.Status


# --- refunds ----------------------------------------------------------------------------------


@transaction.atomic
def order_refund(
    *, order: Order, amount: int, reason: str, by, merchant: Merchant | None = None
) -> OrderRefund:
    """Give back `amount` (minor units) of a paid order, through its payment.

    The whole remainder makes the order REFUNDED; less keeps its status and adds to
    amount_refunded. Merchant staff refund for their merchant (`merchant`, required for
    them) and at most the value of its lines not yet refunded; operators anything left.
    Stock is not touched: cancelling (before shipping) is what puts items back.
    Raises INVALID_AMOUNT, REFUND_TOO_LARGE (field "amount"), NOT_YOUR_ORDER,
    ILLEGAL_TRANSITION (not paid, cancelled, refunded) and payments' NOT_REFUNDABLE.
    """
    by = _actor(by)
    if not isinstance(amount, int) or amount <= 0:
        raise DomainError(
            "Enter an amount above zero.", code=OrderError.INVALID_AMOUNT, field="amount"
        )
    if merchant is not None:
        _merchant_access_check(merchant=merchant, by=by)
    elif by is not None and not by.is_superuser:
        raise DomainError(
            "Merchant staff refund their own merchant's lines.",
            code=OrderError.NOT_YOUR_ORDER,
            field="merchant",
        )
    _order_lock(order)
    _transition_check(order, Status.REFUNDED)
    limit = order_refundable_amount(order=order, merchant=merchant)
    if amount > limit:
        raise DomainError(
            f"At most {money_format(limit, currency=order.currency)} can be refunded.",
            code=OrderError.REFUND_TOO_LARGE,
            field="amount",
        )
    return _order_refund_create(order, amount=amount, reason=reason, by=by, merchant=merchant)


def _order_refund_create(
    order: Order, *, amount: int, reason: str, by, merchant: Merchant | None = None
) -> OrderRefund:
    """Record and send a refund of `amount` on the locked, paid `order` (limits checked)."""
    refund = OrderRefund.objects.create(
        order=order, amount=amount, reason=reason[:200], by=_actor(by), merchant=merchant
    )
    # Conditional on what the lock already guarantees: a refund beyond the total matches no
    # row (and the CHECK constraint would refuse it anyway).
    added = Order.objects.filter(pk=order.pk, amount_refunded__lte=order.total - amount).update(
        amount_refunded=F("amount_refunded") + amount
    )
    if not added:
        raise DomainError(
            "That is more than is left to refund.", code=OrderError.REFUND_TOO_LARGE, field="amount"
        )
    order.amount_refunded += amount
    if order.amount_refunded >= order.total and order.status != Status.CANCELLED:
        _order_transition(order, Status.REFUNDED, by=by, note=reason or "Refunded.")
    outbox.order_event_record(
        topic="order.refunded", order=order, refund_id=refund.pk, amount=amount
    )
    if order.payment_id is None:
        # Paid by funds collected elsewhere (services.order_mark_paid_by_funds): there is no
        # payment of the order's own to refund; who collected the funds gives them back, told
        # by the event above (or order.cancelled).
        return refund
    # Last: the gateway call. A refusal (NOT_REFUNDABLE) rolls all of the above back.
    refund.payment_refund = payment_services.payment_refund(
        payment=order.payment,
        amount=amount,
        idempotency_key=f"{order.payment_reference}:refund:{refund.pk}",
        reason=reason[:200],
    )
    refund.save(update_fields=["payment_refund"])
    outbox.order_email_record(email="refunded", refund_id=refund.pk)
    return refund
