"""Every write to payments: start, confirm, refund, and the gateways' webhooks.

A payment moves only through the named transitions below, each recorded as a
PaymentTransition (from, to, source) while the payment's row is locked:

    requires_payment_method → requires_action | processing | succeeded | failed | canceled
    requires_action         → processing | succeeded | failed | canceled
    processing              → succeeded | failed | canceled
    failed                  → succeeded   (the gateway reports the money was taken after all)
    succeeded, canceled     → nothing     (refunds are counted in amount_refunded)

Idempotency never relies on the gateway (localstripe ignores keys): the caller's key is
unique in our Payment and Refund tables, the row is inserted and locked before the gateway
is called, and the same key again finds the row instead of calling the gateway again.
Webhook events are stored by (gateway, event id) in the transaction that applies them, so
each is applied once; a replay, or an event arriving after a later one, changes nothing.
Reaching SUCCEEDED writes a "payment.succeeded" outbox row in that same transaction
(shop.core.outbox), so what was paid (an order) always hears of it, at least once.
"""

import json
import logging
from collections.abc import Callable, Mapping
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shop.core.errors import DomainError
from shop.core.outbox import outbox_record
from shop.payments import events, gateways
from shop.payments.errors import PaymentError
from shop.payments.gateways.base import (
    EVENT_PAYMENT_FAILED,
    EVENT_PAYMENT_SUCCEEDED,
    GatewayEvent,
    GatewayPayment,
    GatewayUnavailable,
    refund_too_large,
)
from shop.payments.models import Payment, PaymentTransition, Refund, WebhookEvent

logger = logging.getLogger(__name__)

Status = Payment.Status

_NEXT: dict[str, frozenset[str]] = {
    Status.REQUIRES_PAYMENT_METHOD: frozenset(
        {
            Status.REQUIRES_ACTION,
            Status.PROCESSING,
            Status.SUCCEEDED,
            Status.FAILED,
            Status.CANCELED,
        }
    ),
    Status.REQUIRES_ACTION: frozenset(
        {Status.PROCESSING, Status.SUCCEEDED, Status.FAILED, Status.CANCELED}
    ),
    Status.PROCESSING: frozenset({Status.SUCCEEDED, Status.FAILED, Status.CANCELED}),
    Status.FAILED: frozenset({Status.SUCCEEDED}),
    Status.SUCCEEDED: frozenset(),
    Status.CANCELED: frozenset(),
}
FINAL_STATUSES = frozenset({Status.SUCCEEDED, Status.FAILED, Status.CANCELED})


# --- transitions (the payment's row is locked by the caller) -----------------------------------


def payment_can_move(*, payment: Payment, to: str) -> bool:
    """Whether the state machine allows `payment` to move to `to` (never to where it is)."""
    return to in _NEXT[payment.status]


def _payment_transition(*, payment: Payment, to: str, source: str) -> None:
    """Record the move and set the status; raises ILLEGAL_TRANSITION when it is not allowed."""
    if not payment_can_move(payment=payment, to=to):
        raise DomainError(
            f"A payment that is {payment.get_status_display().lower()} cannot become "
            f"{Status(to).label.lower()}.",
            code=PaymentError.ILLEGAL_TRANSITION,
        )
    PaymentTransition.objects.create(
        payment=payment, from_status=payment.status, to_status=to, source=source[:50]
    )
    payment.status = to


def _payment_succeed(*, payment: Payment, source: str) -> None:
    _payment_transition(payment=payment, to=Status.SUCCEEDED, source=source)
    payment.error_code = payment.error_message = ""
    payment.save()
    # In the outbox, in this transaction: receivers (orders, gift pools) never act on a
    # payment that was rolled back, and always learn of one that committed, even if the
    # process dies right after the commit or a receiver fails (beat delivers it again).
    outbox_record(
        topic="payment.succeeded",
        payload={"payment_id": payment.pk, "reference": payment.reference},
    )


def _payment_fail(*, payment: Payment, source: str, error_code: str, error_message: str) -> None:
    _payment_transition(payment=payment, to=Status.FAILED, source=source)
    payment.error_code = (error_code or "payment_failed")[:100]
    payment.error_message = (error_message or "The payment did not go through.")[:500]
    payment.save()
    transaction.on_commit(
        partial(
            events.payment_failed.send_robust,
            sender=Payment,
            payment_id=payment.pk,
            reference=payment.reference,
        )
    )


def _payment_action_require(*, payment: Payment, source: str) -> None:
    _payment_transition(payment=payment, to=Status.REQUIRES_ACTION, source=source)
    payment.save()


def _payment_processing_start(*, payment: Payment, source: str) -> None:
    _payment_transition(payment=payment, to=Status.PROCESSING, source=source)
    payment.save()


