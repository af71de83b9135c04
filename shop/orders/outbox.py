"""What orders write to the outbox (shop.core.outbox): their events and their emails.

order_event_record writes an order event (shop.orders.events) and order_email_record an
order email (a notify task of shop.orders.tasks), each in the caller's transaction; both
are delivered once it commits, and again by beat until delivered (the deliverers are
registered in OrdersConfig.ready()). An email thus waits in the outbox while the broker is
down and is sent once it is back; the notify tasks record each email sent
(OrderNotification), so a delivery that happens twice sends one email.

Receivers of order events should do their work through transaction.on_commit or a Celery
task, and use event_id to do it once.
"""

from shop.core.models import OutboxMessage
from shop.core.outbox import outbox_record
from shop.orders.events import ORDER_EVENTS
from shop.orders.models import Order

EVENT_PREFIX = "order."
# Topics "email.order.<email>": placed, paid, shipped, refunded, payment_returned
# (their tasks are named in OrdersConfig.ready()).
EMAIL_PREFIX = "email.order."


def order_event_record(*, topic: str, order: Order, **payload) -> OutboxMessage:
    """Write the event `topic` about `order` to the outbox; it is delivered after the commit."""
    if topic not in ORDER_EVENTS:
        raise ValueError(f"Unknown order event {topic!r}")
    return outbox_record(
        topic=topic, payload={"order_id": order.pk, "number": order.number, **payload}
    )


def order_email_record(*, email: str, **task_kwargs) -> OutboxMessage:
    """Write the order email `email` (e.g. "paid") to the outbox; its notify task is
    enqueued with `task_kwargs` after the commit, and again until the broker takes it.

    Raises ValueError for an email no task sends.
    """
    return outbox_record(topic=f"{EMAIL_PREFIX}{email}", payload=task_kwargs)
