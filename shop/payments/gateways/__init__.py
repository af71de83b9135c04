"""Payment gateways behind one interface (base.PaymentGateway); gateway_get picks one.

The Stripe gateway (and the stripe SDK) is imported only when it is asked for.
"""

from django.conf import settings

from shop.core.errors import DomainError
from shop.payments.errors import PaymentError
from shop.payments.gateways.base import PaymentGateway

GATEWAY_NAMES = ("fake", "stripe")


def gateway_get(name: str | None = None) -> PaymentGateway:
    """Return the gateway called `name`, or the configured one (settings.PAYMENT_GATEWAY).

    Raises DomainError UNKNOWN_GATEWAY for any other name.
    """
    name = name or settings.PAYMENT_GATEWAY
    if name == "fake":
        from shop.payments.gateways.fake import FakeGateway

        return FakeGateway()
    if name == "stripe":
        from shop.payments.gateways.stripe import StripeGateway

        return StripeGateway()
    raise DomainError(
        f"There is no payment gateway called {name!r}.",
        code=PaymentError.UNKNOWN_GATEWAY,
        field="gateway",
    )