def _payment_cancel(*, payment: Payment, source: str) -> None:
    _payment_transition(payment=payment, to=Status.CANCELED, source=source)
    payment.save()


def _payment_result_apply(*, payment: Payment, result: GatewayPayment, source: str) -> None:
    """Store what the gateway answered and move the payment to the status it reported."""
    if result.id and not payment.gateway_payment_id:
        payment.gateway_payment_id = result.id
    payment.client_secret = result.client_secret or payment.client_secret
    payment.card_last4 = result.card_last4 or payment.card_last4
    if result.status == payment.status or result.status == Status.REQUIRES_PAYMENT_METHOD:
        payment.save()
    elif result.status == Status.SUCCEEDED:
        _payment_succeed(payment=payment, source=source)
    elif result.status == Status.FAILED:
        _payment_fail(
            payment=payment,
            source=source,
            error_code=result.error_code,
            error_message=result.error_message,
        )
    elif result.status == Status.REQUIRES_ACTION:
        _payment_action_require(payment=payment, source=source)
    elif result.status == Status.PROCESSING:
        _payment_processing_start(payment=payment, source=source)
    elif result.status == Status.CANCELED:
        _payment_cancel(payment=payment, source=source)
    else:
        raise ValueError(f"Unknown payment status from the gateway: {result.status!r}")


def _gateway_unavailable(exc: GatewayUnavailable) -> DomainError:
    logger.warning("Payment gateway unavailable: %s", exc)
    return DomainError(
        "The payment service is not answering. Please try again in a moment: the same "
        "attempt is never charged twice.",
        code=PaymentError.GATEWAY_UNAVAILABLE,
    )


# --- starting and confirming a payment ---------------------------------------------------------


def _payment_input_check(
    *, reference: str, amount: int, currency: str, idempotency_key: str
) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise DomainError(
            "The amount must be a whole number of cents above zero.",
            code=PaymentError.INVALID_AMOUNT,
            field="amount",
        )
    if not (
        isinstance(currency, str)
        and len(currency) == 3
        and currency.isascii()
        and currency.isalpha()
    ):
        raise DomainError(
            "The currency must be a three-letter code such as EUR.",
            code=PaymentError.INVALID_CURRENCY,
            field="currency",
        )
    _idempotency_key_check(idempotency_key)
    if not reference or len(reference) > 100:
        raise DomainError(
            "The reference must be 1 to 100 characters.",
            code=PaymentError.INVALID_REFERENCE,
            field="reference",
        )


def _idempotency_key_check(idempotency_key: str) -> None:
    """Raise INVALID_IDEMPOTENCY_KEY unless the key is text of 1 to 255 characters (the
    column's length; every gateway call and refund is keyed by it)."""
    if not isinstance(idempotency_key, str) or not 1 <= len(idempotency_key) <= 255:
        raise DomainError(
            "The idempotency key must be 1 to 255 characters.",
            code=PaymentError.INVALID_IDEMPOTENCY_KEY,
            field="idempotency_key",
        )


def _payment_attempt_lock(
    *, gateway: str, reference: str, amount: int, currency: str, idempotency_key: str
) -> tuple[Payment, bool]:
    """Insert the attempt's row, or find and lock the one with this key; (payment, created).

    Raises IDEMPOTENCY_KEY_REUSED when the key was used for another reference or amount.
    """
    payment, created = Payment.objects.select_for_update().get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "gateway": gateway,
            "reference": reference,
            "amount": amount,
            "currency": currency,
        },
    )
    if not created and (payment.reference, payment.amount, payment.currency) != (
        reference,
        amount,
        currency,
    ):
        raise DomainError(
            "This payment attempt was already made for another amount or reference.",
            code=PaymentError.IDEMPOTENCY_KEY_REUSED,
            field="idempotency_key",
        )
    return payment, created


def payment_start(
    *, reference: str, amount: int, currency: str, idempotency_key: str, payment_method: str
) -> Payment:
    """Charge `amount` for `reference` once per idempotency key; return the Payment.

    The row is inserted (or found and locked) before the gateway is called: the same key
    again returns the same Payment without calling the gateway, whatever the gateway does
    with keys. Only a payment that never got an answer (no gateway id, still waiting for a
    card) is sent again, with the same key. A decline is not an error: the Payment comes
    back FAILED with error_code and error_message; otherwise SUCCEEDED, REQUIRES_ACTION or
    PROCESSING. Reaching SUCCEEDED records events.payment_succeeded in the outbox.

    Raises INVALID_AMOUNT, INVALID_CURRENCY, INVALID_IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_REUSED
    (the key was used for another reference or amount), UNKNOWN_GATEWAY and
    GATEWAY_UNAVAILABLE (nothing is kept: the same key may be sent again).
    """
    return _payment_attempt_send(
        reference=reference,
        amount=amount,
        currency=currency,
        idempotency_key=idempotency_key,
        source="payment_start",
        send=lambda gateway, **attempt: gateway.create_payment(
            **attempt, payment_method=payment_method
        ),
    )


