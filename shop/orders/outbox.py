"""Order events through the outbox: written with the change, delivered after the commit.

order_event_record writes a core.OutboxMessage in the caller's transaction and asks for its
delivery once that transaction commits. If the process dies in between, or a receiver
fails, the row stays unsent and beat (tasks.order_outbox_redeliver) sends it again. So an
event reaches receivers at least once, and exactly once per successful delivery: a row is
delivered under its row lock and marked sent in the same transaction.

Receivers (shop.orders.events) should do their work through transaction.on_commit or a
Celery task, and use event_id to do it once.
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from shop.core.models import OutboxMessage
from shop.orders.events import ORDER_EVENTS
from shop.orders.models import Order

logger = logging.getLogger(__name__)

TOPIC_PREFIX = "order."
# Redelivery leaves the newest rows to the delivery their own commit asked for.
REDELIVER_AFTER = timedelta(seconds=30)
REDELIVER_BATCH_SIZE = 500


def order_event_record(*, topic: str, order: Order, **payload) -> OutboxMessage:
    """Write the event `topic` about `order` to the outbox; deliver it after the commit."""
    if topic not in ORDER_EVENTS:
        raise ValueError(f"Unknown order event {topic!r}")
    message = OutboxMessage.objects.create(
        topic=topic, payload={"order_id": order.pk, "number": order.number, **payload}
    )
    transaction.on_commit(partial(order_event_deliver, message_id=message.pk))
    return message


def order_event_deliver(*, message_id: int) -> bool:
    """Send one unsent order event to its receivers and mark it sent. Returns whether it was
    sent now (False: already sent, being sent by someone else, or a receiver failed)."""
    with transaction.atomic():
        rows = OutboxMessage.objects.filter(
            pk=message_id, sent_at__isnull=True, topic__startswith=TOPIC_PREFIX
        )
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        else:
            rows = rows.select_for_update()
        message = rows.first()
        if message is None:
            return False
        signal = ORDER_EVENTS[message.topic]
        responses = signal.send_robust(sender=Order, event_id=message.pk, **message.payload)
        failures = [result for _, result in responses if isinstance(result, Exception)]
        message.attempts += 1
        if failures:
            for failure in failures:
                logger.error(
                    "Receiver of %s #%s failed", message.topic, message.pk, exc_info=failure
                )
            message.last_error = repr(failures[0])[:500]
            message.save(update_fields=["attempts", "last_error"])
            return False
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "sent_at"])
    return True


def order_events_redeliver(*, now=None) -> int:
    """Deliver the order events still unsent a while after they were written.

    Safe to run twice or concurrently: each row is delivered under its lock, once.
    Returns how many were sent.
    """
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(
            sent_at__isnull=True,
            topic__startswith=TOPIC_PREFIX,
            created_at__lte=now - REDELIVER_AFTER,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:REDELIVER_BATCH_SIZE]
    )
    return sum(order_event_deliver(message_id=message_id) for message_id in due)
