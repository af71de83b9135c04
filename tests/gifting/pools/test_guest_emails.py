"""Guests' emails are claimed in the database, not the cache: sent once however often the
task runs, sent with Redis down or flushed, and sent by the retry when a send raised."""

import uuid

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection

from gifting.pools import contributions, emails, payments, tasks
from gifting.pools.models import PoolGuestEmail
from shop.core.breaker import breakers_reset
from tests.concurrency import race
from tests.factories import GOOD_CARD
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:6399/0"  # nothing listens there: Redis is down


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.SITE_URL = "https://shop.example"


@pytest.fixture
def guest():
    contribution = contributions.contribution_reserve(
        pool=pool_make(), amount=1500, guest_name="Gus", guest_email="gus@example.com"
    )
    payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
    mail.outbox.clear()
    return contribution


@pytest.fixture
def redis_down(settings):
    breakers_reset()
    settings.CACHES = {
        "default": {
            "BACKEND": "shop.core.cache.ResilientRedisCache",
            "LOCATION": CLOSED,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
    }
    yield
    breakers_reset()


def _task(guest, email="refunded", **context):
    return tasks.pool_guest_email_send.apply(
        kwargs={"contribution_id": guest.pk, "email": email, **context}
    ).get()


def test_the_task_run_twice_sends_the_email_once_even_after_a_cache_flush(guest):
    assert _task(guest, amount="€15.00", refund_id=1) is True
    cache.clear()
    assert _task(guest, amount="€15.00", refund_id=1) is False

    [sent] = mail.outbox
    assert sent.to == ["gus@example.com"] and "€15.00 refunded" in sent.subject
    assert PoolGuestEmail.objects.filter(contribution=guest, kind="refunded").count() == 1


def test_another_delivery_of_the_same_kind_is_its_own_email(guest):
    assert _task(guest, amount="€5.00", refund_id=1) is True
    assert _task(guest, amount="€10.00", refund_id=2) is True

    assert [m.subject.split(": ")[-1] for m in mail.outbox] == ["€5.00 refunded", "€10.00 refunded"]


def test_the_email_is_sent_once_while_redis_is_unreachable(guest, redis_down):
    # The cache answers "added" to every add while Redis is away (shop.core.cache): a claim
    # there would send every delivery again.
    assert _task(guest, "received", amount="€15.00") is True
    assert _task(guest, "received", amount="€15.00") is False

    [sent] = mail.outbox
    assert sent.to == ["gus@example.com"] and sent.subject.startswith("Thank you for chipping in")


def test_a_send_that_raises_leaves_no_claim_and_the_retry_sends_it_once(guest, monkeypatch):
    original = emails.email_message_send
    calls = []

    def refused_once(**kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 1:
            raise ConnectionRefusedError("SMTP server away")
        original(**kwargs)

    monkeypatch.setattr(emails, "email_message_send", refused_once)

    with pytest.raises(OSError):
        emails.pool_guest_email_send(contribution_id=guest.pk, email="funded")
    assert not PoolGuestEmail.objects.exists()
    assert mail.outbox == []

    assert emails.pool_guest_email_send(contribution_id=guest.pk, email="funded") is True
    assert emails.pool_guest_email_send(contribution_id=guest.pk, email="funded") is False

    [sent] = mail.outbox
    assert sent.subject.startswith("The pool for") and len(calls) == 2


def test_the_claim_holds_nothing_personal(guest):
    _task(guest, "received", amount="€15.00")

    claim = PoolGuestEmail.objects.get()
    stored = " ".join(str(getattr(claim, f.attname)) for f in PoolGuestEmail._meta.fields)
    assert "gus" not in stored.lower() and "€" not in stored


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: writers race")
def test_five_workers_delivering_the_same_email_at_once_send_it_once(guest):
    # Committed for real here: the "received" email already left when the payment did.
    mail.outbox.clear()
    context = {"amount": "€15.00", "refund_id": 99}

    results = race(
        lambda: emails.pool_guest_email_send(contribution_id=guest.pk, email="refunded", **context),
        racers=5,
    )

    assert sorted(results, key=repr) == [False, False, False, False, True], results
    [sent] = mail.outbox
    assert "€15.00 refunded" in sent.subject
    assert PoolGuestEmail.objects.filter(kind="refunded").count() == 1
