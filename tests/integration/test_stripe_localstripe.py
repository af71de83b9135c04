"""The Stripe gateway with the real stripe SDK against localstripe, a Stripe-compatible server.

One localstripe process serves the whole session (fixtures in tests/localstripe.py, shared
with the browser tests); its data is wiped before each test. What it does
differently from Stripe (/work/shared/notes/localstripe.md) is covered by the recorded
responses of tests/shop/payments/test_gateway_stripe.py: its decline card is
4000 0000 0000 0341, it ignores idempotency keys, it refunds more than was charged, and
3-D Secure is completed through its own /_authenticate endpoint (what its stripe.js does).
"""

import pytest
import stripe

from shop.core.errors import DomainError
from shop.payments import events, services
from shop.payments.errors import PaymentError
from shop.payments.models import Payment, WebhookEvent
from tests.localstripe import (
    card_token_make,
    intent_confirm_as_client,
    webhook_event_wait,
)


@pytest.fixture(autouse=True)
def _payment_events_unheard(monkeypatch):
    """Orders' receivers are tested with orders; here a reference names no order."""
    for signal in (events.payment_succeeded, events.payment_failed):
        monkeypatch.setattr(signal, "receivers", [])
        signal.sender_receivers_cache.clear()


def _start(card: str, *, key: str = "order:LS1:attempt:1", amount: int = 4990) -> Payment:
    return services.payment_start(
        reference="order:LS1",
        amount=amount,
        currency="EUR",
        idempotency_key=key,
        payment_method=card,
    )


def _authenticate(client: stripe.StripeClient, payment: Payment, *, success: bool) -> None:
    """Play the card holder in the 3-D Secure window, as localstripe's stripe.js does."""
    client.raw_request(
        "post",
        f"/v1/payment_intents/{payment.gateway_payment_id}/_authenticate",
        client_secret=payment.client_secret,
        success="true" if success else "false",
    )


@pytest.mark.django_db
def test_card_4242_succeeds(localstripe):
    payment = _start("4242 4242 4242 4242")

    intent = localstripe.v1.payment_intents.retrieve(payment.gateway_payment_id)
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.card_last4 == "4242"
    assert intent.status == "succeeded"
    assert intent.amount == 4990
    assert intent.currency == "eur"
    assert intent.metadata.reference == "order:LS1"


@pytest.mark.django_db
def test_test_payment_method_id_is_used_as_it_is(localstripe):
    payment = _start("pm_card_visa")

    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.card_last4 == "4242"


@pytest.mark.django_db
def test_card_0341_declines_with_a_clear_message(localstripe):
    payment = _start("4000 0000 0000 0341")

    assert payment.status == Payment.Status.FAILED
    assert payment.error_code == "card_declined"
    assert payment.error_message == "Your card was declined."
    intent = localstripe.v1.payment_intents.retrieve(payment.gateway_payment_id)
    assert intent.status == "requires_payment_method"


@pytest.mark.django_db
def test_decline_then_success_with_a_new_attempt(localstripe):
    declined = _start("4000 0000 0000 0341", key="order:LS1:attempt:1")

    paid = _start("4242 4242 4242 4242", key="order:LS1:attempt:2")

    assert declined.status == Payment.Status.FAILED
    assert paid.status == Payment.Status.SUCCEEDED
    assert len(localstripe.v1.payment_intents.list(params={"limit": 100}).data) == 2


@pytest.mark.django_db
def test_invalid_card_number_fails_without_reaching_localstripe(localstripe):
    payment = _start("4242 4242 4242 4241")

    assert payment.status == Payment.Status.FAILED
    assert "card number is not valid" in payment.error_message
    assert localstripe.v1.payment_intents.list(params={"limit": 100}).data == []


@pytest.mark.django_db
def test_card_of_a_stripe_js_token_is_used_as_payment_method(localstripe, localstripe_url):
    # What the pay page posts when Stripe.js tokenised the card: the number stayed there.
    token = card_token_make(localstripe_url, "4242 4242 4242 4242")

    payment = _start(token["card"]["id"])

    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.card_last4 == "4242"
    assert localstripe.v1.payment_intents.retrieve(payment.gateway_payment_id).status == (
        "succeeded"
    )


def _open(key: str = "order:LS1:attempt:1") -> Payment:
    return services.payment_intent_create(
        reference="order:LS1", amount=4990, currency="EUR", idempotency_key=key
    )


@pytest.mark.django_db
def test_intent_for_the_client_waits_for_a_card_with_its_client_secret(localstripe):
    payment = _open()

    again = _open()

    intent = localstripe.v1.payment_intents.retrieve(payment.gateway_payment_id)
    assert payment.status == Payment.Status.REQUIRES_PAYMENT_METHOD
    assert payment.client_secret == intent.client_secret
    assert (intent.status, intent.amount, intent.metadata.reference) == (
        "requires_payment_method",
        4990,
        "order:LS1",
    )
    # localstripe ignores keys: our row alone makes the second call free.
    assert again.pk == payment.pk
    assert len(localstripe.v1.payment_intents.list(params={"limit": 100}).data) == 1


