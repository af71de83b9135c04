"""Two requests racing with one idempotency key or one event id: the row decides, once.

PostgreSQL only: SQLite serialises writers, so there is no race to lose there.
"""

import time

import pytest
from django.db import connection

from shop.payments import services
from shop.payments.gateways.fake import fake_webhook_build
from shop.payments.models import FakeCharge, Payment, WebhookEvent
from tests.concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) row locks"
    ),
]

RACERS = 4


def _race(target) -> list:
    return race(target, racers=RACERS)


def test_same_key_from_racing_requests_calls_the_gateway_once(counting_gateway, monkeypatch):
    real_create = counting_gateway.create_payment

    def slow_create(**kwargs):
        time.sleep(0.2)  # the remote call: long enough for every racer to arrive
        return real_create(**kwargs)

    monkeypatch.setattr(counting_gateway, "create_payment", slow_create)

    results = _race(
        lambda: services.payment_start(
            reference="order:RACE1",
            amount=1000,
            currency="EUR",
            idempotency_key="order:RACE1:attempt:1",
            payment_method="4242 4242 4242 4242",
        )
    )

    assert all(isinstance(result, Payment) for result in results), results
    assert {result.pk for result in results} == {results[0].pk}
    assert {result.status for result in results} == {Payment.Status.SUCCEEDED}
    assert counting_gateway.calls == {"create_payment": 1}
    assert FakeCharge.objects.count() == 1


def test_same_event_delivered_concurrently_is_applied_once():
    payment = services.payment_start(
        reference="order:RACE2",
        amount=1000,
        currency="EUR",
        idempotency_key="order:RACE2:attempt:1",
        payment_method="4000 0025 0000 3155",
    )
    body, headers = fake_webhook_build(
        event_type="payment_intent.succeeded",
        payment_id=payment.gateway_payment_id,
        event_id="evt_race",
    )

    results = _race(lambda: services.webhook_receive(gateway="fake", body=body, headers=headers))

    assert all(isinstance(result, WebhookEvent) for result in results), results
    assert WebhookEvent.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.transitions.count() == 2
