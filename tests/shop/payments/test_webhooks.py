"""Gateway webhooks: stored by id, applied once, never moving a payment backwards."""

import json

import pytest
from django.test import Client

from shop.core.errors import DomainError
from shop.payments import services
from shop.payments.errors import PaymentError
from shop.payments.gateways.fake import fake_webhook_build, fake_webhook_sign
from shop.payments.models import Payment, WebhookEvent
from tests.shop.payments.conftest import WEBHOOK_SECRET

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/webhook/fake"
SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"


def _waiting_payment(reference: str = "order:WEBHOOK1") -> Payment:
    """A payment waiting for the card holder (3-D Secure), as a webhook would find it."""
    return services.payment_start(
        reference=reference,
        amount=1500,
        currency="EUR",
        idempotency_key=f"{reference}:attempt:1",
        payment_method="4000 0025 0000 3155",
    )


def _receive(event_type: str, payment: Payment, *, event_id: str) -> WebhookEvent:
    body, headers = fake_webhook_build(
        event_type=event_type, payment_id=payment.gateway_payment_id, event_id=event_id
    )
    return services.webhook_receive(gateway="fake", body=body, headers=headers)


@pytest.fixture
def csrf_client() -> Client:
    """A client that enforces CSRF like a browser-less caller would meet it."""
    return Client(enforce_csrf_checks=True)


def _post(client: Client, body: bytes, headers: dict[str, str], url: str = URL):
    return client.post(
        url,
        data=body,
        content_type="application/json",
        headers=headers,
    )


def test_succeeded_event_marks_the_payment_succeeded_and_is_stored(
    django_capture_on_commit_callbacks,
):
    payment = _waiting_payment()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stored = _receive(SUCCEEDED, payment, event_id="evt_1")

    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.transitions.last().source == "webhook evt_1"
    assert (stored.gateway, stored.event_id, stored.type) == ("fake", "evt_1", SUCCEEDED)
    assert stored.processed_at is not None
    assert stored.payload["data"]["object"]["id"] == payment.gateway_payment_id
    assert len(callbacks) == 1  # payment_succeeded, on commit


def test_replayed_event_is_applied_once(django_capture_on_commit_callbacks):
    payment = _waiting_payment()
    body, headers = fake_webhook_build(
        event_type=SUCCEEDED, payment_id=payment.gateway_payment_id, event_id="evt_1"
    )
    services.webhook_receive(gateway="fake", body=body, headers=headers)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.webhook_receive(gateway="fake", body=body, headers=headers)

    assert again.event_id == "evt_1"
    assert WebhookEvent.objects.count() == 1
    assert payment.transitions.count() == 2  # requires_action, then succeeded once
    assert callbacks == []


def test_duplicate_event_id_with_another_body_is_not_applied():
    payment = _waiting_payment()
    _receive(SUCCEEDED, payment, event_id="evt_1")

    _receive(FAILED, payment, event_id="evt_1")

    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert WebhookEvent.objects.get().type == SUCCEEDED


def test_failed_event_after_succeeded_changes_nothing():
    payment = _waiting_payment()
    _receive(SUCCEEDED, payment, event_id="evt_1")

    stored = _receive(FAILED, payment, event_id="evt_2")

    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.error_code == ""
    assert stored.processed_at is not None
    assert WebhookEvent.objects.count() == 2


def test_failed_event_fails_a_waiting_payment_with_the_gateways_message():
    payment = _waiting_payment()

    _receive(FAILED, payment, event_id="evt_1")

    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert payment.error_message == "Your card was declined."


def test_succeeded_event_after_failed_records_the_money_taken():
    # Either arrival order ends the same way: the gateway took the money.
    payment = _waiting_payment()
    _receive(FAILED, payment, event_id="evt_1")

    _receive(SUCCEEDED, payment, event_id="evt_2")

    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.error_message == ""


def test_event_for_an_unknown_payment_is_stored_and_changes_nothing():
    payment = _waiting_payment()
    body, headers = fake_webhook_build(
        event_type=SUCCEEDED, payment_id="pi_someone_else", event_id="evt_1"
    )

    stored = services.webhook_receive(gateway="fake", body=body, headers=headers)

    payment.refresh_from_db()
    assert payment.status == Payment.Status.REQUIRES_ACTION
    assert stored.processed_at is not None


def test_event_of_another_type_is_stored_and_ignored():
    payment = _waiting_payment()

    _receive("charge.refunded", payment, event_id="evt_1")

    payment.refresh_from_db()
    assert payment.status == Payment.Status.REQUIRES_ACTION
    assert WebhookEvent.objects.get().type == "charge.refunded"


def test_bad_signature_is_refused_and_nothing_is_stored():
    payment = _waiting_payment()
    body, _ = fake_webhook_build(event_type=SUCCEEDED, payment_id=payment.gateway_payment_id)

    with pytest.raises(DomainError) as excinfo:
        services.webhook_receive(gateway="fake", body=body, headers={"X-Fake-Signature": "0" * 64})

    assert excinfo.value.code == PaymentError.INVALID_SIGNATURE
    assert not WebhookEvent.objects.exists()


# --- the endpoint ------------------------------------------------------------------------------


def test_endpoint_applies_a_signed_event_without_csrf_or_login(csrf_client):
    payment = _waiting_payment()
    body, headers = fake_webhook_build(
        event_type=SUCCEEDED, payment_id=payment.gateway_payment_id, event_id="evt_1"
    )

    response = _post(csrf_client, body, headers)

    assert response.status_code == 200
    assert response.json() == {"received": True}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED


def test_endpoint_acknowledges_a_replay(csrf_client):
    payment = _waiting_payment()
    body, headers = fake_webhook_build(
        event_type=SUCCEEDED, payment_id=payment.gateway_payment_id, event_id="evt_1"
    )
    _post(csrf_client, body, headers)

    response = _post(csrf_client, body, headers)

    assert response.status_code == 200
    assert WebhookEvent.objects.count() == 1
    assert payment.transitions.count() == 2


def test_endpoint_answers_400_naming_a_bad_signature(csrf_client):
    body, _ = fake_webhook_build(event_type=SUCCEEDED, payment_id="pi_1")

    response = _post(csrf_client, body, {"X-Fake-Signature": "forged"})

    assert response.status_code == 400
    (error,) = response.json()["errors"]["signature"]
    assert error["code"] == "invalid_signature"
    assert not WebhookEvent.objects.exists()


def test_endpoint_answers_400_for_a_signed_body_that_is_not_an_event(csrf_client):
    body = b'["not", "an", "event"]'
    headers = {"X-Fake-Signature": fake_webhook_sign(body, WEBHOOK_SECRET)}

    response = _post(csrf_client, body, headers)

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"][0]["code"] == "invalid_payload"


def test_endpoint_answers_400_without_a_signature_header(csrf_client):
    body = json.dumps({"id": "evt_1", "type": SUCCEEDED}).encode()

    response = _post(csrf_client, body, {})

    assert response.status_code == 400
    assert response.json()["errors"]["signature"][0]["code"] == "invalid_signature"


def test_endpoint_answers_404_for_an_unknown_gateway(csrf_client):
    body, headers = fake_webhook_build(event_type=SUCCEEDED, payment_id="pi_1")

    response = _post(csrf_client, body, headers, url="/api/v1/payments/webhook/paypal")

    assert response.status_code == 404
    assert "errors" in response.json()


def test_endpoint_takes_only_post(csrf_client):
    response = csrf_client.get(URL)

    assert response.status_code == 405
