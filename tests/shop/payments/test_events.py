"""payment_succeeded goes through the outbox: written with the transition, heard until done."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from shop.core import outbox
from shop.core.models import OutboxMessage
from shop.payments import events, services
from shop.payments.gateways.fake import fake_webhook_build

pytestmark = pytest.mark.django_db


def _waiting_payment(reference: str = "order:EVENTS1"):
    return services.payment_start(
        reference=reference,
        amount=1500,
        currency="EUR",
        idempotency_key=f"{reference}:attempt:1",
        payment_method="4000 0025 0000 3155",
    )


def _webhook_succeeded(payment, *, event_id: str = "evt_1"):
    body, headers = fake_webhook_build(
        event_type="payment_intent.succeeded",
        payment_id=payment.gateway_payment_id,
        event_id=event_id,
    )
    return services.webhook_receive(gateway="fake", body=body, headers=headers)


def test_a_succeeded_payment_is_written_to_the_outbox_with_its_transition():
    payment = _waiting_payment()

    _webhook_succeeded(payment)  # no on-commit work runs: as if the process died after it

    message = OutboxMessage.objects.get(topic="payment.succeeded")
    assert message.payload == {"payment_id": payment.pk, "reference": "order:EVENTS1"}
    assert message.sent_at is None


def test_a_payment_rolled_back_writes_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.payment_start(
            reference="order:ROLLED",
            amount=1500,
            currency="EUR",
            idempotency_key="order:ROLLED:attempt:1",
            payment_method="4242 4242 4242 4242",
        )
        raise RuntimeError("the caller failed after the charge")

    assert not OutboxMessage.objects.filter(topic="payment.succeeded").exists()


def test_a_receiver_that_fails_hears_the_payment_again_until_it_has_applied_it(
    django_capture_on_commit_callbacks,
):
    heard = []

    def receiver(sender, *, event_id, payment_id, reference, **kwargs):
        heard.append(event_id)
        if len(heard) == 1:
            raise ConnectionError("the order side is down")

    events.payment_succeeded.connect(receiver, weak=False, dispatch_uid="test-flaky")
    payment = _waiting_payment()
    with django_capture_on_commit_callbacks(execute=True):
        _webhook_succeeded(payment)
    message = OutboxMessage.objects.get(topic="payment.succeeded")
    assert (len(heard), message.sent_at) == (1, None)

    outbox.outbox_redeliver(now=timezone.now() + timedelta(minutes=1))

    message.refresh_from_db()
    assert message.sent_at is not None
    assert heard == [message.pk, message.pk]


def test_payments_never_import_orders():
    package = Path(services.__file__).parent
    imported = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)

    assert not {name for name in imported if name.startswith("shop.orders")}
