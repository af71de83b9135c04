"""Paying contributions through the fake gateway: success, decline, 3-D Secure, the same
attempt never charged twice, and payments that come late (the webhook after the reservation
expired): taken back into the pool when it has room, refunded in full otherwise."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from gifting.pools import contributions, lifecycle, payments, refunds
from gifting.pools.errors import PoolError
from gifting.pools.models import Contribution, Pool, PoolRefund
from gifting.pools.notifications import CONTRIBUTION_KIND
from shop.core.errors import DomainError
from shop.payments import services as payment_services
from shop.payments.gateways.base import EVENT_PAYMENT_FAILED, EVENT_PAYMENT_SUCCEEDED
from shop.payments.gateways.fake import fake_webhook_build
from shop.payments.models import FakeCharge, Payment
from social.notifications.models import Notification
from tests.factories import ACTION_CARD, DECLINED_CARD, GOOD_CARD, UserFactory
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_pools"
    settings.PAYMENT_FAKE_WEBHOOK_SECRET = ""
    settings.SITE_URL = "https://shop.example"


def _webhook(payment: Payment, event_type=EVENT_PAYMENT_SUCCEEDED, *, event_id="evt_1"):
    body, headers = fake_webhook_build(
        event_type=event_type, payment_id=payment.gateway_payment_id, event_id=event_id
    )
    return payment_services.webhook_receive(gateway="fake", body=body, headers=headers)


def _pool(**fields) -> Pool:
    return pool_make(target=fields.pop("target", 5000), **fields)


def _reserve(pool, amount=2000, contributor=None, **fields) -> Contribution:
    if contributor is None and "guest_name" not in fields:
        contributor = UserFactory()
    return contributions.contribution_reserve(
        pool=pool, amount=amount, contributor=contributor, **fields
    )


def _fresh(obj):
    obj.refresh_from_db()
    return obj


# --- paying ----------------------------------------------------------------------------------


def test_a_good_card_pays_the_contribution_and_the_pool_collects_it(
    django_capture_on_commit_callbacks,
):
    pool = _pool()
    ben = UserFactory(first_name="Ben")
    contribution = _reserve(pool, 2000, contributor=ben)

    with django_capture_on_commit_callbacks(execute=True):
        payment = payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)

    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.reference == f"pool-contribution:{contribution.pk}"
    assert payment.idempotency_key == f"pool-contribution:{contribution.pk}:attempt:1"
    assert (payment.amount, payment.currency) == (2000, pool.currency)
    contribution = _fresh(contribution)
    assert contribution.status == Contribution.Status.SUCCEEDED
    assert contribution.payment_id == payment.pk and contribution.payment_attempts == 1
    pool = _fresh(pool)
    assert (pool.collected, pool.reserved, pool.state) == (2000, 0, Pool.State.OPEN)
    told = Notification.objects.get(recipient=pool.organiser, kind=CONTRIBUTION_KIND)
    assert told.actor == ben and told.data["amount"] == "€20.00"
    # The payment.succeeded delivery after the commit finds it applied: nothing twice.
    assert Notification.objects.filter(kind=CONTRIBUTION_KIND).count() == 1


def test_the_last_contribution_funds_the_pool():
    pool = _pool(target=3000)
    first = _reserve(pool, 1000)
    last = _reserve(pool, 2000)

    payments.contribution_pay(contribution=first, payment_method=GOOD_CARD)
    payments.contribution_pay(contribution=last, payment_method=GOOD_CARD)

    pool = _fresh(pool)
    assert (pool.collected, pool.reserved, pool.state) == (3000, 0, Pool.State.FUNDED)


def test_a_declined_card_releases_the_reservation_and_the_person_may_chip_in_again():
    pool = _pool()
    ana = UserFactory()
    contribution = _reserve(pool, 2000, contributor=ana)

    payment = payments.contribution_pay(contribution=contribution, payment_method=DECLINED_CARD)

    assert payment.status == Payment.Status.FAILED and payment.error_message
    assert _fresh(contribution).status == Contribution.Status.RELEASED
    assert _fresh(pool).reserved == 0
    with pytest.raises(DomainError) as error:
        payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
    assert error.value.code == PoolError.NOT_RESERVED
    assert "chip in again" in error.value.message

    again = _reserve(pool, 2000, contributor=ana)
    assert payments.contribution_pay(contribution=again, payment_method=GOOD_CARD).status == (
        Payment.Status.SUCCEEDED
    )
    assert _fresh(pool).collected == 2000


def test_a_guest_pays_is_thanked_by_email_and_the_organiser_reads_their_name(
    django_capture_on_commit_callbacks,
):
    pool = _pool()
    guest = _reserve(pool, 1500, guest_name="Gus", guest_email="gus@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        payments.contribution_pay(contribution=guest, payment_method=GOOD_CARD)

    told = Notification.objects.get(recipient=pool.organiser, kind=CONTRIBUTION_KIND)
    assert told.actor is None and told.data["name"] == "Gus"
    thanks = [m for m in mail.outbox if m.to == ["gus@example.com"]]
    assert len(thanks) == 1 and "Thank you" in thanks[0].subject
    assert "€15.00" in thanks[0].body


def test_paying_an_expired_reservation_is_refused_with_a_clear_message():
    pool = _pool()
    contribution = _reserve(pool)
    Contribution.objects.filter(pk=contribution.pk).update(
        reserved_until=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(DomainError) as error:
        payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)

    assert error.value.code == PoolError.RESERVATION_EXPIRED
    assert "time is over: chip in again" in error.value.message
    assert not Payment.objects.exists()
    assert _fresh(contribution).payment_attempts == 0


def test_paying_twice_is_refused_and_charges_once():
    pool = _pool()
    contribution = _reserve(pool)
    payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)

    with pytest.raises(DomainError) as error:
        payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)

    assert error.value.code == PoolError.NOT_RESERVED and "already paid" in error.value.message
    assert FakeCharge.objects.count() == 1
    assert _fresh(pool).collected == 2000


def test_the_same_attempt_sent_again_is_not_charged_twice():
    pool = _pool()
    contribution = _reserve(pool)
    first = payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)

    again = payment_services.payment_start(
        reference=f"pool-contribution:{contribution.pk}",
        amount=2000,
        currency=pool.currency,
        idempotency_key=f"pool-contribution:{contribution.pk}:attempt:1",
        payment_method=GOOD_CARD,
    )

    assert again.pk == first.pk
    assert FakeCharge.objects.count() == 1
    assert _fresh(pool).collected == 2000


def test_a_step_failing_after_the_charge_rolls_back_and_the_retry_reuses_the_key(monkeypatch):
    pool = _pool()
    contribution = _reserve(pool)
    original = payments.contribution_payment_apply

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(payments, "contribution_payment_apply", broken)
    with pytest.raises(RuntimeError):
        payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
    monkeypatch.setattr(payments, "contribution_payment_apply", original)

    payment = payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)

    assert payment.idempotency_key.endswith(":attempt:1")
    assert Payment.objects.count() == 1 and FakeCharge.objects.count() == 1
    assert _fresh(pool).collected == 2000


def test_a_card_asking_for_3d_secure_stays_reserved_until_confirmed():
    pool = _pool()
    contribution = _reserve(pool)

    waiting = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)

    assert waiting.status == Payment.Status.REQUIRES_ACTION
    assert _fresh(contribution).status == Contribution.Status.RESERVED
    assert _fresh(pool).reserved == 2000
    confirmed = payments.contribution_payment_action_confirm(contribution=contribution)
    assert confirmed.status == Payment.Status.SUCCEEDED
    assert _fresh(contribution).status == Contribution.Status.SUCCEEDED
    assert (_fresh(pool).collected, pool.reserved) == (2000, 0)
    # Confirming again changes nothing.
    payments.contribution_payment_action_confirm(contribution=contribution)
    assert _fresh(pool).collected == 2000


def test_confirming_without_a_payment_waiting_is_refused():
    contribution = _reserve(_pool())

    with pytest.raises(DomainError) as error:
        payments.contribution_payment_action_confirm(contribution=contribution)

    assert error.value.code == PoolError.NO_PAYMENT_TO_CONFIRM


def test_client_confirmation_is_refused_by_the_fake_gateway_and_refresh_needs_a_payment():
    contribution = _reserve(_pool())

    with pytest.raises(DomainError) as error:
        payments.contribution_payment_intent_open(contribution=contribution)
    assert error.value.code == "client_confirmation_unsupported"
    with pytest.raises(DomainError) as error:
        payments.contribution_payment_refresh(contribution=contribution)
    assert error.value.code == PoolError.NO_PAYMENT_TO_CONFIRM
    assert _fresh(contribution).payment_attempts == 0


def test_refresh_applies_a_payment_the_bank_confirmed():
    pool = _pool()
    contribution = _reserve(pool)
    waiting = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)
    FakeCharge.objects.filter(fake_id=waiting.gateway_payment_id).update(status="succeeded")

    payment = payments.contribution_payment_refresh(contribution=contribution)

    assert payment.status == Payment.Status.SUCCEEDED
    assert _fresh(pool).collected == 2000


# --- webhooks and late payments -----------------------------------------------------------------


def test_a_webhook_pays_a_contribution_waiting_at_the_bank_once(
    django_capture_on_commit_callbacks,
):
    pool = _pool()
    contribution = _reserve(pool)
    waiting = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)
    FakeCharge.objects.filter(fake_id=waiting.gateway_payment_id).update(status="succeeded")

    with django_capture_on_commit_callbacks(execute=True):
        _webhook(waiting, event_id="evt_a")
    with django_capture_on_commit_callbacks(execute=True):
        _webhook(waiting, event_id="evt_b")  # another event about the same payment
    payments.contribution_payment_succeeded(payment_id=waiting.pk, reference=waiting.reference)

    assert _fresh(contribution).status == Contribution.Status.SUCCEEDED
    pool = _fresh(pool)
    assert (pool.collected, pool.reserved) == (2000, 0)
    assert Notification.objects.filter(kind=CONTRIBUTION_KIND).count() == 1


def test_a_failed_webhook_releases_the_reservation(django_capture_on_commit_callbacks):
    pool = _pool()
    contribution = _reserve(pool)
    waiting = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)

    with django_capture_on_commit_callbacks(execute=True):
        _webhook(waiting, EVENT_PAYMENT_FAILED)

    assert _fresh(contribution).status == Contribution.Status.RELEASED
    assert _fresh(pool).reserved == 0


def _late(pool, amount=2000):
    """A contribution paid at the bank after its reservation expired and was released."""
    contribution = _reserve(pool, amount)
    waiting = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)
    contributions.contributions_expire(now=timezone.now() + timedelta(hours=1))
    assert _fresh(contribution).status == Contribution.Status.RELEASED
    FakeCharge.objects.filter(fake_id=waiting.gateway_payment_id).update(status="succeeded")
    return contribution, waiting


def test_a_late_payment_is_taken_back_when_the_pool_still_has_room(
    django_capture_on_commit_callbacks,
):
    pool = _pool(target=5000)
    contribution, waiting = _late(pool)

    with django_capture_on_commit_callbacks(execute=True):
        _webhook(waiting)

    assert _fresh(contribution).status == Contribution.Status.SUCCEEDED
    assert _fresh(contribution).payment_id == waiting.pk
    pool = _fresh(pool)
    assert (pool.collected, pool.reserved) == (2000, 0)
    assert not PoolRefund.objects.exists()


def test_a_late_payment_the_pool_has_no_room_for_any_more_is_refunded_in_full(
    django_capture_on_commit_callbacks,
):
    pool = _pool(target=5000)
    contribution, waiting = _late(pool, 2000)
    filler = _reserve(pool, 5000)
    payments.contribution_pay(contribution=filler, payment_method=GOOD_CARD)
    assert _fresh(pool).state == Pool.State.FUNDED

    with django_capture_on_commit_callbacks(execute=True):
        _webhook(waiting)
    # Delivered again (at least once): still one refund.
    payments.contribution_payment_succeeded(payment_id=waiting.pk, reference=waiting.reference)

    refund = PoolRefund.objects.get()
    assert refund.contribution_id == contribution.pk and refund.amount == 2000
    assert refund.status == PoolRefund.Status.DONE  # tried right after the commit
    assert _fresh(waiting).amount_refunded == 2000
    pool = _fresh(pool)
    assert (pool.collected, pool.reserved, pool.state) == (5000, 0, Pool.State.FUNDED)
    contribution = _fresh(contribution)
    assert contribution.status == Contribution.Status.RELEASED
    assert contribution.refunded_amount == 2000


def test_a_late_payment_after_the_pool_was_closed_is_refunded(django_capture_on_commit_callbacks):
    pool = _pool()
    contribution = _reserve(pool)
    waiting = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.pool_close(pool=pool, by=pool.organiser)
    assert _fresh(contribution).status == Contribution.Status.RELEASED
    FakeCharge.objects.filter(fake_id=waiting.gateway_payment_id).update(status="succeeded")

    with django_capture_on_commit_callbacks(execute=True):
        _webhook(waiting)

    assert _fresh(waiting).amount_refunded == 2000
    assert PoolRefund.objects.get().status == PoolRefund.Status.DONE
    assert _fresh(pool).collected == 0


def test_a_second_payment_of_a_paid_contribution_is_given_back():
    pool = _pool()
    contribution = _reserve(pool)
    late = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)
    paid = payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
    late = payment_services.payment_action_confirm(payment=late)  # confirmed at the bank later

    payments.contribution_payment_succeeded(payment_id=late.pk, reference=late.reference)
    payments.contribution_payment_succeeded(payment_id=late.pk, reference=late.reference)

    assert _fresh(late).amount_refunded == late.amount
    assert _fresh(paid).amount_refunded == 0
    assert _fresh(contribution).payment_id == paid.pk
    assert _fresh(pool).collected == 2000


def test_the_reconciliation_applies_a_payment_whose_news_never_came():
    pool = _pool()
    contribution = _reserve(pool)
    waiting = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)
    FakeCharge.objects.filter(fake_id=waiting.gateway_payment_id).update(status="succeeded")
    # The gateway says it succeeded, the outbox row was lost (an old bug): nothing applied it.
    Payment.objects.filter(pk=waiting.pk).update(status=Payment.Status.SUCCEEDED)
    later = timezone.now() + timedelta(minutes=10)

    assert payments.contribution_payments_reconcile(now=later) == 1
    assert payments.contribution_payments_reconcile(now=later) == 0

    assert _fresh(contribution).status == Contribution.Status.SUCCEEDED
    assert _fresh(pool).collected == 2000


def test_payments_of_orders_are_ignored():
    payments.contribution_payment_succeeded(payment_id=1, reference="order:AB12")
    payments.contribution_payment_failed(payment_id=1, reference="order:AB12")
    assert not refunds.PoolRefund.objects.exists()


# --- the organiser's top-up ---------------------------------------------------------------------


def test_the_organiser_tops_up_an_expired_pool_and_it_is_funded():
    pool = _pool(target=5000)
    payments.contribution_pay(contribution=_reserve(pool, 3000), payment_method=GOOD_CARD)
    lifecycle.pools_deadline_pass(now=pool.deadline + timedelta(minutes=1))
    assert _fresh(pool).state == Pool.State.EXPIRED

    top_up = lifecycle.pool_top_up(pool=pool, by=pool.organiser)
    assert lifecycle.pool_top_up(pool=pool, by=pool.organiser).pk == top_up.pk  # asked twice
    payment = payments.contribution_pay(contribution=top_up, payment_method=GOOD_CARD)

    assert payment.status == Payment.Status.SUCCEEDED and payment.amount == 2000
    pool = _fresh(pool)
    assert (pool.collected, pool.state) == (5000, Pool.State.FUNDED)
    assert pool.transitions.last().by == pool.organiser


def test_only_the_organiser_tops_up_and_not_while_someone_pays():
    pool = _pool()
    _reserve(pool, 1000)

    with pytest.raises(DomainError) as not_theirs:
        lifecycle.pool_top_up(pool=pool, by=UserFactory())
    with pytest.raises(DomainError) as busy:
        lifecycle.pool_top_up(pool=pool, by=pool.organiser)

    assert not_theirs.value.code == PoolError.NOT_ORGANISER
    assert busy.value.code == PoolError.PAYMENT_PENDING


def test_an_ordinary_contribution_cannot_be_paid_into_an_expired_pool():
    pool = _pool()
    contribution = _reserve(pool)
    Pool.objects.filter(pk=pool.pk).update(state=Pool.State.EXPIRED)

    with pytest.raises(DomainError) as error:
        payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)

    assert error.value.code == PoolError.POOL_CLOSED
    assert not Payment.objects.exists()


# --- guests' emails -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "context", "subject"),
    [
        ("received", {"amount": "€15.00"}, "Thank you for chipping in for a gift"),
        ("funded", {}, "The pool for a gift is fully funded"),
        ("refunded", {"amount": "€15.00", "refund_id": 1}, "Your contribution for a gift: €15.00"),
    ],
)
def test_each_guest_email_is_sent_once_per_delivery(email, context, subject):
    from gifting.pools.emails import pool_guest_email_send

    guest = _reserve(_pool(), 1500, guest_name="Gus", guest_email="gus@example.com")

    assert pool_guest_email_send(contribution_id=guest.pk, email=email, **context) is True
    assert pool_guest_email_send(contribution_id=guest.pk, email=email, **context) is False

    [sent] = mail.outbox
    assert sent.to == ["gus@example.com"] and sent.subject.startswith(subject)
    assert "Hello Gus" in sent.body and "Hello Gus" in sent.alternatives[0][0]


def test_no_guest_email_for_a_member_or_an_unknown_email():
    from gifting.pools.emails import pool_guest_email_send

    member = _reserve(_pool(), 1500)

    assert pool_guest_email_send(contribution_id=member.pk, email="received", amount="x") is False
    assert pool_guest_email_send(contribution_id=member.pk, email="nonsense") is False
    assert mail.outbox == []


def test_a_payment_confirmed_at_the_bank_after_the_deadline_is_kept_while_reserved():
    pool = _pool()
    contribution = _reserve(pool)
    waiting = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)
    lifecycle.pools_deadline_pass(now=pool.deadline + timedelta(seconds=1))
    assert _fresh(pool).state == Pool.State.EXPIRED

    confirmed = payments.contribution_payment_action_confirm(contribution=contribution)

    assert confirmed.pk == waiting.pk and confirmed.status == Payment.Status.SUCCEEDED
    pool = _fresh(pool)
    assert (pool.collected, pool.reserved, pool.state) == (2000, 0, Pool.State.EXPIRED)
    assert not PoolRefund.objects.exists()


def test_a_late_payment_to_an_expired_pool_after_its_release_is_refunded(
    django_capture_on_commit_callbacks,
):
    pool = _pool()
    contribution, waiting = _late(pool)
    lifecycle.pools_deadline_pass(now=pool.deadline + timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        _webhook(waiting)

    assert _fresh(waiting).amount_refunded == 2000
    assert _fresh(contribution).status == Contribution.Status.RELEASED
    assert _fresh(pool).collected == 0


def test_the_failure_of_an_older_attempt_does_not_release_the_newer_one():
    pool = _pool()
    contribution = _reserve(pool)
    older = payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)
    payments.contribution_pay(contribution=contribution, payment_method=ACTION_CARD)

    payments.contribution_payment_failed(payment_id=older.pk, reference=older.reference)

    assert _fresh(contribution).status == Contribution.Status.RESERVED
    assert _fresh(pool).reserved == 2000
