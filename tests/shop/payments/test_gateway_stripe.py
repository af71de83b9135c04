"""The Stripe gateway against recorded Stripe responses: what localstripe does not show.

The stripe SDK runs for real; only its HTTP client is replaced by one that answers with
responses recorded from Stripe's API (trimmed to the fields the gateway reads, ids kept).
The happy paths run against localstripe in tests/integration/test_stripe_localstripe.py.
"""

import json
import time
from urllib.parse import parse_qs

import pytest
import stripe

from shop.core.errors import DomainError
from shop.payments import services
from shop.payments.errors import PaymentError
from shop.payments.gateways import stripe as stripe_gateway
from shop.payments.gateways.stripe import StripeGateway
from shop.payments.models import Payment, WebhookEvent

pytestmark = pytest.mark.django_db

WEBHOOK_SECRET = "whsec_recorded"

# POST /v1/payment_intents answered by Stripe (test mode) for pm_card_visa, confirm=true,
# expand[]=latest_charge&expand[]=payment_method.
INTENT_SUCCEEDED = {
    "id": "pi_3QHkY2LkdIwHu7ix0Hq1JZ3c",
    "object": "payment_intent",
    "amount": 4990,
    "amount_received": 4990,
    "capture_method": "automatic_async",
    "client_secret": "pi_3QHkY2LkdIwHu7ix0Hq1JZ3c_secret_0l7kVwJxYt4rXyM8Kv1BvJ2nS",
    "currency": "eur",
    "last_payment_error": None,
    "latest_charge": {
        "id": "ch_3QHkY2LkdIwHu7ix0Wm5bN7p",
        "object": "charge",
        "amount": 4990,
        "captured": True,
        "paid": True,
        "payment_intent": "pi_3QHkY2LkdIwHu7ix0Hq1JZ3c",
        "payment_method_details": {"card": {"brand": "visa", "last4": "4242"}, "type": "card"},
        "status": "succeeded",
    },
    "livemode": False,
    "metadata": {"reference": "order:AG7K2M9Q"},
    "next_action": None,
    "payment_method": {
        "id": "pm_1QHkY2LkdIwHu7ixc2Wd0yQm",
        "object": "payment_method",
        "card": {"brand": "visa", "exp_month": 11, "exp_year": 2027, "last4": "4242"},
        "type": "card",
    },
    "payment_method_types": ["card"],
    "status": "succeeded",
}

# HTTP 402 from Stripe for pm_card_visa_chargeDeclined: unlike localstripe, the error carries
# the payment intent itself.
DECLINE_402 = {
    "error": {
        "charge": "ch_3QHkZ8LkdIwHu7ix1s6dPq0A",
        "code": "card_declined",
        "decline_code": "generic_decline",
        "doc_url": "https://stripe.com/docs/error-codes/card-declined",
        "message": "Your card was declined.",
        "payment_intent": {
            "id": "pi_3QHkZ8LkdIwHu7ix1Jx0mB9S",
            "object": "payment_intent",
            "amount": 4990,
            "currency": "eur",
            "last_payment_error": {
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
                "type": "card_error",
            },
            "status": "requires_payment_method",
        },
        "request_log_url": "https://dashboard.stripe.com/test/logs/req_5r1AXUq6VbJ9xN",
        "type": "card_error",
    }
}

# GET /v1/payment_intents/<id> after the card holder failed 3-D Secure.
INTENT_AUTHENTICATION_FAILED = {
    "id": "pi_3QHkaQLkdIwHu7ix1e2W2rWm",
    "object": "payment_intent",
    "amount": 4990,
    "client_secret": "pi_3QHkaQLkdIwHu7ix1e2W2rWm_secret_Xq5",
    "currency": "eur",
    "last_payment_error": {
        "code": "payment_intent_authentication_failure",
        "message": (
            "The provided PaymentMethod has failed authentication. You can provide "
            "payment_method_data or a new PaymentMethod to attempt to fulfill this "
            "PaymentIntent again."
        ),
        "type": "invalid_request_error",
    },
    "latest_charge": None,
    "payment_method": None,
    "status": "requires_payment_method",
}

