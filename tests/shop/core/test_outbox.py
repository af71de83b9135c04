"""The outbox (shop.core.outbox): record with the change, deliver after it, retry until done."""

from datetime import timedelta

import pytest
from celery import shared_task
from django.dispatch import Signal
from django.utils import timezone

from shop.core import outbox
from shop.core.models import OutboxMessage

pytestmark = pytest.mark.django_db

gift_funded = Signal()
sent_emails = []


@shared_task
def _gift_email_send(*, pool_id: int) -> None:
    sent_emails.append(pool_id)


@pytest.fixture
def gift_topics():
    """A later app's topics: an event for receivers and an email task."""
    sent_emails.clear()
    outbox.outbox_deliverer_register(
        prefix="gift.",
        deliverer=outbox.SignalDeliverer(signals={"gift.funded": gift_funded}, sender=object),
    )
    outbox.outbox_deliverer_register(
        prefix="gift.email.",
        deliverer=outbox.TaskDeliverer(tasks={"gift.email.funded": _gift_email_send}),
    )
    yield
    outbox._deliverers.pop("gift.", None)
    outbox._deliverers.pop("gift.email.", None)


def test_a_topic_no_deliverer_names_is_refused_when_written(gift_topics):
    with pytest.raises(ValueError, match="gift.fundd"):
        outbox.outbox_record(topic="gift.fundd", payload={})

    assert not OutboxMessage.objects.exists()


def test_a_deliverer_only_takes_topics_under_its_prefix():
    with pytest.raises(ValueError):
        outbox.outbox_deliverer_register(
            prefix="gift.",
            deliverer=outbox.SignalDeliverer(signals={"pool.funded": gift_funded}, sender=object),
        )


def test_the_longest_prefix_delivers_and_after_the_commit(
    gift_topics, django_capture_on_commit_callbacks
):
    heard = []
    gift_funded.connect(lambda sender, **kw: heard.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event = outbox.outbox_record(topic="gift.funded", payload={"pool_id": 3})
            email = outbox.outbox_record(topic="gift.email.funded", payload={"pool_id": 3})
            assert (heard, sent_emails) == ([], [])
    finally:
        gift_funded.disconnect(dispatch_uid="t")

    assert heard == [{"signal": gift_funded, "event_id": event.pk, "pool_id": 3}]
    assert sent_emails == [3]
    assert OutboxMessage.objects.filter(pk__in=[event.pk, email.pk], sent_at=None).count() == 0


def test_an_email_the_broker_did_not_take_stays_unsent_and_waits_longer_each_time(
    gift_topics, monkeypatch
):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, **kwargs: False)
    message = outbox.outbox_record(topic="gift.email.funded", payload={"pool_id": 3})

    waits = []
    for _ in range(3):
        before = timezone.now()
        assert outbox.outbox_deliver(message_id=message.pk) is False
        message.refresh_from_db()
        waits.append(round((message.available_at - before).total_seconds()))

    assert message.sent_at is None and message.attempts == 3
    assert "could not be enqueued" in message.last_error
    assert waits == [30, 60, 120]
    assert sent_emails == []


def test_beat_delivers_what_is_due_once_the_broker_is_back(gift_topics, monkeypatch):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, **kwargs: False)
    message = outbox.outbox_record(topic="gift.email.funded", payload={"pool_id": 3})
    outbox.outbox_deliver(message_id=message.pk)
    monkeypatch.undo()

    too_soon = outbox.outbox_redeliver(now=timezone.now())
    due = outbox.outbox_redeliver(now=timezone.now() + timedelta(minutes=1))
    again = outbox.outbox_redeliver(now=timezone.now() + timedelta(hours=2))

    assert (too_soon, due, again) == (0, 1, 0)
    assert sent_emails == [3]


def test_a_failing_receiver_rolls_back_what_the_receivers_wrote(gift_topics):
    def writes(sender, **kwargs):
        OutboxMessage.objects.create(topic="written.by.receiver")

    def fails(sender, **kwargs):
        raise ConnectionError("down")

    gift_funded.connect(writes, weak=False, dispatch_uid="writes")
    gift_funded.connect(fails, weak=False, dispatch_uid="fails")
    try:
        message = outbox.outbox_record(topic="gift.funded", payload={})
        delivered = outbox.outbox_deliver(message_id=message.pk)
    finally:
        gift_funded.disconnect(dispatch_uid="writes")
        gift_funded.disconnect(dispatch_uid="fails")

    assert delivered is False
    assert not OutboxMessage.objects.filter(topic="written.by.receiver").exists()


def test_a_delivery_that_raises_does_not_stop_the_next_on_commit_work(
    gift_topics, monkeypatch, django_capture_on_commit_callbacks
):
    deliver = outbox.outbox_deliver

    def database_gone_for_the_first(*, message_id):
        if message_id == first.pk:
            raise OSError("database went away")
        return deliver(message_id=message_id)

    monkeypatch.setattr(outbox, "outbox_deliver", database_gone_for_the_first)
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.outbox_record(topic="gift.email.funded", payload={"pool_id": 1})
        outbox.outbox_record(topic="gift.email.funded", payload={"pool_id": 2})

    assert sent_emails == [2]
    assert OutboxMessage.objects.get(pk=first.pk).sent_at is None  # left for beat


def test_purging_deletes_rows_sent_a_week_ago_and_keeps_every_unsent_one():
    now = timezone.now()
    old_sent = OutboxMessage.objects.create(topic="gift.funded", sent_at=now - timedelta(days=8))
    recent = OutboxMessage.objects.create(topic="gift.funded", sent_at=now - timedelta(days=1))
    unsent = OutboxMessage.objects.create(topic="gift.funded")
    OutboxMessage.objects.filter(pk=unsent.pk).update(created_at=now - timedelta(days=30))

    purged = outbox.outbox_purge(now=now)

    assert purged == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}
    assert old_sent.pk not in OutboxMessage.objects.values_list("pk", flat=True)