def _payment_attempt_send(
    *,
    reference: str,
    amount: int,
    currency: str,
    idempotency_key: str,
    source: str,
    send: Callable[..., GatewayPayment],
) -> Payment:
    """Insert (or find and lock) the attempt's row, then `send` it to the gateway and apply
    the answer; a row found again is returned as it is unless it never got an answer (no
    gateway id, still waiting for a card), which is sent again with the same key.

    `send(gateway, amount=, currency=, reference=, idempotency_key=)` makes the gateway call.
    """
    _payment_input_check(
        reference=reference, amount=amount, currency=currency, idempotency_key=idempotency_key
    )
    currency = currency.upper()
    gateway = gateways.gateway_get()
    with transaction.atomic():
        # A concurrent request with the same key waits here on the unique key (or the row
        # lock) until the first one commits, then finds its row.
        payment, created = _payment_attempt_lock(
            gateway=gateway.name,
            reference=reference,
            amount=amount,
            currency=currency,
            idempotency_key=idempotency_key,
        )
        if not created:
            if payment.gateway_payment_id or payment.status != Status.REQUIRES_PAYMENT_METHOD:
                return payment
            gateway = gateways.gateway_get(payment.gateway)
        try:
            result = send(
                gateway,
                amount=amount,
                currency=currency,
                reference=reference,
                idempotency_key=idempotency_key,
            )
        except GatewayUnavailable as exc:
            raise _gateway_unavailable(exc) from exc
        _payment_result_apply(payment=payment, result=result, source=source)
    return payment


def payment_action_confirm(*, payment: Payment) -> Payment:
    """Settle a payment the card holder has confirmed (3-D Secure); return it refreshed.

    A payment already settled (by a webhook, or a second click) is returned unchanged.
    Raises NOT_CONFIRMABLE for a payment that was never asked for confirmation, and
    GATEWAY_UNAVAILABLE.
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status in FINAL_STATUSES:
            return payment
        if payment.status != Status.REQUIRES_ACTION:
            raise DomainError(
                "This payment is not waiting for the card holder's confirmation.",
                code=PaymentError.NOT_CONFIRMABLE,
            )
        try:
            result = gateways.gateway_get(payment.gateway).confirm(payment=payment)
        except GatewayUnavailable as exc:
            raise _gateway_unavailable(exc) from exc
        _payment_result_apply(payment=payment, result=result, source="payment_action_confirm")
    return payment


def payment_intent_create(
    *, reference: str, amount: int, currency: str, idempotency_key: str
) -> Payment:
    """Open a payment that the client confirms itself, once per idempotency key; return it.

    For Stripe.js or a mobile app's Stripe SDK: the Payment comes back REQUIRES_PAYMENT_METHOD
    with the gateway's id and the client_secret the client confirms it with (the card never
    reaches us). As in payment_start, the row is inserted (or found and locked) before the
    gateway is called and the same key again returns it without calling the gateway; only
    an attempt that never got an answer is sent again. What the client's confirmation did is
    applied by payment_refresh (the return step) or by the gateway's webhook, whichever
    comes first.

    Raises INVALID_AMOUNT, INVALID_CURRENCY, INVALID_IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_REUSED,
    CLIENT_CONFIRMATION_UNSUPPORTED (the fake gateway) and GATEWAY_UNAVAILABLE (nothing is
    kept).
    """
    return _payment_attempt_send(
        reference=reference,
        amount=amount,
        currency=currency,
        idempotency_key=idempotency_key,
        source="payment_intent_create",
        send=lambda gateway, **attempt: gateway.create_intent(**attempt),
    )


def payment_refresh(*, payment: Payment) -> Payment:
    """Ask the gateway where `payment` stands and apply it; return the payment refreshed.

    The return step after a confirmation the client made (Stripe.js, 3-D Secure, a mobile
    SDK): reading changes nothing at the gateway, so it is safe to repeat, and a webhook
    that brings the same news before or after changes nothing more. A payment that
    succeeded or was cancelled, or never reached the gateway, is returned as it is; so is
    one whose gateway status would move it backwards. Raises GATEWAY_UNAVAILABLE.
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status in (Status.SUCCEEDED, Status.CANCELED) or not payment.gateway_payment_id:
            return payment
        try:
            result = gateways.gateway_get(payment.gateway).retrieve(payment=payment)
        except GatewayUnavailable as exc:
            raise _gateway_unavailable(exc) from exc
        if result.status not in (payment.status, Status.REQUIRES_PAYMENT_METHOD) and (
            not payment_can_move(payment=payment, to=result.status)
        ):
            # e.g. a failed attempt the client is trying again with the same intent: the
            # webhook or the next refresh brings its outcome.
            return payment
        _payment_result_apply(payment=payment, result=result, source="payment_refresh")
    return payment