REFUND = {
    "id": "re_3QHkY2LkdIwHu7ix0c1sT9Pz",
    "object": "refund",
    "amount": 1000,
    "charge": "ch_3QHkY2LkdIwHu7ix0Wm5bN7p",
    "currency": "eur",
    "payment_intent": "pi_3QHkY2LkdIwHu7ix0Hq1JZ3c",
    "status": "succeeded",
}

# A payment_intent.payment_failed event as Stripe posts it (api_version 2024-06-20).
EVENT_PAYMENT_FAILED = {
    "id": "evt_3QHkZ8LkdIwHu7ix1aJ3mGf1",
    "object": "event",
    "api_version": "2024-06-20",
    "created": 1731450000,
    "data": {
        "object": {
            "id": "pi_3QHkZ8LkdIwHu7ix1Jx0mB9S",
            "object": "payment_intent",
            "amount": 4990,
            "currency": "eur",
            "last_payment_error": {
                "code": "card_declined",
                "decline_code": "insufficient_funds",
                "message": "Your card has insufficient funds.",
                "type": "card_error",
            },
            "metadata": {"reference": "order:AG7K2M9Q"},
            "status": "requires_payment_method",
        }
    },
    "livemode": False,
    "pending_webhooks": 1,
    "request": {"id": "req_5r1AXUq6VbJ9xN", "idempotency_key": "order:AG7K2M9Q:attempt:1"},
    "type": "payment_intent.payment_failed",
}


class RecordedStripe(stripe.HTTPClient):
    """Answers the SDK's requests with recorded (status, body) pairs, in order."""

    name = "recorded"

    def __init__(self):
        super().__init__()
        self.responses: list[tuple[int, dict] | Exception] = []
        self.requests: list[dict] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        self.requests.append(
            {
                "method": method,
                "url": url,
                "headers": dict(headers or {}),
                "params": parse_qs(post_data or ""),
            }
        )
        answer = self.responses.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return json.dumps(body), status, {"Request-Id": "req_recorded"}

    def close(self):
        pass


@pytest.fixture
def recorded(settings, monkeypatch) -> RecordedStripe:
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_recorded"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = ""
    http = RecordedStripe()

    def client_for(api_key, api_base, max_network_retries, timeout):
        return stripe.StripeClient(api_key, http_client=http, max_network_retries=0)

    monkeypatch.setattr(stripe_gateway, "_client_for", client_for)
    return http


def _start(card: str = "pm_card_visa") -> Payment:
    return services.payment_start(
        reference="order:AG7K2M9Q",
        amount=4990,
        currency="EUR",
        idempotency_key="order:AG7K2M9Q:attempt:1",
        payment_method=card,
    )


def _signed(payload: dict, *, secret: str = WEBHOOK_SECRET, at: int | None = None):
    body = json.dumps(payload).encode()
    timestamp = int(time.time()) if at is None else at
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body.decode()}", secret)
    return body, {"Stripe-Signature": f"t={timestamp},v1={signature}"}


def test_payment_intent_is_created_confirmed_with_our_key_and_only_known_parameters(recorded):
    recorded.responses.append((200, INTENT_SUCCEEDED))

    payment = _start()

    (sent,) = recorded.requests
    assert sent["url"].endswith("/v1/payment_intents")
    assert sent["headers"]["Idempotency-Key"] == "order:AG7K2M9Q:attempt:1"
    assert sent["params"] == {
        "amount": ["4990"],
        "currency": ["eur"],
        "payment_method": ["pm_card_visa"],
        "payment_method_types[0]": ["card"],
        "confirm": ["true"],
        "metadata[reference]": ["order:AG7K2M9Q"],
        "expand[0]": ["latest_charge"],
        "expand[1]": ["payment_method"],
    }
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.gateway == "stripe"
    assert payment.gateway_payment_id == "pi_3QHkY2LkdIwHu7ix0Hq1JZ3c"
    assert payment.card_last4 == "4242"


