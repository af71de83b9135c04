"""The outbox: what must reach someone is written with the change, and delivered after it.

Use it for anything a customer or another app must not miss when a process dies after
the commit, a receiver fails, or Redis (the Celery broker) is down: domain events (order
paid, payment succeeded, later pool funded) and emails. In a service, inside its
transaction:

    outbox_record(topic="order.paid", payload={"order_id": order.pk, "number": order.number})

The row commits or rolls back with the change. Once the transaction commits, the row is
delivered (outbox_deliver) by the deliverer registered for the longest prefix of its topic;
if that fails, or never happens, beat (shop.core.tasks.outbox_redeliver, every minute)
tries again later (REDELIVER_AFTER, doubling after each failure up to REDELIVER_MAX_WAIT)
until it works. A row is marked sent in the transaction that delivered it, under its row
lock, so two workers never deliver it at once; delivery is at least once, and receivers use
`event_id` (the row's id, the same on every attempt) or their own unique records to act
once. Rows are delivered roughly in order, not strictly: a retried row comes after newer
ones. Sent rows are deleted a week later (outbox_purge, beat daily); unsent ones never.

An app registers its topics once, in its AppConfig.ready():

    outbox_deliverer_register(prefix="order.", deliverer=SignalDeliverer(
        signals={"order.paid": events.order_paid, ...}, sender=Order))
    outbox_deliverer_register(prefix="email.order.", deliverer=TaskDeliverer(
        tasks={"email.order.paid": tasks.order_paid_notify, ...}))

SignalDeliverer sends the topic's Signal with send_robust(sender, event_id=..., **payload):
every receiver runs even if one raises, and any exception makes the whole delivery fail
(what the receivers wrote is rolled back) and be tried again. TaskDeliverer enqueues the
topic's Celery task with the payload as keyword arguments, and succeeds only if the task
reached the broker (shop.core.enqueue.task_enqueue), so an email waits in the outbox while
Redis is down and leaves once it is back. Payloads are JSON: ids and short strings.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from celery import Task
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from shop.core.enqueue import task_enqueue
from shop.core.models import OutboxMessage

logger = logging.getLogger(__name__)

# Beat leaves a new row this long to the delivery its own commit asked for.
REDELIVER_AFTER = timedelta(seconds=30)
REDELIVER_MAX_WAIT = timedelta(hours=1)
REDELIVER_BATCH_SIZE = 500


class OutboxDeliveryError(Exception):
    """A delivery did not happen (a receiver failed, the broker was unreachable)."""


class Deliverer(Protocol):
    topics: frozenset[str]

    def __call__(self, message: OutboxMessage) -> None:
        """Deliver `message`; raise to have it tried again later."""


@dataclass(frozen=True)
class SignalDeliverer:
    """Deliver each topic by sending its Signal to every receiver (send_robust)."""

    signals: Mapping[str, Signal]
    sender: type

    @property
    def topics(self) -> frozenset[str]:
        return frozenset(self.signals)

    def __call__(self, message: OutboxMessage) -> None:
        responses = self.signals[message.topic].send_robust(
            sender=self.sender, event_id=message.pk, **message.payload
        )
        failures = [result for _, result in responses if isinstance(result, Exception)]
        for failure in failures:
            logger.error("Receiver of %s #%s failed", message.topic, message.pk, exc_info=failure)
        if failures:
            raise OutboxDeliveryError(repr(failures[0]))


@dataclass(frozen=True)
class TaskDeliverer:
    """Deliver each topic by enqueueing its Celery task with the payload as keyword arguments."""

    tasks: Mapping[str, Task]

    @property
    def topics(self) -> frozenset[str]:
        return frozenset(self.tasks)

    def __call__(self, message: OutboxMessage) -> None:
        task = self.tasks[message.topic]
        if not task_enqueue(task, **message.payload):
            raise OutboxDeliveryError(f"{task.name} could not be enqueued")


_deliverers: dict[str, Deliverer] = {}


def outbox_deliverer_register(*, prefix: str, deliverer: Deliverer) -> None:
    """Make `deliverer` deliver the topics it names, which must start with `prefix`.

    Call it from AppConfig.ready(). Registering the same prefix again replaces the
    deliverer (a reloaded app); the longest registered prefix of a topic wins.
    """
    stray = sorted(topic for topic in deliverer.topics if not topic.startswith(prefix))
    if stray:
        raise ValueError(f"Topics {stray} do not start with {prefix!r}")
    _deliverers[prefix] = deliverer


def _deliverer_for(topic: str) -> Deliverer | None:
    prefixes = [prefix for prefix in _deliverers if topic.startswith(prefix)]
    if not prefixes:
        return None
    deliverer = _deliverers[max(prefixes, key=len)]
    return deliverer if topic in deliverer.topics else None


def outbox_record(*, topic: str, payload: dict) -> OutboxMessage:
    """Write `topic` with `payload` to the outbox in the caller's transaction, and deliver it
    once that transaction commits (at once when there is none).

    Raises ValueError for a topic no registered deliverer names (a typo surfaces here,
    not as a row that never leaves).
    """
    if _deliverer_for(topic) is None:
        raise ValueError(f"No outbox deliverer handles the topic {topic!r}")
    message = OutboxMessage.objects.create(
        topic=topic, payload=payload, available_at=timezone.now() + REDELIVER_AFTER
    )
    # robust: a delivery that raises (the database went away) must not stop the other
    # on-commit work of the request; the row is simply left for beat.
    transaction.on_commit(_delivery(message_id=message.pk), robust=True)
    return message


def _delivery(*, message_id: int):
    """Return the on-commit callback delivering one row. A named function, not a partial:
    Django names a robust callback that raised by its __qualname__, which a partial lacks."""

    def deliver() -> None:
        outbox_deliver(message_id=message_id)

    deliver.__qualname__ = f"outbox_deliver(message_id={message_id})"
    return deliver


def _retry_wait(attempts: int) -> timedelta:
    return min(REDELIVER_AFTER * 2 ** min(max(attempts - 1, 0), 16), REDELIVER_MAX_WAIT)


def outbox_deliver(*, message_id: int) -> bool:
    """Deliver one unsent row and mark it sent; return whether it was delivered now.

    False: already sent, being delivered by another worker, or the delivery failed (then
    the attempt and its error are recorded and the row waits for its next try).
    """
    with transaction.atomic():
        rows = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        else:
            rows = rows.select_for_update()
        message = rows.first()
        if message is None:
            return False
        message.attempts += 1
        try:
            deliverer = _deliverer_for(message.topic)
            if deliverer is None:
                raise OutboxDeliveryError(f"No deliverer handles {message.topic!r}")
            # A savepoint: a failed delivery keeps nothing its receivers wrote.
            with transaction.atomic():
                deliverer(message)
        except Exception as exc:
            logger.warning(
                "Outbox %s #%s not delivered (attempt %s): %r",
                message.topic,
                message.pk,
                message.attempts,
                exc,
            )
            message.last_error = repr(exc)[:500]
            message.available_at = timezone.now() + _retry_wait(message.attempts)
            message.save(update_fields=["attempts", "last_error", "available_at"])
            return False
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "sent_at"])
    return True


def outbox_redeliver(*, prefix: str = "", now: datetime | None = None) -> int:
    """Deliver the unsent rows that are due (of topics starting with `prefix`, or all).

    Safe to run twice or in two workers at once: each row is delivered under its lock.
    Returns how many were delivered.
    """
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(sent_at__isnull=True, available_at__lte=now)
    if prefix:
        due = due.filter(topic__startswith=prefix)
    message_ids = list(
        due.order_by("available_at", "pk").values_list("pk", flat=True)[:REDELIVER_BATCH_SIZE]
    )
    return sum(outbox_deliver(message_id=message_id) for message_id in message_ids)


# Sent rows are kept this long (to look into a delivery in the admin or the database).
SENT_KEEP = timedelta(days=7)
PURGE_CHUNK = 5000


def outbox_purge(*, now: datetime | None = None) -> int:
    """Delete the rows sent more than SENT_KEEP ago, in chunks; return how many went.

    Unsent rows are never deleted, however old: they are still owed to someone.
    """
    cutoff = (now or timezone.now()) - SENT_KEEP
    purged = 0
    while True:
        chunk = list(
            OutboxMessage.objects.filter(sent_at__lt=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:PURGE_CHUNK]
        )
        if not chunk:
            return purged
        purged += OutboxMessage.objects.filter(pk__in=chunk, sent_at__lt=cutoff).delete()[0]
