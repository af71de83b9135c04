"""The one interface every payment gateway implements, and the answers it gives.

A gateway knows amounts, currencies, references and idempotency keys; it never touches our
Payment rows (shop.payments.services does, under a row lock). Every mutating call carries an
idempotency key derived by the caller from what is paid and the attempt number, so a retry
of the same attempt is answered with the same gateway object instead of a second charge.

Statuses are Payment.Status values. A decline is an answer (FAILED with error_code and
error_message), not an exception; only a gateway that cannot be reached raises
GatewayUnavailable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from shop.core.errors import DomainError
from shop.payments.errors import PaymentError

if TYPE_CHECKING:
    from shop.payments.models import Payment

# The event types services act on; every gateway reports its events under these names
# (Stripe's own, which the fake gateway copies).
EVENT_PAYMENT_SUCCEEDED = "payment_intent.succeeded"
EVENT_PAYMENT_FAILED = "payment_intent.payment_failed"


class GatewayUnavailable(Exception):
    """The gateway did not answer (network, timeout, its own 5xx): nothing is known."""


@dataclass(frozen=True)
class GatewayPayment:
    id: str  # the gateway's id ("pi_..."); "" when it never created one (invalid card)
    status: str  # a Payment.Status value
    amount: int
    error_code: str = ""
    error_message: str = ""
    client_secret: str = ""
    card_last4: str = ""


@dataclass(frozen=True)
class GatewayRefund:
    id: str
    amount: int
    status: str = "succeeded"


@dataclass(frozen=True)
class GatewayEvent:
    id: str
    type: str
    payment_id: str  # the gateway payment the event is about ("" when it names none)
    data: dict[str, Any] = field(default_factory=dict)  # the event's object
    error_code: str = ""
    error_message: str = ""


class PaymentGateway(Protocol):
    name: str

    def create_payment(
        self,
        *,
        amount: int,
        currency: str,
        reference: str,
        idempotency_key: str,
        payment_method: str,
    ) -> GatewayPayment:
        """Create and confirm a payment in one call."""

    def confirm(self, *, payment: Payment) -> GatewayPayment:
        """Return where a payment stands after the card holder's confirmation (3-D Secure)."""

    def create_intent(
        self, *, amount: int, currency: str, reference: str, idempotency_key: str
    ) -> GatewayPayment:
        """Create a payment that the client confirms itself (Stripe.js, a mobile SDK) with
        the answer's client_secret: no payment method yet, REQUIRES_PAYMENT_METHOD.

        Raises DomainError CLIENT_CONFIRMATION_UNSUPPORTED from a gateway without clients.
        """

    def retrieve(self, *, payment: Payment) -> GatewayPayment:
        """Return where a payment stands at the gateway now, changing nothing there."""

    def capture(
        self, *, payment: Payment, idempotency_key: str, amount: int | None = None
    ) -> GatewayPayment:
        """Capture an authorised payment (manual capture), all of it unless `amount`."""

    def refund(self, *, payment: Payment, amount: int, idempotency_key: str) -> GatewayRefund:
        """Give `amount` back; raises DomainError REFUND_TOO_LARGE if the gateway refuses."""

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> GatewayEvent:
        """Verify a webhook's signature and read it; raises DomainError INVALID_SIGNATURE."""


def header_get(headers: Mapping[str, str], name: str) -> str:
    """Return a header by name, whatever the case the mapping uses ("" when absent)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return ""


def invalid_signature(message: str = "The webhook signature is not valid.") -> DomainError:
    return DomainError(message, code=PaymentError.INVALID_SIGNATURE, field="signature")


def invalid_payload(message: str = "The webhook body is not a valid event.") -> DomainError:
    return DomainError(message, code=PaymentError.INVALID_PAYLOAD)


def refund_too_large() -> DomainError:
    return DomainError(
        "That is more than is left to refund on this payment.",
        code=PaymentError.REFUND_TOO_LARGE,
        field="amount",
    )


def event_from_body(body: bytes) -> GatewayEvent:
    """Read a Stripe-shaped event ({"id", "type", "data": {"object": {...}}}) from JSON.

    Call only once the signature has been verified. Raises DomainError INVALID_PAYLOAD.
    """
    try:
        payload = json.loads(body)
    except (TypeError, ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: a body nested ~1000 levels deep overflows the decoder.
        raise invalid_payload() from None
    if not isinstance(payload, dict):
        raise invalid_payload()
    event_id, event_type = payload.get("id"), payload.get("type")
    data = payload.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not (isinstance(event_id, str) and event_id and isinstance(event_type, str)):
        raise invalid_payload("The webhook event has no id or type.")
    if not isinstance(obj, dict):
        raise invalid_payload("The webhook event has no object.")
    if obj.get("object") == "payment_intent":
        payment_id = obj.get("id")
    else:  # e.g. a charge: it names its payment intent
        payment_id = obj.get("payment_intent")
    error = obj.get("last_payment_error")
    error = error if isinstance(error, dict) else {}
    return GatewayEvent(
        id=event_id[:255],
        type=event_type[:100],
        payment_id=payment_id if isinstance(payment_id, str) else "",
        data=obj,
        error_code=str(error.get("code") or "")[:100],
        error_message=str(error.get("message") or "")[:500],
    )
