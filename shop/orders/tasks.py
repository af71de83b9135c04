"""Celery tasks of orders: thin, take ids, call services, safe to run twice.

The notify tasks are enqueued through the outbox (shop.orders.outbox.order_email_record),
so they may run more than once; each email is recorded as sent (OrderNotification) in the
transaction that sends it, so a second run sends nothing.
"""

from celery import shared_task

from shop.orders import notifications, services
from shop.orders.models import OrderNotification

# A refused SMTP connection is worth retrying; a template error is a bug and is not.
_RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**_RETRY)
def order_placed_notify(*, order_id: int) -> bool:
    return notifications.order_notification_send(
        order_id=order_id, kind=OrderNotification.Kind.PLACED
    )


@shared_task(**_RETRY)
def order_paid_notify(*, order_id: int) -> bool:
    return notifications.order_notification_send(
        order_id=order_id, kind=OrderNotification.Kind.PAID
    )


@shared_task(**_RETRY)
def order_shipped_notify(*, fulfilment_id: int) -> bool:
    return notifications.order_shipped_notification_send(fulfilment_id=fulfilment_id)


@shared_task(**_RETRY)
def order_refunded_notify(*, refund_id: int) -> bool:
    return notifications.order_refunded_notification_send(refund_id=refund_id)


@shared_task(**_RETRY)
def order_payment_returned_notify(*, order_id: int, payment_id: int) -> bool:
    return notifications.order_payment_returned_notification_send(
        order_id=order_id, payment_id=payment_id
    )


@shared_task
def orders_expire_unpaid() -> int:
    """Beat, every minute: cancel unpaid orders past their payment time, stock back."""
    return services.order_expire_unpaid()


@shared_task
def orders_payments_reconcile() -> int:
    """Beat, every five minutes: settle succeeded payments no order took nor gave back."""
    return services.order_payments_reconcile()
