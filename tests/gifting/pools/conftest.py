"""The fixtures the pools' tests share (helpers.py has pool_make)."""

import pytest

from tests.factories import ShippingMethodFactory, UserFactory

# What the standard delivery costs in these tests, in cents.
STANDARD_SHIPPING = 490


@pytest.fixture
def method():
    """The standard delivery, at STANDARD_SHIPPING."""
    return ShippingMethodFactory(code="standard", price=STANDARD_SHIPPING)


@pytest.fixture
def olga():
    """The organiser of most pools here."""
    return UserFactory(username="olga", display_name="Olga")
