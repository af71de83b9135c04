"""A refund the gateway refuses for good, or that failed POOL_REFUND_MAX_ATTEMPTS times, needs
an operator: no longer retried on its own, operators emailed, shown in the admin's filter and
on the organiser's page; the admin's retry puts it back, and a refund is still made once."""

from datetime import timedelta

import pytest
import stripe
from django.core import mail
from django.utils import timezone

from gifting.pools import contributions, lifecycle, payments, refunds
from gifting.pools.models import Contribution, Pool, PoolRefund
from gifting.pools.selectors import REFUND_NEEDS_OPERATOR_NOTE
from shop.core.errors import DomainError
from shop.payments.errors import PaymentError
from shop.payments.gateways import fake
from shop.payments.gateways.base import GatewayUnavailable
from shop.payments.models import FakeCharge, Payment, Refund
from tests.factories import GOOD_CARD, UserFactory
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db

NEEDS_OPERATOR = PoolRefund.Status.NEEDS_OPERATOR


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.SITE_URL = "https://shop.example"
    settings.ADMINS = [("Ops", "ops@shop.example")]
    settings.POOL_REFUND_MAX_ATTEMPTS = 3


@pytest.fixture
def gateway_calls(monkeypatch):
    """Count the fake gateway's refund calls; `.mode` picks what it does."""
    original = fake.FakeGateway.refund
    calls = _Calls()

    def refund(self, *, payment, amount, idempotency_key):
        calls.append(idempotency_key)
        if calls.mode == "down":
            raise GatewayUnavailable("connection reset")
        return original(self, payment=payment, amount=amount, idempotency_key=idempotency_key)

    monkeypatch.setattr(fake.FakeGateway, "refund", refund)
    return calls


class _Calls(list):
    mode = "real"


def _expired_pool(amounts):
    pool = pool_make(target=10_000)
    paid = []
    for amount in amounts:
        contribution = contributions.contribution_reserve(
            pool=pool, amount=amount, contributor=UserFactory()
        )
        payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
        contribution.refresh_from_db()
        paid.append(contribution)
    Pool.objects.filter(pk=pool.pk).update(
        state=Pool.State.EXPIRED, closed_at=timezone.now() - timedelta(days=4)
    )
    pool.refresh_from_db()
    return pool, paid


def _refunded_elsewhere(contribution: Contribution) -> None:
    """Someone refunded the charge at the gateway directly: ours can never be made."""
    payment = Payment.objects.get(pk=contribution.payment_id)
    FakeCharge.objects.filter(fake_id=payment.gateway_payment_id).update(
        amount_refunded=payment.amount
    )


def _operator_mails():
    return [m for m in mail.outbox if m.to == ["ops@shop.example"]]


def test_a_refusal_for_good_needs_an_operator_after_one_try(
    django_capture_on_commit_callbacks,
):
    pool, [gone, fine] = _expired_pool([1000, 2000])
    _refunded_elsewhere(gone)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.pools_abandoned_refund()
    with django_capture_on_commit_callbacks(execute=True):
        refunds.pool_refunds_retry()

    stuck = PoolRefund.objects.get(contribution=gone)
    assert (stuck.status, stuck.attempts) == (NEEDS_OPERATOR, 1)
    assert "more than is left" in stuck.last_error
    assert PoolRefund.objects.get(contribution=fine).status == PoolRefund.Status.DONE
    [told] = _operator_mails()
    assert f"refund #{stuck.pk}" in told.subject and "more than is left" in told.body
    assert "status__exact=operator" in told.body
    assert Pool.objects.get(pk=pool.pk).state == Pool.State.EXPIRED  # still owed


def test_transient_failures_back_off_then_need_an_operator_after_the_last_attempt(
    gateway_calls, django_capture_on_commit_callbacks
):
    _expired_pool([1000])
    gateway_calls.mode = "down"
    lifecycle.pools_abandoned_refund()
    mail.outbox.clear()
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        refunds.pool_refunds_retry(now=now)
        refund = PoolRefund.objects.get()
        assert (refund.status, refund.attempts) == (PoolRefund.Status.FAILED, 1)
        refunds.pool_refunds_retry(now=now + timedelta(minutes=2))
        refund.refresh_from_db()
        assert (refund.status, refund.attempts) == (PoolRefund.Status.FAILED, 2)
        assert _operator_mails() == []
        refunds.pool_refunds_retry(now=now + timedelta(minutes=8))

    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == (NEEDS_OPERATOR, 3)
    assert "not answering" in refund.last_error
    assert len(_operator_mails()) == 1


