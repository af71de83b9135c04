"""A pool for an amount filled before its gift was chosen does not keep the money forever: its
organiser is reminded a day before, and POOL_REFUND_AFTER_DAYS after the deadline (or after it
was funded, when later) with no gift chosen the system closes it and refunds everyone, once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from gifting.pools import contributions, emails, lifecycle, ordering, payments, selectors, tasks
from gifting.pools.models import Contribution, Pool, PoolRefund, PoolTransition
from gifting.pools.notifications import (
    EXPIRING_KIND,
    FUNDED_KIND,
    GUEST_EMAIL_TOPIC,
    REFUNDED_KIND,
)
from shop.core.models import OutboxMessage
from shop.payments.models import Payment, Refund
from social.notifications.kinds import notification_kind_get
from social.notifications.models import Notification
from tests.factories import GOOD_CARD, UserFactory, variant_make
from tests.gifting.pools.helpers import pool_make
from tests.html import html

pytestmark = pytest.mark.django_db

DAYS = settings.POOL_REFUND_AFTER_DAYS


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.SITE_URL = "https://shop.example"


def _paid(pool, amount, **fields):
    if "guest_name" not in fields:
        fields.setdefault("contributor", UserFactory())
    contribution = contributions.contribution_reserve(pool=pool, amount=amount, **fields)
    payment = payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
    assert payment.status == Payment.Status.SUCCEEDED
    contribution.refresh_from_db()
    return contribution


def _funded(olga, amounts=(4_000, 2_000)):
    pool = pool_make(olga, target=sum(amounts))
    paid = [_paid(pool, amount) for amount in amounts]
    pool.refresh_from_db()
    assert pool.state == Pool.State.FUNDED and pool.variant_id is None
    return pool, paid


def test_a_funded_pool_without_a_gift_is_refunded_days_after_its_deadline_once(olga):
    pool = pool_make(olga, target=7_000)
    paid = [_paid(pool, 4_000), _paid(pool, 2_000)]
    guest = _paid(pool, 1_000, guest_name="Gus", guest_email="gus@example.com")
    pool.refresh_from_db()
    assert pool.state == Pool.State.FUNDED
    due = pool.deadline + timedelta(days=DAYS)

    assert lifecycle.pools_unchosen_refund(now=due - timedelta(minutes=1)) == 0
    assert not PoolRefund.objects.exists()

    assert lifecycle.pools_unchosen_refund(now=due + timedelta(minutes=1)) == 1
    assert tasks.pools_unchosen_refund.apply().get() == 0  # closed: not found again
    assert lifecycle.pools_unchosen_refund(now=due + timedelta(days=1)) == 0
    tasks.pool_refunds_retry.apply()
    tasks.pool_refunds_retry.apply()

    assert PoolRefund.objects.count() == 3 and Refund.objects.count() == 3
    for contribution in [*paid, guest]:
        contribution.refresh_from_db()
        assert contribution.status == Contribution.Status.REFUNDED
        assert Payment.objects.get(pk=contribution.payment_id).amount_refunded == (
            contribution.amount
        )
    pool.refresh_from_db()
    assert pool.state == Pool.State.REFUNDED
    assert pool.closed_at == due + timedelta(minutes=1)
    closed = PoolTransition.objects.get(pool=pool, to_state=Pool.State.CANCELLED)
    assert (closed.from_state, closed.by) == (Pool.State.FUNDED, None)
    assert closed.note == f"No gift was chosen within {DAYS} days: everyone is refunded"
    assert PoolRefund.objects.first().reason.startswith("The pool was full but no gift")
    told = Notification.objects.filter(kind=REFUNDED_KIND)
    assert sorted(n.recipient_id for n in told) == sorted(c.contributor_id for c in paid)
    emails = OutboxMessage.objects.filter(topic=GUEST_EMAIL_TOPIC)
    assert [m.payload["email"] for m in emails if m.payload["email"] == "refunded"] == ["refunded"]


def test_a_funded_pool_with_a_gift_or_still_open_is_left_alone(olga):
    with_gift, _ = _funded(olga)
    Pool.objects.filter(pk=with_gift.pk).update(variant=variant_make(price=5_000))
    open_pool = pool_make(olga)
    _paid(open_pool, 1_000)
    later = timezone.now() + timedelta(days=30)

    assert lifecycle.pools_unchosen_refund(now=later) == 0

    assert Pool.objects.get(pk=with_gift.pk).state == Pool.State.FUNDED
    assert Pool.objects.get(pk=open_pool.pk).state == Pool.State.OPEN
    assert not PoolRefund.objects.exists()


def test_a_pool_funded_after_its_deadline_has_its_days_from_then(olga):
    pool, _ = _funded(olga)
    funded_at = pool.deadline + timedelta(days=1)  # an expired pool topped up a day late
    PoolTransition.objects.filter(pool=pool, to_state=Pool.State.FUNDED).update(
        created_at=funded_at
    )

    assert selectors.pool_gift_choose_by(pool) == funded_at + timedelta(days=DAYS)
    assert lifecycle.pools_unchosen_refund(now=pool.deadline + timedelta(days=DAYS, hours=1)) == 0
    assert lifecycle.pools_unchosen_refund(now=funded_at + timedelta(days=DAYS, minutes=1)) == 1


def test_the_organiser_is_reminded_once_a_day_before_to_choose_the_gift(olga):
    pool, _ = _funded(olga)
    choose_by = pool.deadline + timedelta(days=DAYS)

    assert lifecycle.pools_expiring_remind(now=choose_by - timedelta(hours=30)) == 0
    assert lifecycle.pools_expiring_remind(now=choose_by - timedelta(hours=20)) == 1
    assert lifecycle.pools_expiring_remind(now=choose_by - timedelta(hours=19)) == 0

    told = Notification.objects.get(kind=EXPIRING_KIND)
    assert told.recipient_id == olga.pk
    kind = notification_kind_get(EXPIRING_KIND)
    when = timezone.localtime(choose_by).strftime("%-d %B %Y, %H:%M")
    text = f"Choose the gift of your pool by {when}, or everyone is refunded"
    assert kind.render(actor="", data=told.data) == text
    assert kind.subject(actor="", data=told.data) == text
    # An open pool's reminder reads as before.
    assert kind.render(actor="", data={"gift": "Lamp"}) == "The pool for Lamp ends within 24 hours"


def test_the_organisers_page_says_by_when_to_choose_the_gift(client, olga):
    pool, _ = _funded(olga)
    client.force_login(olga)

    page = html(client.get(f"/pools/{pool.token}/"))

    when = timezone.localtime(pool.deadline + timedelta(days=DAYS)).strftime("%-d %B %Y, %H:%M")
    call = page.one("div", cls="pool-choose-now")
    assert f"Choose the gift by {when}, or everyone is refunded." in call.text


# --- fully funded without a gift: who chooses it ----------------------------------------------


def test_fully_funded_without_a_gift_tells_the_organiser_to_choose_it_now(olga, settings):
    settings.SITE_URL = "https://shop.example"
    pool = pool_make(olga, target=3_000)
    ben = UserFactory(username="ben")
    _paid(pool, 2_000, contributor=ben)
    guest = _paid(pool, 1_000, guest_name="Gus", guest_email="gus@example.com")
    mail.outbox.clear()

    ordering.pool_funded_deliver(pool_id=pool.pk)
    ordering.pool_funded_deliver(pool_id=pool.pk)  # delivered twice: told once

    kind = notification_kind_get(FUNDED_KIND)
    mine = Notification.objects.get(kind=FUNDED_KIND, recipient=olga)
    assert mine.url == f"/pools/{pool.token}/choose/"
    assert kind.render(actor="", data=mine.data) == (
        "The pool for a gift is fully funded: choose the gift now"
    )
    assert kind.subject(actor="", data=mine.data) == kind.render(actor="", data=mine.data)
    bens = Notification.objects.get(kind=FUNDED_KIND, recipient=ben)
    assert bens.url == f"/pools/{pool.token}/"
    assert kind.render(actor="", data=bens.data) == (
        "The pool for a gift is fully funded: Olga will choose the gift"
    )
    assert Notification.objects.filter(kind=FUNDED_KIND).count() == 2

    rows = OutboxMessage.objects.filter(topic=GUEST_EMAIL_TOPIC, payload__email="funded")
    assert [row.payload["gift_to_choose"] for row in rows] == [True, True]
    assert [emails.pool_guest_email_send(**row.payload) for row in rows] == [True, False]
    [sent] = mail.outbox
    assert sent.to == [guest.guest_email]
    assert "Olga will choose the gift now." in sent.body
    assert "ordered next" not in sent.body


def test_fully_funded_with_a_gift_says_only_fully_funded(olga):
    pool, _ = _funded(olga)
    Pool.objects.filter(pk=pool.pk).update(variant=variant_make(price=5_000, title="Lamp"))

    ordering.pool_funded_deliver(pool_id=pool.pk)

    mine = Notification.objects.get(kind=FUNDED_KIND, recipient=olga)
    assert mine.url == f"/pools/{pool.token}/"
    text = notification_kind_get(FUNDED_KIND).render(actor="", data=mine.data)
    assert text == "The pool for Lamp is fully funded"
