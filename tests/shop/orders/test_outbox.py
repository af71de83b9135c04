"""Order events and emails reach their receivers after the commit, at least once and once
per delivery, through the outbox (shop.core.outbox)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.core import outbox, tasks
from shop.core.models import OutboxMessage
from shop.orders import events
from tests.shop.orders.conftest import cart_make, variant_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """What a receiver of order_placed heard: a list of (event_id, order_id)."""
    calls = []

    def receiver(sender, *, event_id, order_id, number, **kwargs):
        calls.append((event_id, order_id))

    events.order_placed.connect(receiver, weak=False, dispatch_uid="test-heard")
    yield calls
    events.order_placed.disconnect(dispatch_uid="test-heard")


def _later():
    return timezone.now() + outbox.REDELIVER_AFTER + timedelta(seconds=1)


def test_the_placed_event_is_sent_once_after_the_commit(
    place, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(cart_make((variant_make(), 1)))
        assert heard == []  # nothing before the commit

    message = OutboxMessage.objects.get(topic="order.placed")
    assert heard == [(message.pk, order.pk)]
    assert message.sent_at is not None and message.attempts == 1


def test_an_event_whose_delivery_never_ran_is_sent_by_beat_once(place, heard):
    # No on-commit callbacks run here: as if the process died right after the commit.
    order = place(cart_make((variant_make(), 1)))
    assert heard == []

    first = outbox.outbox_redeliver(prefix="order.", now=_later())
    second = outbox.outbox_redeliver(prefix="order.", now=_later())

    assert first >= 1 and second == 0
    assert [order_id for _, order_id in heard] == [order.pk]
    assert not OutboxMessage.objects.filter(topic__startswith="order.", sent_at=None).exists()


def test_redelivery_leaves_the_newest_rows_to_their_own_delivery(place, heard):
    place(cart_make((variant_make(), 1)))

    assert outbox.outbox_redeliver(prefix="order.") == 0
    assert heard == []


def test_the_beat_task_redelivers(place, heard, monkeypatch):
    monkeypatch.setattr(outbox, "REDELIVER_AFTER", timedelta(seconds=-1))
    place(cart_make((variant_make(), 1)))

    assert tasks.outbox_redeliver.delay().get() >= 1
    assert tasks.outbox_redeliver.delay().get() == 0
    assert len(heard) == 1


def test_a_failing_receiver_leaves_the_event_to_be_sent_again(
    place, heard, django_capture_on_commit_callbacks
):
    def broken(sender, **kwargs):
        raise ConnectionError("broker down")

    events.order_placed.connect(broken, weak=False, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            place(cart_make((variant_make(), 1)))
    finally:
        events.order_placed.disconnect(dispatch_uid="test-broken")
    message = OutboxMessage.objects.get(topic="order.placed")
    assert message.sent_at is None
    assert (message.attempts, "broker down" in message.last_error) == (1, True)

    outbox.outbox_redeliver(prefix="order.", now=_later())

    message.refresh_from_db()
    assert message.sent_at is not None
    assert len(heard) == 2  # at least once: the healthy receiver heard it on each try
    assert heard[0][0] == heard[1][0] == message.pk  # ...with the same event id


def test_a_row_of_a_topic_nobody_delivers_stays_unsent_with_the_reason():
    other = OutboxMessage.objects.create(topic="pool.funded", payload={"pool_id": 1})

    assert outbox.outbox_deliver(message_id=other.pk) is False
    other.refresh_from_db()
    assert other.sent_at is None
    assert "No deliverer handles 'pool.funded'" in other.last_error