# POST /v1/payment_intents without a payment method (for a client to confirm).
INTENT_WAITING = {
    "id": "pi_3QHkb1LkdIwHu7ix0q8fK2Lm",
    "object": "payment_intent",
    "amount": 4990,
    "client_secret": "pi_3QHkb1LkdIwHu7ix0q8fK2Lm_secret_R4nD0m",
    "currency": "eur",
    "last_payment_error": None,
    "latest_charge": None,
    "metadata": {"reference": "order:AG7K2M9Q"},
    "next_action": None,
    "payment_method": None,
    "payment_method_types": ["card"],
    "status": "requires_payment_method",
}


def test_intent_for_a_client_is_created_unconfirmed_with_our_key(recorded):
    recorded.responses.append((200, INTENT_WAITING))

    payment = services.payment_intent_create(
        reference="order:AG7K2M9Q",
        amount=4990,
        currency="EUR",
        idempotency_key="order:AG7K2M9Q:attempt:1",
    )

    (sent,) = recorded.requests
    assert sent["url"].endswith("/v1/payment_intents")
    assert sent["headers"]["Idempotency-Key"] == "order:AG7K2M9Q:attempt:1"
    assert sent["params"] == {
        "amount": ["4990"],
        "currency": ["eur"],
        "payment_method_types[0]": ["card"],
        "metadata[reference]": ["order:AG7K2M9Q"],
        "expand[0]": ["latest_charge"],
        "expand[1]": ["payment_method"],
    }
    assert payment.status == Payment.Status.REQUIRES_PAYMENT_METHOD
    assert payment.client_secret == INTENT_WAITING["client_secret"]
    assert payment.gateway_payment_id == INTENT_WAITING["id"]


def test_refresh_of_an_intent_nobody_confirmed_leaves_it_waiting(recorded):
    payment = Payment.objects.create(
        gateway="stripe",
        gateway_payment_id=INTENT_WAITING["id"],
        reference="order:AG7K2M9Q",
        idempotency_key="order:AG7K2M9Q:attempt:1",
        amount=4990,
        currency="EUR",
    )
    recorded.responses.append((200, INTENT_WAITING))

    payment = services.payment_refresh(payment=payment)

    assert recorded.requests[0]["method"] == "get"
    assert payment.status == Payment.Status.REQUIRES_PAYMENT_METHOD
    assert payment.error_code == ""


def test_stripe_decline_fails_the_payment_with_its_message_and_intent(recorded):
    recorded.responses.append((402, DECLINE_402))

    payment = _start("pm_card_visa_chargeDeclined")

    assert payment.status == Payment.Status.FAILED
    assert payment.error_code == "card_declined"
    assert payment.error_message == "Your card was declined."
    assert payment.gateway_payment_id == "pi_3QHkZ8LkdIwHu7ix1Jx0mB9S"
    assert len(recorded.requests) == 1  # the intent came with the error: no lookup


def test_unreachable_stripe_is_a_clear_error_and_keeps_nothing(recorded):
    recorded.responses.append(stripe.APIConnectionError("Connection refused"))

    with pytest.raises(DomainError) as excinfo:
        _start()

    assert excinfo.value.code == PaymentError.GATEWAY_UNAVAILABLE
    assert not Payment.objects.exists()


def test_card_numbers_are_refused_with_a_live_key_before_calling_stripe(recorded, settings):
    settings.STRIPE_SECRET_KEY = "sk_live_recorded"

    payment = _start("4242 4242 4242 4242")

    assert payment.status == Payment.Status.FAILED
    assert payment.error_code == "card_number_not_accepted"
    assert recorded.requests == []


