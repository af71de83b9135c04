"""Stripe through PaymentIntents, with the official SDK and signed webhooks.

Settings are read at call time: STRIPE_SECRET_KEY, STRIPE_API_BASE (a Stripe-compatible
server such as localstripe in tests; empty for Stripe itself), STRIPE_WEBHOOK_SECRET,
STRIPE_MAX_NETWORK_RETRIES (default 2; 0 in tests) and STRIPE_TIMEOUT_SECONDS (read timeout,
default 30). Every mutating call carries an idempotency key derived from ours. Only the
parameters localstripe also accepts are sent (/work/shared/notes/localstripe.md): amount,
currency, payment_method, payment_method_types, confirm, metadata, expand; refunds take
payment_intent and amount.

A card number as payment method (test mode only) is first turned into a PaymentMethod; in
live mode payment methods come from Stripe.js as "pm_..." ids (or "card_..." ids of a Card
made with stripe.createToken, which PaymentIntents accept too) and are used as they are.
Real Stripe may refuse raw card numbers even in test mode unless the account allows them;
its test ids (pm_card_visa, ...) always work.

create_intent makes a PaymentIntent without a payment method for a client that confirms it
itself (a mobile app's Stripe SDK) with its client_secret; retrieve reads an intent back.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from shop.payments.gateways.base import (
    GatewayEvent,
    GatewayPayment,
    GatewayRefund,
    GatewayUnavailable,
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
from shop.payments.models import Payment

if TYPE_CHECKING:
    from stripe import CardError, PaymentIntent

SIGNATURE_HEADER = "Stripe-Signature"
# Payment methods made in the browser by Stripe.js: a PaymentMethod, or the Card of a token.
BROWSER_MADE_PREFIXES = ("pm_", "card_")
EXPAND = ["latest_charge", "payment_method"]

_INTENT_STATUS = {
    "succeeded": Payment.Status.SUCCEEDED,
    "requires_action": Payment.Status.REQUIRES_ACTION,
    "processing": Payment.Status.PROCESSING,
    # Authorised, waiting for a manual capture: not money yet.
    "requires_capture": Payment.Status.PROCESSING,
    "requires_confirmation": Payment.Status.REQUIRES_PAYMENT_METHOD,
    "requires_payment_method": Payment.Status.REQUIRES_PAYMENT_METHOD,
    "canceled": Payment.Status.CANCELED,
}


@functools.lru_cache(maxsize=4)
def _client_for(
    api_key: str, api_base: str, max_network_retries: int, timeout: float
) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=max_network_retries,
        # A payment call runs while our payment row is locked: never wait the SDK's 80 s.
        http_client=stripe.RequestsClient(timeout=(5, timeout)),
    )


@contextmanager
def _network_errors() -> Iterator[None]:
    """Turn "Stripe did not answer" into GatewayUnavailable; anything else is a bug to see."""
    try:
        yield
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
        raise GatewayUnavailable(str(exc)) from exc


class StripeGateway:
    name = "stripe"

    def _client(self) -> stripe.StripeClient:
        api_key = settings.STRIPE_SECRET_KEY
        if not api_key:
            raise ImproperlyConfigured(
                "PAYMENT_GATEWAY is 'stripe' but STRIPE_SECRET_KEY is empty."
            )
        retries = getattr(settings, "STRIPE_MAX_NETWORK_RETRIES", 2)
        timeout = getattr(settings, "STRIPE_TIMEOUT_SECONDS", 30)
        return _client_for(api_key, settings.STRIPE_API_BASE, retries, timeout)

    def create_payment(
        self,
        *,
        amount: int,
        currency: str,
        reference: str,
        idempotency_key: str,
        payment_method: str,
    ) -> GatewayPayment:
        client = self._client()
        if payment_method.startswith(BROWSER_MADE_PREFIXES):
            payment_method_id = payment_method
        else:
            made = self._payment_method_create(
                client, number=payment_method, amount=amount, idempotency_key=idempotency_key
            )
            if isinstance(made, GatewayPayment):
                return made
            payment_method_id = made
        try:
            with _network_errors():
                intent = client.v1.payment_intents.create(
                    params={
                        "amount": amount,
                        "currency": currency.lower(),
                        "payment_method": payment_method_id,
                        "payment_method_types": ["card"],
                        "confirm": True,
                        "metadata": {"reference": reference},
                        "expand": EXPAND,
                    },
                    options={"idempotency_key": idempotency_key},
                )
        except stripe.CardError as exc:
            return self._declined(client, exc, amount=amount)
        except stripe.InvalidRequestError as exc:
            # An unknown "pm_..." id sent by a client is bad input, not our bug.
            unknown = exc.http_status == 404 or exc.code == "resource_missing"
            if exc.param != "payment_method" and not unknown:
                raise
            return _failed(amount, code=exc.code or "invalid_payment_method", message=exc)
        return _payment_from_intent(intent)

    def _payment_method_create(
        self, client: stripe.StripeClient, *, number: str, amount: int, idempotency_key: str
    ) -> str | GatewayPayment:
        """Make a PaymentMethod of a test card number; a FAILED answer when it cannot be one."""
        digits = card_number_normalize(number)
        if digits is None:
            return _failed(amount, code=INVALID_NUMBER_CODE, message=INVALID_NUMBER_MESSAGE)
        if not settings.STRIPE_SECRET_KEY.startswith("sk_test_"):
            return _failed(
                amount,
                code="card_number_not_accepted",
                message="Card numbers are taken only through the secure card form.",
            )
        try:
            with _network_errors():
                method = client.v1.payment_methods.create(
                    params={
                        "type": "card",
                        "card": {
                            "number": digits,
                            "exp_month": 12,
                            "exp_year": timezone.now().year + 3,
                            "cvc": "123",
                        },
                    },
                    options={"idempotency_key": f"{idempotency_key}:payment-method"},
                )
        except (stripe.CardError, stripe.InvalidRequestError) as exc:
            return _failed(amount, code=exc.code or INVALID_NUMBER_CODE, message=exc)
        return method.id

    def _declined(
        self, client: stripe.StripeClient, exc: CardError, *, amount: int
    ) -> GatewayPayment:
        """A decline: FAILED with Stripe's message, and the intent's id when it can be known."""
        body = exc.json_body if isinstance(exc.json_body, dict) else {}
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        intent = error.get("payment_intent")
        intent_id = (intent.get("id") if isinstance(intent, dict) else intent) or ""
        charge_id = error.get("charge")
        if not intent_id and charge_id:
            # localstripe names only the failed charge; the charge names its intent.
            try:
                with _network_errors():
                    intent_id = client.v1.charges.retrieve(charge_id).payment_intent or ""
            except (GatewayUnavailable, stripe.StripeError):
                intent_id = ""  # the decline stands; only the link to the intent is lost
        return GatewayPayment(
            id=intent_id,
            status=Payment.Status.FAILED,
            amount=amount,
            error_code=(exc.code or "card_declined")[:100],
            error_message=(exc.user_message or "Your card was declined.")[:500],
        )

    def confirm(self, *, payment: Payment) -> GatewayPayment:
        """Read the intent after the card holder's confirmation (Stripe.js did the 3-D Secure)."""
        return self.retrieve(payment=payment)

    def create_intent(
        self, *, amount: int, currency: str, reference: str, idempotency_key: str
    ) -> GatewayPayment:
        with _network_errors():
            intent = self._client().v1.payment_intents.create(
                params={
                    "amount": amount,
                    "currency": currency.lower(),
                    "payment_method_types": ["card"],
                    "metadata": {"reference": reference},
                    "expand": EXPAND,
                },
                options={"idempotency_key": idempotency_key},
            )
        return _payment_from_intent(intent)

    def retrieve(self, *, payment: Payment) -> GatewayPayment:
        with _network_errors():
            intent = self._client().v1.payment_intents.retrieve(
                payment.gateway_payment_id, params={"expand": EXPAND}
            )
        return _payment_from_intent(intent)

    def capture(
        self, *, payment: Payment, idempotency_key: str, amount: int | None = None
    ) -> GatewayPayment:
        params: dict[str, Any] = {"expand": EXPAND}
        if amount is not None:
            params["amount_to_capture"] = amount
        with _network_errors():
            intent = self._client().v1.payment_intents.capture(
                payment.gateway_payment_id,
                params=params,
                options={"idempotency_key": idempotency_key},
            )
        return _payment_from_intent(intent)

    def refund(self, *, payment: Payment, amount: int, idempotency_key: str) -> GatewayRefund:
        try:
            with _network_errors():
                refund = self._client().v1.refunds.create(
                    params={"payment_intent": payment.gateway_payment_id, "amount": amount},
                    options={"idempotency_key": idempotency_key},
                )
        except stripe.InvalidRequestError as exc:
            if exc.code == "amount_too_large" or exc.param == "amount":
                raise refund_too_large() from exc
            raise
        return GatewayRefund(id=refund.id, amount=refund.amount, status=refund.status or "")

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> GatewayEvent:
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret:
            raise invalid_signature("No webhook secret is configured for Stripe.")
        signature = header_get(headers, SIGNATURE_HEADER)
        try:
            stripe.Webhook.construct_event(
                body, signature, secret, api_key=settings.STRIPE_SECRET_KEY or None
            )
        except stripe.SignatureVerificationError:
            raise invalid_signature() from None
        except ValueError:
            # Signed but not JSON: event_from_body below names the problem.
            pass
        return event_from_body(body)


