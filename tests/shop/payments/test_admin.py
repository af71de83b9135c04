"""Payments in admin: the operator can look everything up and change nothing."""

import pytest

from shop.payments import services
from shop.payments.gateways.fake import fake_webhook_build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def payment():
    payment = services.payment_start(
        reference="order:ADMIN1",
        amount=4990,
        currency="EUR",
        idempotency_key="order:ADMIN1:attempt:1",
        payment_method="4242 4242 4242 4242",
    )
    services.payment_refund(payment=payment, amount=990, idempotency_key="refund:ADMIN1:1")
    return payment


def test_payment_list_shows_reference_amount_and_status(operator_client, payment):
    response = operator_client.get("/admin/payments/payment/")

    assert response.status_code == 200
    assert "order:ADMIN1" in response.text
    assert "€49.90" in response.text
    assert "Add payment" not in response.text


def test_payment_search_finds_by_gateway_id(operator_client, payment):
    response = operator_client.get("/admin/payments/payment/", {"q": payment.gateway_payment_id})

    assert "order:ADMIN1" in response.text


def test_payment_page_shows_transitions_and_refunds_read_only(operator_client, payment):
    response = operator_client.get(f"/admin/payments/payment/{payment.pk}/change/")

    assert response.status_code == 200
    assert "payment_start" in response.text
    assert "refund:ADMIN1:1" in response.text
    assert 'name="_save"' not in response.text


def test_payment_cannot_be_added_or_deleted(operator_client, payment):
    assert operator_client.get("/admin/payments/payment/add/").status_code == 403
    delete_url = f"/admin/payments/payment/{payment.pk}/delete/"
    assert operator_client.post(delete_url, {"post": "yes"}).status_code == 403


def test_webhook_events_are_listed_read_only(operator_client, payment):
    body, headers = fake_webhook_build(
        event_type="payment_intent.succeeded",
        payment_id=payment.gateway_payment_id,
        event_id="evt_admin_1",
    )
    event = services.webhook_receive(gateway="fake", body=body, headers=headers)

    listing = operator_client.get("/admin/payments/webhookevent/")
    detail = operator_client.get(f"/admin/payments/webhookevent/{event.pk}/change/")

    assert "evt_admin_1" in listing.text
    assert detail.status_code == 200
    assert payment.gateway_payment_id in detail.text
    assert 'name="_save"' not in detail.text


def test_staff_without_permission_cannot_see_payments(client, payment):
    client.force_login(UserFactory(username="staff", is_staff=True))

    response = client.get("/admin/payments/payment/")

    assert response.status_code == 403


def test_payment_history_names_statuses_and_refunds_in_euros(operator_client, payment):
    response = operator_client.get(f"/admin/payments/payment/{payment.pk}/change/")

    transitions = response.text.split('id="transitions-group"')[1].split('id="refunds-group"')[0]
    assert "Succeeded" in transitions
    assert "succeeded" not in transitions and "requires_payment_method" not in transitions
    refunds = response.text.split('id="refunds-group"')[1]
    assert "€9.90" in refunds
