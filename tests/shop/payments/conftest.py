"""Payments run on the fake gateway here (no network), with a webhook secret of their own."""

import pytest

from shop.payments import events, gateways
from shop.payments.gateways.fake import FakeGateway

WEBHOOK_SECRET = "whsec_test_payments"


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PAYMENT_FAKE_WEBHOOK_SECRET = ""


@pytest.fixture(autouse=True)
def _payment_events_unheard(monkeypatch):
    """Other apps' receivers (orders marking an order paid) are theirs to test, not ours."""
    for signal in (events.payment_succeeded, events.payment_failed):
        monkeypatch.setattr(signal, "receivers", [])
        signal.sender_receivers_cache.clear()


class CountingGateway(FakeGateway):
    """The fake gateway, counting how often each method is called (the remote edge)."""

    def __init__(self):
        self.calls: dict[str, int] = {}

    def _count(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1

    def create_payment(self, **kwargs):
        self._count("create_payment")
        return super().create_payment(**kwargs)

    def confirm(self, **kwargs):
        self._count("confirm")
        return super().confirm(**kwargs)

    def refund(self, **kwargs):
        self._count("refund")
        return super().refund(**kwargs)


@pytest.fixture
def counting_gateway(monkeypatch) -> CountingGateway:
    gateway = CountingGateway()
    real_get = gateways.gateway_get

    def gateway_get(name=None):
        return gateway if (name or "fake") == "fake" else real_get(name)

    monkeypatch.setattr(gateways, "gateway_get", gateway_get)
    return gateway