@pytest.mark.django_db
def test_refresh_of_an_intent_nobody_confirmed_yet_keeps_it_waiting(localstripe):
    payment = _open()

    payment = services.payment_refresh(payment=payment)

    assert payment.status == Payment.Status.REQUIRES_PAYMENT_METHOD
    assert payment.error_code == ""
    assert payment.transitions.count() == 0


@pytest.mark.django_db
def test_refresh_after_the_client_confirmed_applies_the_success(localstripe):
    payment = _open()
    intent_confirm_as_client(localstripe, payment.gateway_payment_id, "pm_card_visa")

    payment = services.payment_refresh(payment=payment)
    again = services.payment_refresh(payment=payment)

    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.card_last4 == "4242"
    assert payment.transitions.get().source == "payment_refresh"
    assert again.transitions.count() == 1


@pytest.mark.django_db
def test_refresh_after_a_decline_in_the_client_fails_the_payment(localstripe):
    payment = _open()
    with pytest.raises(stripe.CardError):
        intent_confirm_as_client(
            localstripe, payment.gateway_payment_id, "pm_card_chargeCustomerFail"
        )

    payment = services.payment_refresh(payment=payment)

    assert payment.status == Payment.Status.FAILED
    assert payment.error_code == "card_declined"


def test_localstripe_itself_ignores_idempotency_keys(localstripe):
    # Why the next test matters: here the gateway's key protects nothing.
    for _ in range(2):
        localstripe.v1.payment_intents.create(
            params={"amount": 100, "currency": "eur", "payment_method_types": ["card"]},
            options={"idempotency_key": "order:LS1:attempt:1"},
        )

    assert len(localstripe.v1.payment_intents.list(params={"limit": 100}).data) == 2


@pytest.mark.django_db
def test_same_idempotency_key_twice_makes_one_payment_intent(localstripe):
    first = _start("4242 4242 4242 4242")

    again = _start("4242 4242 4242 4242")

    intents = localstripe.v1.payment_intents.list(params={"limit": 100}).data
    assert again.pk == first.pk
    assert [intent.id for intent in intents] == [first.gateway_payment_id]
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_partial_refund_then_too_large(localstripe):
    payment = _start("4242 4242 4242 4242", amount=5000)

    refund = services.payment_refund(payment=payment, amount=1500, idempotency_key="refund:LS1:1")
    with pytest.raises(DomainError) as excinfo:
        # localstripe would refund this too; our own count refuses it.
        services.payment_refund(payment=payment, amount=4000, idempotency_key="refund:LS1:2")

    payment.refresh_from_db()
    assert payment.amount_refunded == 1500
    assert excinfo.value.code == PaymentError.REFUND_TOO_LARGE
    remote = localstripe.v1.refunds.retrieve(refund.gateway_refund_id)
    assert (remote.amount, remote.payment_intent) == (1500, payment.gateway_payment_id)
    intent = localstripe.v1.payment_intents.retrieve(
        payment.gateway_payment_id, params={"expand": ["latest_charge"]}
    )
    assert intent.latest_charge.amount_refunded == 1500


@pytest.mark.django_db
def test_requires_action_then_confirmed_by_the_card_holder(localstripe):
    payment = _start("4000 0025 0000 3155")
    assert payment.status == Payment.Status.REQUIRES_ACTION
    _authenticate(localstripe, payment, success=True)

    payment = services.payment_action_confirm(payment=payment)

    assert payment.status == Payment.Status.SUCCEEDED


@pytest.mark.django_db
def test_requires_action_then_refused_by_the_card_holder(localstripe):
    payment = _start("4000 0025 0000 3155")
    _authenticate(localstripe, payment, success=False)

    payment = services.payment_action_confirm(payment=payment)

    assert payment.status == Payment.Status.FAILED
    assert payment.error_code == "payment_intent_authentication_failure"


def _wait_for_event(event_type: str, payment: Payment) -> WebhookEvent:
    return webhook_event_wait(event_type, payment_id=payment.gateway_payment_id)


@pytest.mark.django_db(transaction=True)
def test_signed_webhook_settles_a_payment_confirmed_in_the_browser(
    localstripe, webhook_to_live_server
):
    payment = _start("4000 0025 0000 3155")
    # The card holder finishes 3-D Secure; the shop hears of it only through the webhook.
    _authenticate(localstripe, payment, success=True)

    event = _wait_for_event("payment_intent.succeeded", payment)

    payment.refresh_from_db()
    assert event.processed_at is not None
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.transitions.last().source == f"webhook {event.event_id}"


@pytest.mark.django_db(transaction=True)
def test_failed_webhook_after_a_decline_is_stored_and_changes_nothing(
    localstripe, webhook_to_live_server
):
    payment = _start("4000 0000 0000 0341")

    event = _wait_for_event("payment_intent.payment_failed", payment)

    payment.refresh_from_db()
    assert event.processed_at is not None
    assert payment.status == Payment.Status.FAILED
    assert payment.transitions.count() == 1
