"""Refunds through the gateway: once per key whatever runs twice, retried with backoff while
the gateway fails (the others complete), a surplus shared pro rata to the cent, the pool
REFUNDED once nothing is owed; close, switch; the admin's retry."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from gifting.pools import contributions, lifecycle, payments, refunds, services, tasks
from gifting.pools.errors import PoolError
from gifting.pools.models import Contribution, Pool, PoolRefund
from gifting.pools.notifications import REFUNDED_KIND
from shop.core.errors import DomainError
from shop.payments.gateways import fake
from shop.payments.gateways.base import GatewayUnavailable
from shop.payments.models import FakeCharge, Payment, Refund
from social.notifications.models import Notification
from tests.factories import ACTION_CARD, GOOD_CARD, ShippingMethodFactory, UserFactory, variant_make
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.SITE_URL = "https://shop.example"


def _paid(pool, amount, contributor=None, **fields) -> Contribution:
    if contributor is None and "guest_name" not in fields:
        contributor = UserFactory()
    contribution = contributions.contribution_reserve(
        pool=pool, amount=amount, contributor=contributor, **fields
    )
    payment = payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
    assert payment.status == Payment.Status.SUCCEEDED
    contribution.refresh_from_db()
    return contribution


def _expired_pool(amounts, *, target=10_000, days_ago=4):
    pool = pool_make(target=target)
    paid = [_paid(pool, amount) for amount in amounts]
    past = timezone.now() - timedelta(days=days_ago)
    Pool.objects.filter(pk=pool.pk).update(state=Pool.State.EXPIRED, closed_at=past)
    pool.refresh_from_db()
    return pool, paid


def _refunded(payment_id) -> int:
    return Payment.objects.get(pk=payment_id).amount_refunded


# --- refunding an abandoned pool -------------------------------------------------------------


def test_the_abandoned_pool_refund_run_twice_refunds_once():
    pool, paid = _expired_pool([1000, 2500, 700])

    assert lifecycle.pools_abandoned_refund() == 1
    tasks.pool_refunds_retry.apply()
    # Everything again: the abandoned task, the retry task, a refund attempted directly.
    assert lifecycle.pools_abandoned_refund() == 0
    tasks.pool_refunds_retry.apply()
    refund = PoolRefund.objects.first()
    assert refunds.pool_refund_attempt(refund=refund) is True
    assert refunds.pool_refunds_all(pool=pool, reason="again") == list(PoolRefund.objects.all())

    assert PoolRefund.objects.count() == 3
    assert Refund.objects.count() == 3
    for contribution in paid:
        assert _refunded(contribution.payment_id) == contribution.amount
        contribution.refresh_from_db()
        assert contribution.status == Contribution.Status.REFUNDED
        assert contribution.refunded_amount == contribution.amount
    assert sum(FakeCharge.objects.values_list("amount_refunded", flat=True)) == 4200
    pool.refresh_from_db()
    assert pool.state == Pool.State.REFUNDED
    assert pool.transitions.last().to_state == Pool.State.REFUNDED


def test_a_pool_expired_recently_or_with_a_payment_under_way_is_not_refunded_yet():
    recent, _ = _expired_pool([1000], days_ago=1)
    paying, _ = _expired_pool([1000])
    Pool.objects.filter(pk=paying.pk).update(reserved=500, target=10_000)

    assert lifecycle.pools_abandoned_refund() == 0
    assert not PoolRefund.objects.exists()


def test_an_abandoned_pool_nobody_chipped_in_to_is_refunded_at_once():
    pool, _ = _expired_pool([])

    lifecycle.pools_abandoned_refund()

    pool.refresh_from_db()
    assert pool.state == Pool.State.REFUNDED


def test_a_gateway_failure_on_one_refund_is_retried_with_backoff_and_the_others_complete(
    monkeypatch,
):
    pool, paid = _expired_pool([1000, 2000, 3000])
    unlucky = paid[1]
    original = fake.FakeGateway.refund

    def refund(self, *, payment, amount, idempotency_key):
        if payment.pk == unlucky.payment_id:
            raise GatewayUnavailable("connection reset")
        return original(self, payment=payment, amount=amount, idempotency_key=idempotency_key)

    monkeypatch.setattr(fake.FakeGateway, "refund", refund)
    lifecycle.pools_abandoned_refund()
    now = timezone.now()
    refunds.pool_refunds_retry(now=now)

    failed = PoolRefund.objects.get(contribution=unlucky)
    assert failed.status == PoolRefund.Status.FAILED and failed.attempts == 1
    assert "not answering" in failed.last_error
    assert failed.next_attempt_at == now + timedelta(minutes=1)
    assert PoolRefund.objects.filter(status=PoolRefund.Status.DONE).count() == 2
    assert _refunded(unlucky.payment_id) == 0
    pool.refresh_from_db()
    assert pool.state == Pool.State.EXPIRED  # not REFUNDED while one is owed

    # Not due yet: nothing tried. Then due, failing again: the wait grows.
    assert refunds.pool_refunds_retry(now=now + timedelta(seconds=30)) == 0
    later = now + timedelta(minutes=2)
    refunds.pool_refunds_retry(now=later)
    failed.refresh_from_db()
    assert failed.attempts == 2 and failed.next_attempt_at == later + timedelta(minutes=5)

    monkeypatch.setattr(fake.FakeGateway, "refund", original)  # the gateway is back
    assert refunds.pool_refunds_retry(now=later + timedelta(minutes=5)) == 1

    failed.refresh_from_db()
    assert failed.status == PoolRefund.Status.DONE and failed.attempts == 3
    assert failed.last_error == ""
    assert _refunded(unlucky.payment_id) == 2000
    pool.refresh_from_db()
    assert pool.state == Pool.State.REFUNDED


def test_the_waits_grow_then_repeat_every_six_hours():
    now = timezone.now()
    waits = [refunds._next_attempt_at(n, now=now) - now for n in range(1, 8)]
    assert waits == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
        timedelta(hours=6),
        timedelta(hours=6),
    ]


def test_refunded_members_are_told_and_guests_emailed(django_capture_on_commit_callbacks):
    pool = pool_make(target=10_000)
    ben = UserFactory()
    member = _paid(pool, 1200, contributor=ben)
    _paid(pool, 800, guest_name="Gus", guest_email="gus@example.com")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.pool_close(pool=pool, by=pool.organiser)

    told = Notification.objects.get(recipient=ben, kind=REFUNDED_KIND)
    assert told.data["amount"] == "€12.00" and told.target_id == pool.pk
    guest_mails = [m for m in mail.outbox if m.to == ["gus@example.com"]]
    assert len(guest_mails) == 1 and "€8.00 refunded" in guest_mails[0].subject
    assert "closed the pool" in guest_mails[0].body
    member.refresh_from_db()
    assert member.status == Contribution.Status.REFUNDED


# --- close ------------------------------------------------------------------------------------


def test_closing_cancels_releases_pending_reservations_and_refunds_everyone(
    django_capture_on_commit_callbacks,
):
    pool = pool_make(target=10_000)
    paid = [_paid(pool, 1500), _paid(pool, 2500)]
    pending = contributions.contribution_reserve(pool=pool, amount=1000, contributor=UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        closed = lifecycle.pool_close(pool=pool, by=pool.organiser)

    closed.refresh_from_db()
    assert closed.state == Pool.State.REFUNDED and closed.closed_at is not None
    assert [t.to_state for t in pool.transitions.all()][-2:] == ["cancelled", "refunded"]
    pending.refresh_from_db()
    assert pending.status == Contribution.Status.RELEASED
    assert (closed.reserved, closed.collected) == (0, 4000)
    for contribution in paid:
        assert _refunded(contribution.payment_id) == contribution.amount


def test_closing_waits_for_refunds_before_refunded_and_only_the_organiser_closes():
    pool = pool_make(target=10_000)
    _paid(pool, 1500)

    with pytest.raises(DomainError) as error:
        lifecycle.pool_close(pool=pool, by=UserFactory())
    assert error.value.code == PoolError.NOT_ORGANISER

    closed = lifecycle.pool_close(pool=pool, by=pool.organiser)  # no commit: nothing tried yet
    assert closed.state == Pool.State.CANCELLED
    assert PoolRefund.objects.get().status == PoolRefund.Status.PENDING
    refunds.pool_refunds_retry()
    closed.refresh_from_db()
    assert closed.state == Pool.State.REFUNDED
    with pytest.raises(DomainError) as error:
        lifecycle.pool_close(pool=closed, by=pool.organiser)
    assert error.value.code == PoolError.ILLEGAL_TRANSITION


def test_once_refunds_started_an_expired_pool_cannot_be_extended_or_topped_up():
    pool, _ = _expired_pool([1000])
    lifecycle.pools_abandoned_refund()

    with pytest.raises(DomainError) as extended:
        services.pool_extend(pool=pool, deadline=timezone.now() + timedelta(days=3))
    with pytest.raises(DomainError) as topped:
        lifecycle.pool_top_up(pool=pool, by=pool.organiser)

    assert extended.value.code == PoolError.REFUNDS_STARTED
    assert topped.value.code == PoolError.REFUNDS_STARTED


# --- surplus and switch -----------------------------------------------------------------------


def test_a_surplus_is_refunded_pro_rata_to_the_cent_and_lowers_collected():
    pool = pool_make(target=10_000)
    paid = [_paid(pool, amount) for amount in (3333, 3333, 3334)]

    written = refunds.pool_surplus_refund(pool=pool, surplus=1001, reason="cheaper gift")
    refunds.pool_refunds_retry()

    assert sum(r.amount for r in written) == 1001
    assert [r.amount for r in written] == [333, 333, 335]
    assert Pool.objects.get(pk=pool.pk).collected == 10_000 - 1001
    assert sum(_refunded(c.payment_id) for c in paid) == 1001
    for contribution in paid:
        contribution.refresh_from_db()
        assert contribution.status == Contribution.Status.SUCCEEDED  # partly refunded


def test_a_surplus_larger_than_collected_is_refused():
    pool = pool_make(target=10_000)
    _paid(pool, 1000)

    with pytest.raises(DomainError) as error:
        refunds.pool_surplus_refund(pool=pool, surplus=1001, reason="")

    assert error.value.code == PoolError.INVALID_SURPLUS
    assert Pool.objects.get(pk=pool.pk).collected == 1000


def test_switching_to_a_cheaper_gift_refunds_the_surplus_and_funds_the_pool():
    pool = pool_make(target=10_000)
    paid = [_paid(pool, amount) for amount in (4000, 3000, 2999)]
    cheaper = variant_make(price=7000)
    method = ShippingMethodFactory(code="courier", price=490)

    switched = lifecycle.pool_switch(
        pool=pool, variant=cheaper, shipping_method=method, by=pool.organiser
    )
    refunds.pool_refunds_retry()

    assert switched.target == 7490 and switched.collected == 7490
    assert switched.state == Pool.State.FUNDED
    assert switched.variant_id == cheaper.pk
    surplus = 9999 - 7490
    assert sum(r.amount for r in PoolRefund.objects.all()) == surplus
    assert sum(_refunded(c.payment_id) for c in paid) == surplus
    assert "switched" in PoolRefund.objects.first().reason
    assert switched.transitions.last().note.startswith("Switched to")


def test_switching_an_expired_pool_to_a_gift_not_yet_covered_keeps_it_expired_and_waits_again():
    pool, _ = _expired_pool([1000], days_ago=2)
    gift = variant_make(price=5000)

    switched = lifecycle.pool_switch(
        pool=pool,
        variant=gift,
        shipping_method=ShippingMethodFactory(code="pickup", price=0),
        by=pool.organiser,
    )

    assert switched.state == Pool.State.EXPIRED and switched.target == 5000
    assert switched.closed_at > timezone.now() - timedelta(minutes=1)
    assert lifecycle.pools_abandoned_refund(now=timezone.now() + timedelta(days=2)) == 0


def test_switching_is_refused_while_a_payment_is_under_way():
    pool = pool_make(target=10_000)
    pending = contributions.contribution_reserve(pool=pool, amount=1000, contributor=UserFactory())
    payments.contribution_pay(contribution=pending, payment_method=ACTION_CARD)

    with pytest.raises(DomainError) as error:
        lifecycle.pool_switch(
            pool=pool,
            variant=variant_make(price=3000),
            shipping_method=ShippingMethodFactory(code="pickup", price=0),
            by=pool.organiser,
        )

    assert error.value.code == PoolError.PAYMENT_PENDING
    assert "paying" in error.value.message
    assert Pool.objects.get(pk=pool.pk).target == 10_000


# --- admin ------------------------------------------------------------------------------------


def test_the_admin_shows_refunds_and_retries_the_failed_ones(operator_client, monkeypatch):
    pool, paid = _expired_pool([1000, 2000])
    original = fake.FakeGateway.refund

    def down(self, **kwargs):
        raise GatewayUnavailable("down")

    monkeypatch.setattr(fake.FakeGateway, "refund", down)
    lifecycle.pools_abandoned_refund()
    refunds.pool_refunds_retry()
    assert PoolRefund.objects.filter(status=PoolRefund.Status.FAILED).count() == 2

    page = operator_client.get(f"/admin/pools/pool/{pool.pk}/change/").content.decode()
    listing = operator_client.get("/admin/pools/poolrefund/", {"status__exact": "failed"})
    assert "Failed, will retry" in page and "not answering" in page
    assert listing.status_code == 200 and "not answering" in listing.content.decode()

    monkeypatch.setattr(fake.FakeGateway, "refund", original)
    response = operator_client.post(
        "/admin/pools/pool/",
        {"action": "refunds_retry", "_selected_action": [pool.pk]},
        follow=True,
    )

    assert "2 refund(s) made." in response.content.decode()
    assert PoolRefund.objects.filter(status=PoolRefund.Status.DONE).count() == 2
    assert Pool.objects.get(pk=pool.pk).state == Pool.State.REFUNDED
    found = operator_client.get("/admin/pools/pool/", {"q": pool.organiser.email})
    assert f"Pool #{pool.pk}" in found.content.decode()


@pytest.mark.parametrize("size", [2, 12])
def test_the_admin_pool_page_runs_the_same_queries_whatever_the_contributions(
    operator_client, django_assert_num_queries, size
):
    pool, _ = _expired_pool([100 + i for i in range(size)], target=100_000)
    lifecycle.pools_abandoned_refund()
    refunds.pool_refunds_retry()
    url = f"/admin/pools/pool/{pool.pk}/change/"
    operator_client.get(url)  # sessions, caches

    # The session with its user, the pool, its contributions (with people and payments), its
    # refunds, its transitions (with who): the same at 2 and 12 contributions.
    with django_assert_num_queries(6):
        response = operator_client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("Refunded</td>") == size