def test_the_retry_task_leaves_refunds_that_need_an_operator(gateway_calls):
    _expired_pool([1000])
    gateway_calls.mode = "down"
    lifecycle.pools_abandoned_refund()
    PoolRefund.objects.update(status=NEEDS_OPERATOR, attempts=3)
    gateway_calls.mode = "real"

    assert refunds.pool_refunds_retry(now=timezone.now() + timedelta(days=365)) == 0

    assert gateway_calls == []
    assert PoolRefund.objects.get().status == NEEDS_OPERATOR


def test_the_admin_lists_them_and_its_retry_puts_them_back_and_makes_them_once(
    operator_client, gateway_calls, django_capture_on_commit_callbacks
):
    pool, [contribution] = _expired_pool([1500])
    gateway_calls.mode = "down"
    lifecycle.pools_abandoned_refund()
    for minutes in (0, 2, 8):
        refunds.pool_refunds_retry(now=timezone.now() + timedelta(minutes=minutes))
    refund = PoolRefund.objects.get()
    assert refund.status == NEEDS_OPERATOR

    listing = operator_client.get("/admin/pools/poolrefund/", {"status__exact": "operator"})
    assert listing.status_code == 200
    assert "Needs an operator" in listing.content.decode()
    assert f"Refund #{refund.pk}" in listing.content.decode()

    # Still down: back to needing an operator, attempts kept, no new email to operators.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            "/admin/pools/poolrefund/",
            {"action": "refunds_retry", "_selected_action": [refund.pk]},
            follow=True,
        )
    assert "still not made" in response.content.decode()
    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == (NEEDS_OPERATOR, 4)
    assert _operator_mails() == []

    gateway_calls.mode = "real"
    response = operator_client.post(
        "/admin/pools/poolrefund/",
        {"action": "refunds_retry", "_selected_action": [refund.pk]},
        follow=True,
    )
    assert "1 refund(s) made." in response.content.decode()
    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == (PoolRefund.Status.DONE, 5)

    # Asked again, directly and from the admin: made once.
    assert refunds.pool_refund_attempt(refund=refund) is True
    operator_client.post(
        "/admin/pools/poolrefund/",
        {"action": "refunds_retry", "_selected_action": [refund.pk]},
    )
    assert Refund.objects.count() == 1
    assert Payment.objects.get(pk=contribution.payment_id).amount_refunded == 1500
    assert len([key for key in gateway_calls if key == refund.idempotency_key]) == 5
    assert Pool.objects.get(pk=pool.pk).state == Pool.State.REFUNDED


def test_the_organiser_reads_that_the_shop_is_on_it(client):
    pool, [gone] = _expired_pool([1000])
    _refunded_elsewhere(gone)
    lifecycle.pools_abandoned_refund()
    refunds.pool_refunds_retry()
    assert PoolRefund.objects.get().status == NEEDS_OPERATOR

    client.force_login(pool.organiser)
    organiser_page = client.get(f"/pools/{pool.token}/").content.decode()
    client.force_login(gone.contributor)
    contributor_page = client.get(f"/pools/{pool.token}/").content.decode()

    assert "(Refund needs attention from the shop: we are on it)" in organiser_page
    assert REFUND_NEEDS_OPERATOR_NOTE not in contributor_page


@pytest.mark.parametrize(
    ("error", "final"),
    [
        (DomainError("no", code=PaymentError.REFUND_TOO_LARGE), True),
        (DomainError("no", code=PaymentError.NOT_REFUNDABLE), True),
        (DomainError("away", code=PaymentError.GATEWAY_UNAVAILABLE), False),
        (
            stripe.InvalidRequestError(
                "Charge ch_1 has already been refunded.",
                param=None,
                code="charge_already_refunded",
                http_status=400,
            ),
            True,
        ),
        (stripe.PermissionError("This key cannot refund.", http_status=403), True),
        (stripe.APIError("Something went wrong on Stripe's end.", http_status=500), False),
        (stripe.RateLimitError("Too many requests.", http_status=429), False),
        (stripe.IdempotencyError("Request in flight.", http_status=409), False),
        (RuntimeError("a bug"), False),
    ],
)
def test_what_counts_as_a_refusal_for_good(error, final):
    assert refunds._refusal_is_final(error) is final