def _failed(amount: int, *, code: str, message: object) -> GatewayPayment:
    text = getattr(message, "user_message", None) or str(message)
    return GatewayPayment(
        id="",
        status=Payment.Status.FAILED,
        amount=amount,
        error_code=code[:100],
        error_message=text[:500],
    )


def _payment_from_intent(intent: PaymentIntent) -> GatewayPayment:
    data = intent.to_dict()
    method = data.get("payment_method")
    method = method if isinstance(method, dict) else {}
    # A PaymentMethod holds its card under "card"; a token's Card (card_...) is the card.
    card = method if method.get("object") == "card" else (method.get("card") or {})
    common = {
        "id": data["id"],
        "amount": data["amount"],
        "client_secret": data.get("client_secret") or "",
        "card_last4": card.get("last4") or "",
    }
    error = data.get("last_payment_error") or {}
    if data["status"] == "requires_payment_method" and error:
        # The last confirmation failed (declined, or 3-D Secure refused): the attempt failed.
        # Without an error nobody has tried to pay it yet (an intent the client confirms).
        return GatewayPayment(
            status=Payment.Status.FAILED,
            error_code=(error.get("code") or "payment_failed")[:100],
            error_message=(error.get("message") or "The payment was not completed.")[:500],
            **common,
        )
    return GatewayPayment(
        status=_INTENT_STATUS.get(data["status"], Payment.Status.PROCESSING), **common
    )