def test_invalid_card_number_fails_before_calling_stripe(recorded):
    payment = _start("4242 4242 4242 4241")

    assert payment.status == Payment.Status.FAILED
    assert "card number is not valid" in payment.error_message
    assert recorded.requests == []


def test_failed_3d_secure_fails_the_payment_on_confirmation(recorded):
    payment = Payment.objects.create(
        gateway="stripe",
        gateway_payment_id="pi_3QHkaQLkdIwHu7ix1e2W2rWm",
        reference="order:AG7K2M9Q",
        idempotency_key="order:AG7K2M9Q:attempt:1",
        amount=4990,
        currency="EUR",
        status=Payment.Status.REQUIRES_ACTION,
    )
    recorded.responses.append((200, INTENT_AUTHENTICATION_FAILED))

    payment = services.payment_action_confirm(payment=payment)

    assert recorded.requests[0]["method"] == "get"
    assert payment.status == Payment.Status.FAILED
    assert payment.error_code == "payment_intent_authentication_failure"
    assert payment.error_message.startswith("The provided PaymentMethod has failed")


def test_refund_names_the_intent_and_carries_our_key(recorded):
    recorded.responses.append((200, INTENT_SUCCEEDED))
    payment = _start()
    recorded.responses.append((200, REFUND))

    refund = services.payment_refund(payment=payment, amount=1000, idempotency_key="refund:1")

    sent = recorded.requests[-1]
    assert sent["url"].endswith("/v1/refunds")
    assert sent["headers"]["Idempotency-Key"] == "refund:1"
    assert sent["params"] == {
        "payment_intent": ["pi_3QHkY2LkdIwHu7ix0Hq1JZ3c"],
        "amount": ["1000"],
    }
    assert refund.gateway_refund_id == "re_3QHkY2LkdIwHu7ix0c1sT9Pz"


def test_signed_stripe_event_is_verified_and_read(recorded):
    body, headers = _signed(EVENT_PAYMENT_FAILED)

    event = StripeGateway().parse_webhook(body=body, headers=headers)

    assert event.id == "evt_3QHkZ8LkdIwHu7ix1aJ3mGf1"
    assert event.type == "payment_intent.payment_failed"
    assert event.payment_id == "pi_3QHkZ8LkdIwHu7ix1Jx0mB9S"
    assert event.error_message == "Your card has insufficient funds."


@pytest.mark.parametrize(
    "signing",
    [
        {"secret": "whsec_someone_else"},
        {"at": int(time.time()) - 3600},  # replayed an hour later: outside Stripe's tolerance
    ],
)
def test_stripe_event_with_a_wrong_or_stale_signature_is_refused(recorded, signing):
    body, headers = _signed(EVENT_PAYMENT_FAILED, **signing)

    with pytest.raises(DomainError) as excinfo:
        services.webhook_receive(gateway="stripe", body=body, headers=headers)

    assert excinfo.value.code == PaymentError.INVALID_SIGNATURE
    assert not WebhookEvent.objects.exists()


def test_stripe_failed_event_fails_the_payment_it_names(recorded):
    payment = Payment.objects.create(
        gateway="stripe",
        gateway_payment_id="pi_3QHkZ8LkdIwHu7ix1Jx0mB9S",
        reference="order:AG7K2M9Q",
        idempotency_key="order:AG7K2M9Q:attempt:1",
        amount=4990,
        currency="EUR",
        status=Payment.Status.PROCESSING,
    )
    body, headers = _signed(EVENT_PAYMENT_FAILED)

    services.webhook_receive(gateway="stripe", body=body, headers=headers)
    services.webhook_receive(gateway="stripe", body=body, headers=headers)

    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert payment.error_message == "Your card has insufficient funds."
    assert payment.transitions.count() == 1
    assert WebhookEvent.objects.get().event_id == "evt_3QHkZ8LkdIwHu7ix1aJ3mGf1"
