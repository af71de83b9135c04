"""The local default gateway: Stripe's test cards, no network.

Its ledger is the FakeCharge table, what Stripe keeps on its side: one row per idempotency
key, so the same key twice is answered with the same charge (as Stripe does, and as
localstripe does not). It lives in our database, so a transaction that rolls back takes the
fake charge with it: the fake never remembers a charge our own tables forgot.

Cards (spaces allowed), as in Stripe's test mode:
  4242 4242 4242 4242 (and any other valid number)  succeeds
  4000 0000 0000 0002, 4000 0000 0000 0341          declined, "Your card was declined."
  4000 0025 0000 3155, 4000 0027 6000 3184          asks the card holder to confirm (3-D Secure)
  anything not 13-19 digits passing Luhn            FAILED, "This card number is not valid..."
Stripe's test payment methods (pm_card_visa, ...) stand for their cards.

Webhooks are Stripe-shaped JSON signed with an HMAC-SHA256 of the body (hex) in the
X-Fake-Signature header, under settings.PAYMENT_FAKE_WEBHOOK_SECRET or, when that is not
set, settings.STRIPE_WEBHOOK_SECRET. With neither set every webhook is refused: a forged
"succeeded" event must never mark a payment paid.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping

from django.conf import settings
from django.db.models import F

from shop.core.errors import DomainError
from shop.payments.errors import PaymentError
from shop.payments.gateways.base import (
    EVENT_PAYMENT_FAILED,
    GatewayEvent,
    GatewayPayment,
    GatewayRefund,
    event_from_body,
    header_get,
    invalid_signature,
    refund_too_large,
)
from shop.payments.gateways.cards import (
    INVALID_NUMBER_CODE,
    INVALID_NUMBER_MESSAGE,
    card_number_normalize,
)
from shop.payments.models import FakeCharge, Payment

SIGNATURE_HEADER = "X-Fake-Signature"

DECLINED_CARDS = frozenset({"4000000000000002", "4000000000000341"})
ACTION_CARDS = frozenset({"4000002500003155", "4000002760003184"})
TEST_PAYMENT_METHODS = {
    "pm_card_visa": "4242424242424242",
    "pm_card_visa_chargeDeclined": "4000000000000002",
    "pm_card_chargeCustomerFail": "4000000000000341",
    "pm_card_authenticationRequired": "4000002500003155",
}
DECLINE_CODE = "card_declined"
DECLINE_MESSAGE = "Your card was declined."

_CHARGE_STATUS = {
    "succeeded": Payment.Status.SUCCEEDED,
    "requires_action": Payment.Status.REQUIRES_ACTION,
    "failed": Payment.Status.FAILED,
}


class FakeGateway:
    name = "fake"

    def create_payment(
        self,
        *,
        amount: int,
        currency: str,
        reference: str,
        idempotency_key: str,
        payment_method: str,
    ) -> GatewayPayment:
        number = card_number_normalize(TEST_PAYMENT_METHODS.get(payment_method, payment_method))
        if number is None:
            # Stripe refuses such a number before any payment exists: no ledger row either.
            return GatewayPayment(
                id="",
                status=Payment.Status.FAILED,
                amount=amount,
                error_code=INVALID_NUMBER_CODE,
                error_message=INVALID_NUMBER_MESSAGE,
            )
        if number in DECLINED_CARDS:
            status = "failed"
        elif number in ACTION_CARDS:
            status = "requires_action"
        else:
            status = "succeeded"
        charge, _ = FakeCharge.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "fake_id": f"pi_fake_{secrets.token_hex(12)}",
                "amount": amount,
                "currency": currency.upper(),
                "status": status,
                "card_last4": number[-4:],
            },
        )
        return _payment_from_charge(charge)

    def confirm(self, *, payment: Payment) -> GatewayPayment:
        """The card holder confirmed: a charge waiting for them succeeds."""
        FakeCharge.objects.filter(
            fake_id=payment.gateway_payment_id, status="requires_action"
        ).update(status="succeeded")
        return _payment_from_charge(FakeCharge.objects.get(fake_id=payment.gateway_payment_id))

    def create_intent(
        self, *, amount: int, currency: str, reference: str, idempotency_key: str
    ) -> GatewayPayment:
        """Refuse: no client can confirm a fake payment (cards are posted to order_pay)."""
        raise DomainError(
            "The fake gateway takes card numbers directly; there is no client secret to "
            "confirm a payment with.",
            code=PaymentError.CLIENT_CONFIRMATION_UNSUPPORTED,
            field="gateway",
        )

    def retrieve(self, *, payment: Payment) -> GatewayPayment:
        """Answer where the fake charge stands, changing nothing."""
        return _payment_from_charge(FakeCharge.objects.get(fake_id=payment.gateway_payment_id))

    def capture(
        self, *, payment: Payment, idempotency_key: str, amount: int | None = None
    ) -> GatewayPayment:
        """Fake charges are captured when they succeed: answer where the charge stands."""
        return _payment_from_charge(FakeCharge.objects.get(fake_id=payment.gateway_payment_id))

    def refund(self, *, payment: Payment, amount: int, idempotency_key: str) -> GatewayRefund:
        # Conditional UPDATE: the ledger never gives back more than was charged.
        updated = FakeCharge.objects.filter(
            fake_id=payment.gateway_payment_id,
            status="succeeded",
            amount_refunded__lte=F("amount") - amount,
        ).update(amount_refunded=F("amount_refunded") + amount)
        if not updated:
            raise refund_too_large()
        return GatewayRefund(id=f"re_fake_{secrets.token_hex(12)}", amount=amount)

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> GatewayEvent:
        secret = _webhook_secret()
        if not secret:
            raise _no_secret()
        signature = header_get(headers, SIGNATURE_HEADER)
        if not signature or not hmac.compare_digest(signature, fake_webhook_sign(body, secret)):
            raise invalid_signature()
        return event_from_body(body)


def _payment_from_charge(charge: FakeCharge) -> GatewayPayment:
    failed = charge.status == "failed"
    return GatewayPayment(
        id=charge.fake_id,
        status=_CHARGE_STATUS[charge.status],
        amount=charge.amount,
        error_code=DECLINE_CODE if failed else "",
        error_message=DECLINE_MESSAGE if failed else "",
        client_secret=f"{charge.fake_id}_secret",
        card_last4=charge.card_last4,
    )


def _webhook_secret() -> str:
    return getattr(settings, "PAYMENT_FAKE_WEBHOOK_SECRET", "") or settings.STRIPE_WEBHOOK_SECRET


def _no_secret() -> DomainError:
    return invalid_signature("No webhook secret is configured for the fake gateway.")


def fake_webhook_sign(body: bytes, secret: str) -> str:
    """Return the X-Fake-Signature value of `body`: hex HMAC-SHA256 under `secret`."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def fake_webhook_build(
    *,
    event_type: str,
    payment_id: str,
    event_id: str | None = None,
    status: str = "",
) -> tuple[bytes, dict[str, str]]:
    """Return the body and headers of a signed fake event, as the fake "gateway" would send it.

    For local development and tests: the fake gateway has no server to send webhooks.
    """
    secret = _webhook_secret()
    if not secret:
        raise _no_secret()
    failed = event_type == EVENT_PAYMENT_FAILED
    obj = {
        "id": payment_id,
        "object": "payment_intent",
        "status": status or ("requires_payment_method" if failed else "succeeded"),
        "last_payment_error": (
            {"code": DECLINE_CODE, "message": DECLINE_MESSAGE} if failed else None
        ),
    }
    payload = {
        "id": event_id or f"evt_fake_{secrets.token_hex(12)}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": obj},
    }
    body = json.dumps(payload).encode()
    return body, {SIGNATURE_HEADER: fake_webhook_sign(body, secret)}