# --- refunds -----------------------------------------------------------------------------------


def payment_refund(
    *, payment: Payment, amount: int, idempotency_key: str, reason: str = ""
) -> Refund:
    """Give back `amount` of a succeeded payment once per idempotency key; return the Refund.

    The same key again returns the same Refund without calling the gateway. Raises
    NOT_REFUNDABLE (the payment did not succeed), INVALID_AMOUNT, REFUND_TOO_LARGE (more
    than is left), IDEMPOTENCY_KEY_REUSED and GATEWAY_UNAVAILABLE, all but the last two on
    field "amount".
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise DomainError(
            "A refund must be a whole number of cents above zero.",
            code=PaymentError.INVALID_AMOUNT,
            field="amount",
        )
    _idempotency_key_check(idempotency_key)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        # Under the payment's lock, so two requests with one key cannot both get past here.
        existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if (existing.payment_id, existing.amount) != (payment.pk, amount):
                raise DomainError(
                    "This refund was already made for another payment or amount.",
                    code=PaymentError.IDEMPOTENCY_KEY_REUSED,
                    field="idempotency_key",
                )
            return existing
        if payment.status != Status.SUCCEEDED:
            raise DomainError(
                "Only a payment that went through can be refunded.",
                code=PaymentError.NOT_REFUNDABLE,
                field="amount",
            )
        # Conditional UPDATE: whatever else refunds this payment, the total stays within it.
        updated = Payment.objects.filter(
            pk=payment.pk, amount_refunded__lte=F("amount") - amount
        ).update(amount_refunded=F("amount_refunded") + amount, updated_at=timezone.now())
        if not updated:
            raise refund_too_large()
        refund = Refund.objects.create(
            payment=payment, amount=amount, idempotency_key=idempotency_key, reason=reason[:200]
        )
        try:
            answer = gateways.gateway_get(payment.gateway).refund(
                payment=payment, amount=amount, idempotency_key=idempotency_key
            )
        except GatewayUnavailable as exc:
            raise _gateway_unavailable(exc) from exc
        refund.gateway_refund_id = answer.id
        refund.save(update_fields=["gateway_refund_id"])
    return refund


# --- webhooks ----------------------------------------------------------------------------------


def webhook_receive(*, gateway: str, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
    """Verify, store and apply one gateway event; return its WebhookEvent.

    An event id seen before is not applied again (its stored row is returned). Events that
    would move a payment backwards (failed after succeeded) change nothing. Raises
    UNKNOWN_GATEWAY, INVALID_SIGNATURE and INVALID_PAYLOAD.
    """
    gateway_obj = gateways.gateway_get(gateway)
    event = gateway_obj.parse_webhook(body=body, headers=headers)
    with transaction.atomic():
        # Stored and applied in one transaction: a concurrent delivery of the same event
        # waits on the unique (gateway, event_id) and then finds it already applied.
        stored, created = WebhookEvent.objects.get_or_create(
            gateway=gateway_obj.name,
            event_id=event.id,
            defaults={"type": event.type, "payload": json.loads(body)},
        )
        if not created:
            return stored
        _webhook_event_apply(gateway=gateway_obj.name, event=event)
        stored.processed_at = timezone.now()
        stored.save(update_fields=["processed_at"])
    return stored


def _webhook_event_apply(*, gateway: str, event: GatewayEvent) -> None:
    if event.type not in (EVENT_PAYMENT_SUCCEEDED, EVENT_PAYMENT_FAILED) or not event.payment_id:
        return
    payment = (
        Payment.objects.select_for_update()
        .filter(gateway=gateway, gateway_payment_id=event.payment_id)
        .first()
    )
    if payment is None:
        logger.info("Webhook %s names no payment of ours (%s).", event.id, event.payment_id)
        return
    source = f"webhook {event.id}"
    if event.type == EVENT_PAYMENT_SUCCEEDED:
        if payment_can_move(payment=payment, to=Status.SUCCEEDED):
            _payment_succeed(payment=payment, source=source)
    elif payment_can_move(payment=payment, to=Status.FAILED):
        _payment_fail(
            payment=payment,
            source=source,
            error_code=event.error_code,
            error_message=event.error_message,
        )
