"""The fake gateway behaves like Stripe's test cards, keeps a ledger and signs webhooks."""

import json

import pytest

from shop.core.errors import DomainError
from shop.payments.errors import PaymentError
from shop.payments.gateways import gateway_get
from shop.payments.gateways.cards import card_number_normalize
from shop.payments.gateways.fake import FakeGateway, fake_webhook_build
from shop.payments.models import FakeCharge, Payment

pytestmark = pytest.mark.django_db


def _pay(card: str, *, key: str = "order:T1:attempt:1", amount: int = 2500):
    return FakeGateway().create_payment(
        amount=amount,
        currency="EUR",
        reference="order:T1",
        idempotency_key=key,
        payment_method=card,
    )


def test_gateway_get_follows_the_setting_at_call_time(settings):
    settings.PAYMENT_GATEWAY = "stripe"
    assert gateway_get().name == "stripe"

    settings.PAYMENT_GATEWAY = "fake"
    assert gateway_get().name == "fake"


def test_gateway_get_refuses_an_unknown_name():
    with pytest.raises(DomainError) as excinfo:
        gateway_get("paypal")

    assert excinfo.value.code == PaymentError.UNKNOWN_GATEWAY


def test_card_4242_succeeds_and_keeps_its_last_four_digits():
    answer = _pay("4242 4242 4242 4242")

    assert answer.status == Payment.Status.SUCCEEDED
    assert answer.card_last4 == "4242"
    assert answer.id.startswith("pi_fake_")
    assert FakeCharge.objects.get().status == "succeeded"


@pytest.mark.parametrize("card", ["4000 0000 0000 0002", "4000000000000341"])
def test_decline_cards_fail_with_stripes_message(card):
    answer = _pay(card)

    assert answer.status == Payment.Status.FAILED
    assert answer.error_code == "card_declined"
    assert answer.error_message == "Your card was declined."


def test_card_3155_waits_for_the_card_holder_until_confirmed():
    answer = _pay("4000 0025 0000 3155")
    payment = Payment(gateway="fake", gateway_payment_id=answer.id)

    confirmed = FakeGateway().confirm(payment=payment)

    assert answer.status == Payment.Status.REQUIRES_ACTION
    assert answer.client_secret
    assert confirmed.status == Payment.Status.SUCCEEDED


def test_retrieve_answers_where_a_charge_stands_without_confirming_it():
    answer = _pay("4000 0025 0000 3155")
    payment = Payment(gateway="fake", gateway_payment_id=answer.id)

    read = FakeGateway().retrieve(payment=payment)

    assert read.status == Payment.Status.REQUIRES_ACTION
    assert FakeCharge.objects.get(fake_id=answer.id).status == "requires_action"


def test_no_client_confirms_a_fake_payment():
    with pytest.raises(DomainError) as excinfo:
        FakeGateway().create_intent(
            amount=2500, currency="EUR", reference="order:T1", idempotency_key="order:T1:attempt:1"
        )

    assert excinfo.value.code == PaymentError.CLIENT_CONFIRMATION_UNSUPPORTED
    assert not FakeCharge.objects.exists()


@pytest.mark.parametrize(
    "card",
    ["4242 4242 4242 4241", "1234", "4242-4242-4242-4242-4242", "abcd efgh ijkl mnop", ""],
)
def test_invalid_card_numbers_fail_clearly_without_a_charge(card):
    answer = _pay(card)

    assert answer.status == Payment.Status.FAILED
    assert answer.error_code == "invalid_number"
    assert "card number is not valid" in answer.error_message
    assert not FakeCharge.objects.exists()


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("4242 4242 4242 4242", "4242424242424242"),
        ("4242-4242-4242-4242", "4242424242424242"),
        ("378282246310005", "378282246310005"),  # 15-digit American Express test card
        ("4242424242424241", None),  # Luhn fails
        ("424242424242", None),  # 12 digits
        ("٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢", None),  # Arabic-Indic digits are not card digits
    ],
)
def test_card_number_normalize(raw, digits):
    assert card_number_normalize(raw) == digits


def test_same_idempotency_key_returns_the_same_charge():
    first = _pay("4242424242424242", key="k-1")
    again = _pay("4000000000000002", key="k-1")

    assert again == first
    assert FakeCharge.objects.count() == 1


def test_refund_beyond_the_charge_is_refused_by_the_ledger():
    answer = _pay("4242424242424242", amount=1000)
    payment = Payment(gateway="fake", gateway_payment_id=answer.id)
    FakeGateway().refund(payment=payment, amount=600, idempotency_key="r-1")

    with pytest.raises(DomainError) as excinfo:
        FakeGateway().refund(payment=payment, amount=500, idempotency_key="r-2")

    assert excinfo.value.code == PaymentError.REFUND_TOO_LARGE
    assert FakeCharge.objects.get().amount_refunded == 600


def test_webhook_signed_with_the_secret_is_read():
    body, headers = fake_webhook_build(
        event_type="payment_intent.succeeded", payment_id="pi_fake_1", event_id="evt_1"
    )

    lower_case = {"x-fake-signature": headers["X-Fake-Signature"]}

    event = FakeGateway().parse_webhook(body=body, headers=lower_case)

    assert event.id == "evt_1"
    assert event.type == "payment_intent.succeeded"
    assert event.payment_id == "pi_fake_1"


def test_webhook_with_a_tampered_body_is_refused():
    body, headers = fake_webhook_build(event_type="payment_intent.succeeded", payment_id="pi_1")
    tampered = body.replace(b"pi_1", b"pi_2")

    with pytest.raises(DomainError) as excinfo:
        FakeGateway().parse_webhook(body=tampered, headers=headers)

    assert excinfo.value.code == PaymentError.INVALID_SIGNATURE


def test_webhooks_are_refused_when_no_secret_is_configured(settings):
    body = json.dumps({"id": "evt_1", "type": "payment_intent.succeeded"}).encode()
    settings.STRIPE_WEBHOOK_SECRET = ""

    with pytest.raises(DomainError) as excinfo:
        FakeGateway().parse_webhook(body=body, headers={"X-Fake-Signature": ""})

    assert excinfo.value.code == PaymentError.INVALID_SIGNATURE


def test_the_fake_secret_setting_wins_over_stripes(settings):
    settings.PAYMENT_FAKE_WEBHOOK_SECRET = "fake-secret"
    body, headers = fake_webhook_build(event_type="payment_intent.succeeded", payment_id="pi_1")
    settings.PAYMENT_FAKE_WEBHOOK_SECRET = ""

    with pytest.raises(DomainError):
        FakeGateway().parse_webhook(body=body, headers=headers)
