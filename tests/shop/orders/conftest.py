"""What the order tests share besides tests/conftest.py and tests/factories.py: a fake gateway
with a webhook secret, and the site's address for links in emails.

The builders are re-exported from tests.factories for the modules that import them from here.
"""

import pytest

from tests.factories import (  # noqa: F401  (re-exported)
    ACTION_CARD,
    ADDRESS,
    DECLINED_CARD,
    GOOD_CARD,
    MerchantFactory,
    address_input,
    cart_make,
    guest_cart_use,
    variant_make,
)

WEBHOOK_SECRET = "whsec_test_orders"


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PAYMENT_FAKE_WEBHOOK_SECRET = ""
    settings.SITE_URL = "https://shop.example"


@pytest.fixture
def lamps():
    return MerchantFactory(name="Lamps")


@pytest.fixture
def mugs():
    return MerchantFactory(name="Mugs")
