"""The cart's discount-code form is throttled like the API ("discount" scope): guessing codes
through the page takes a few tries a minute too."""

import pytest

from shop.cart.models import Cart
from tests.factories import DiscountCodeFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_rates(settings, throttle_clock_still):
    settings.API_THROTTLE_RATES = dict(settings.API_THROTTLE_RATES_PRODUCTION)


@pytest.fixture
def cart_client(client):
    product = ProductFactory(title="Blue mug", with_variants=0)
    variant = VariantFactory(product=product, price=1200, stock=10)
    client.post("/cart/add/", {"variant": variant.pk, "quantity": "1"})
    return client


def test_guessing_codes_through_the_cart_form_is_throttled(cart_client):
    DiscountCodeFactory(code="SPRING15", kind="percent", value=15)

    for n in range(30):
        cart_client.post("/cart/discount/", {"code": f"GUESS{n:02}"})
    response = cart_client.post("/cart/discount/", {"code": "SPRING15"}, follow=True)

    assert "Too many codes tried: please try again in" in response.content.decode()
    assert Cart.objects.get().discount_code is None


def test_a_shopper_applying_a_code_is_not_held_back(cart_client):
    DiscountCodeFactory(code="SPRING15", kind="percent", value=15)
    cart_client.post("/cart/discount/", {"code": "SPRNG15"})  # a typo, then the right code

    cart_client.post("/cart/discount/", {"code": "SPRING15"})

    assert Cart.objects.get().discount_code.code == "SPRING15"
