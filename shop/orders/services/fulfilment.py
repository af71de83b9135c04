"""Shipping: each merchant ships its lines with a tracking number; delivery."""

from django.db import transaction

from shop.catalog.models import Merchant
from shop.core.errors import DomainError
from shop.orders import outbox
from shop.orders.errors import OrderError
from shop.orders.models import (
    Fulfilment,
    Order,
)
from shop.orders.services.transitions import (
    _actor,
    _merchant_access_check,
    _order_lock,
    _order_transition,
    _transition_check,
)

Status = Order.Status


# --- shipping ---------------------------------------------------------------------------------


@transaction.atomic
def order_fulfil(
    *, order: Order, merchant: Merchant, tracking_number: str, carrier: str = "", by
) -> Fulfilment:
    """Record that `merchant` shipped its lines of `order`, with a tracking number.

    The order is FULFILLED once every merchant in it shipped, PARTIALLY_FULFILLED before.
    Raises TRACKING_NUMBER_REQUIRED, NOT_YOUR_ORDER, MERCHANT_NOT_IN_ORDER, ALREADY_SHIPPED,
    ILLEGAL_TRANSITION (an order not paid, cancelled or refunded).
    """
    tracking_number = (tracking_number or "").strip()
    carrier = (carrier or "").strip()
    if not tracking_number:
        raise DomainError(
            "Enter the parcel's tracking number.",
            code=OrderError.TRACKING_NUMBER_REQUIRED,
            field="tracking_number",
        )
    by = _actor(by)
    _merchant_access_check(merchant=merchant, by=by)
    _order_lock(order)
    merchant_ids = set(order.lines.values_list("merchant_id", flat=True))
    if merchant.pk not in merchant_ids:
        raise DomainError(
            f"Order {order.number} has no lines of {merchant.name}.",
            code=OrderError.MERCHANT_NOT_IN_ORDER,
            field="merchant",
        )
    shipped = set(order.fulfilments.values_list("merchant_id", flat=True))
    if merchant.pk in shipped:
        raise DomainError(
            f"{merchant.name}'s lines of order {order.number} are already marked shipped.",
            code=OrderError.ALREADY_SHIPPED,
            field="tracking_number",
        )
    everyone_shipped = merchant_ids <= shipped | {merchant.pk}
    target = Status.FULFILLED if everyone_shipped else Status.PARTIALLY_FULFILLED
    if target != order.status:  # the second of three merchants keeps it partly shipped
        _transition_check(order, target)
    fulfilment = Fulfilment.objects.create(
        order=order,
        merchant=merchant,
        carrier=carrier[:80],
        tracking_number=tracking_number[:100],
        shipped_by=by,
    )
    if target != order.status:  # the second of three merchants leaves it partly shipped
        shipped_note = f"{merchant.name} shipped: {carrier} {tracking_number}".replace("  ", " ")
        _order_transition(order, target, by=by, note=shipped_note)
    outbox.order_event_record(
        topic="order.shipped",
        order=order,
        merchant_id=merchant.pk,
        fulfilment_id=fulfilment.pk,
    )
    outbox.order_email_record(email="shipped", fulfilment_id=fulfilment.pk)
    return fulfilment


@transaction.atomic
def order_mark_delivered(*, order: Order, by) -> Order:
    """Record that a shipped order arrived. Raises ILLEGAL_TRANSITION."""
    _order_transition(order, Status.DELIVERED, by=by, note="Delivered.")
    outbox.order_event_record(topic="order.delivered", order=order)
    return order
