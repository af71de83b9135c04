"""Cancelling an order (staff or its shopper) and expiring unpaid ones: stock goes back."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from shop.catalog.services import (
    variant_stock_release,
)
from shop.core.errors import DomainError
from shop.orders import outbox
from shop.orders.errors import OrderError
from shop.orders.models import (
    Order,
)
from shop.orders.services.refunds import _order_refund_create
from shop.orders.services.transitions import (
    _discount_use_return,
    _order_lock,
    _order_transition,
    _stock_release_claim,
)
from shop.payments.selectors import payment_holds_reference

Status = Order.Status
# How many overdue orders one run of the expiry task handles (beat runs it every minute).
EXPIRE_BATCH_SIZE = 500
# An order whose payment is still in flight (3-D Secure, processing, confirming in the
# browser) keeps its stock past its payment time while that payment changed this recently;
# one left longer is abandoned, and should it succeed after all, order_mark_paid revives the
# order or gives the money back.
PAYMENT_IN_FLIGHT_HOLD = timedelta(hours=24)


# --- cancelling and expiring ------------------------------------------------------------------


@transaction.atomic
def order_cancel(*, order: Order, by, reason: str = "") -> Order:
    """Cancel an order that has not shipped: put its stock back, refund what was paid.

    Who may cancel which order is the caller's check (the shopper their own, staff any).
    Raises ILLEGAL_TRANSITION (e.g. "A shipped order cannot be cancelled.").
    """
    _order_lock(order)
    was_paid = order.status == Status.PAID
    _order_transition(order, Status.CANCELLED, by=by, note=reason or "Cancelled.")
    release = _stock_release_claim(order)
    if release:
        variant_stock_release(quantities=release)
    _discount_use_return(order)
    outbox.order_event_record(topic="order.cancelled", order=order)
    left = order.total - order.amount_refunded
    if was_paid and left > 0:
        _order_refund_create(order, amount=left, reason=reason or "Order cancelled.", by=by)
    return order


@transaction.atomic
def order_cancel_by_shopper(*, order: Order, by) -> Order:
    """Cancel an order its shopper has not paid for (a paid one is for staff to cancel and
    refund). The status is checked under the order's row lock, so a payment that lands at
    the same moment is never cancelled and refunded by a shopper's click.

    Raises ILLEGAL_TRANSITION (field "status").
    """
    _order_lock(order)
    if order.status != Status.PENDING_PAYMENT:
        raise DomainError(
            "Only an order waiting for payment can be cancelled here. To cancel a paid order, "
            "please contact us.",
            code=OrderError.ILLEGAL_TRANSITION,
            field="status",
        )
    return order_cancel(order=order, by=by, reason="Cancelled by the shopper.")


def order_expire_unpaid(*, now=None) -> int:
    """Cancel orders still unpaid after their payment time, putting their stock back.

    An order whose payment succeeded (and is yet to be applied) never expires, nor one
    whose payment is in flight (see PAYMENT_IN_FLIGHT_HOLD): the shopper is paying.
    Each order in its own short transaction; rows another worker (or a payment) holds are
    skipped and picked up next run. Safe to run twice, or in two workers at once: an order is
    only expired while PENDING_PAYMENT, and its stock released once. Returns how many expired.
    """
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=Status.PENDING_PAYMENT, expires_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:EXPIRE_BATCH_SIZE]
    )
    expired = 0
    for order_id in due:
        with transaction.atomic():
            candidates = Order.objects.filter(
                pk=order_id, status=Status.PENDING_PAYMENT, expires_at__lte=now
            )
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            else:
                candidates = candidates.select_for_update()
            order = candidates.first()
            if order is None:
                continue
            # Under the order's lock: paying it (order_pay) holds the same lock while it
            # calls the gateway, so a payment cannot start succeeding behind this check.
            if payment_holds_reference(
                reference=order.payment_reference, in_flight_since=now - PAYMENT_IN_FLIGHT_HOLD
            ):
                continue
            _order_transition(
                order,
                Status.CANCELLED,
                by=None,
                note=f"Not paid within {settings.ORDER_PAYMENT_TIMEOUT_MINUTES} minutes.",
                expired_at=now,
            )
            release = _stock_release_claim(order)
            if release:
                variant_stock_release(quantities=release)
            _discount_use_return(order)
            outbox.order_event_record(topic="order.cancelled", order=order)
            expired += 1
    return expired
