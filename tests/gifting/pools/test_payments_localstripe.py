"""A contribution paid through Stripe (localstripe) and refunded through it: the card posted to
contribution_pay, and Stripe Elements (the client confirms the intent, refresh applies it).
Skipped where localstripe cannot start, as the orders' Stripe tests are."""

import pytest

from gifting.pools import contributions, lifecycle, payments, refunds
from gifting.pools.models import Contribution, Pool, PoolRefund
from shop.payments.models import Payment
from tests.factories import UserFactory
from tests.gifting.pools.helpers import pool_make
from tests.localstripe import card_token_make, intent_confirm_as_client

pytestmark = pytest.mark.django_db


def _reserve(pool, amount):
    return contributions.contribution_reserve(pool=pool, amount=amount, contributor=UserFactory())


def test_a_contribution_paid_with_stripe_is_refunded_through_stripe(localstripe, localstripe_url):
    pool = pool_make(target=5000)
    contribution = _reserve(pool, 2000)
    card = card_token_make(localstripe_url, "4242 4242 4242 4242")["card"]["id"]

    payment = payments.contribution_pay(contribution=contribution, payment_method=card)

    assert payment.gateway == "stripe" and payment.status == Payment.Status.SUCCEEDED
    intent = localstripe.v1.payment_intents.retrieve(payment.gateway_payment_id)
    assert (intent.status, intent.amount) == ("succeeded", 2000)
    assert Pool.objects.get(pk=pool.pk).collected == 2000

    lifecycle.pool_close(pool=pool, by=pool.organiser)
    assert refunds.pool_refunds_retry() == 1
    assert refunds.pool_refunds_retry() == 0  # run twice: refunded once

    refund = PoolRefund.objects.get()
    assert refund.status == PoolRefund.Status.DONE
    remote = localstripe.v1.refunds.retrieve(refund.refund.gateway_refund_id)
    assert (remote.amount, remote.payment_intent) == (2000, payment.gateway_payment_id)
    assert len(localstripe.v1.refunds.list(params={"limit": 100}).data) == 1
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.REFUNDED
    assert Pool.objects.get(pk=pool.pk).state == Pool.State.REFUNDED


def test_a_contribution_confirmed_by_stripe_elements_is_applied_by_refresh(localstripe):
    pool = pool_make(target=5000)
    contribution = _reserve(pool, 1500)

    opened = payments.contribution_payment_intent_open(contribution=contribution)
    again = payments.contribution_payment_intent_open(contribution=contribution)
    assert again.pk == opened.pk and opened.client_secret
    intent_confirm_as_client(localstripe, opened.gateway_payment_id, "pm_card_visa")

    payment = payments.contribution_payment_refresh(contribution=contribution)

    assert payment.status == Payment.Status.SUCCEEDED
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.SUCCEEDED
    assert contribution.payment_attempts == 1
    assert Pool.objects.get(pk=pool.pk).collected == 1500
