"""Order emails: each is sent from a Celery task (tasks.py), once per order, kind and key."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from shop.core.tasks import email_message_send
from shop.orders import selectors
from shop.orders.models import Fulfilment, OrderNotification, OrderRefund
from shop.payments.selectors import payment_get

_SUBJECTS = {
    OrderNotification.Kind.PLACED: "We received your order {number}",
    OrderNotification.Kind.PAID: "Payment received for order {number}",
    OrderNotification.Kind.SHIPPED: "Your order {number} is on its way",
    OrderNotification.Kind.REFUNDED: "A refund on your order {number}",
    OrderNotification.Kind.PAYMENT_RETURNED: "Your payment for order {number} was returned",
}


def order_notification_send(
    *, order_id: int, kind: str, key: str = "", extra: dict | None = None
) -> bool:
    """Email the order's customer about `kind` (templates/orders/email/<kind>.txt/.html).

    Sent once per (order, kind, key): the record is written in the same transaction as the
    send, so a task that runs twice sends one email, and a send that fails leaves no record
    and is retried. Returns whether an email went out now.
    """
    with transaction.atomic():
        order = selectors.order_for_email(order_id=order_id)
        if order is None:
            return False
        _, created = OrderNotification.objects.get_or_create(order=order, kind=kind, key=key)
        if not created:
            return False
        context = {
            "order": order,
            "lines": list(order.lines.all()),
            "order_url": selectors.order_guest_url(order=order),
            "store_name": settings.STORE_NAME,
            **(extra or {}),
        }
        email_message_send(
            subject=_SUBJECTS[kind].format(number=order.number),
            body=render_to_string(f"orders/email/{kind}.txt", context),
            html_body=render_to_string(f"orders/email/{kind}.html", context),
            to=[order.email],
        )
    return True


def order_shipped_notification_send(*, fulfilment_id: int) -> bool:
    fulfilment = Fulfilment.objects.select_related("merchant").filter(pk=fulfilment_id).first()
    if fulfilment is None:
        return False
    return order_notification_send(
        order_id=fulfilment.order_id,
        kind=OrderNotification.Kind.SHIPPED,
        key=str(fulfilment.pk),
        extra={"fulfilment": fulfilment, "merchant": fulfilment.merchant},
    )


def order_refunded_notification_send(*, refund_id: int) -> bool:
    refund = OrderRefund.objects.filter(pk=refund_id).first()
    if refund is None:
        return False
    return order_notification_send(
        order_id=refund.order_id,
        kind=OrderNotification.Kind.REFUNDED,
        key=str(refund.pk),
        extra={"refund": refund},
    )


def order_payment_returned_notification_send(*, order_id: int, payment_id: int) -> bool:
    payment = payment_get(payment_id=payment_id)
    if payment is None:
        return False
    return order_notification_send(
        order_id=order_id,
        kind=OrderNotification.Kind.PAYMENT_RETURNED,
        key=str(payment.pk),
        extra={"payment": payment},
    )
