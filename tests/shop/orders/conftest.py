"""What the order tests share: a fake gateway with a webhook secret, and quick builders."""

import pytest

from shop.orders import services
from tests.factories import (
    CartFactory,
    CartLineFactory,
    MerchantFactory,
    ProductFactory,
    ShippingMethodFactory,
    VariantFactory,
)

GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
ACTION_CARD = "4000 0025 0000 3155"
WEBHOOK_SECRET = "whsec_test_orders"
ADDRESS = {
    "full_name": "Ada Lovelace",
    "line1": "12 Rue des Lilas",
    "line2": "",
    "postal_code": "75011",
    "city": "Paris",
    "country": "FR",
    "phone": "",
}


def guest_cart_use(client, cart) -> None:
    """Make `cart` the visitor's cart, as adding to the cart does (its token in the session)."""
    session = client.session
    session["cart_token"] = cart.token
    session.save()


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PAYMENT_FAKE_WEBHOOK_SECRET = ""
    settings.SITE_URL = "https://shop.example"


def address_input(**overrides) -> services.AddressInput:
    values = {
        "full_name": "Ada Lovelace",
        "line1": "12 Rue des Lilas",
        "line2": "",
        "postal_code": "75011",
        "city": "Paris",
        "country": "FR",
        "phone": "",
    }
    return services.AddressInput(**{**values, **overrides})


def variant_make(*, price=2500, stock=10, merchant=None, title=None, **product_fields):
    fields = {"merchant": merchant or MerchantFactory(), "with_variants": 0, **product_fields}
    if title:
        fields["title"] = title
    product = ProductFactory(**fields)
    return VariantFactory(product=product, price=price, stock=stock)


def cart_make(*variants_and_quantities, user=None, discount=None):
    """A cart holding (variant, quantity) pairs."""
    cart = CartFactory(user=user, discount_code=discount)
    for variant, quantity in variants_and_quantities:
        CartLineFactory(cart=cart, variant=variant, quantity=quantity)
    return cart


@pytest.fixture
def standard():
    return ShippingMethodFactory(code="standard", name="Standard delivery", price=490)


@pytest.fixture
def place(standard):
    """Place an order from a cart: place(cart, customer=None, **overrides)."""

    def _place(cart, *, customer=None, email="ada@example.com", **overrides):
        kwargs = {
            "cart": cart,
            "customer": customer,
            "email": email,
            "address": address_input(),
            "shipping_method_id": standard.pk,
            **overrides,
        }
        return services.order_place(**kwargs)

    return _place


@pytest.fixture
def paid_order(place):
    """Place and pay an order: paid_order(cart) or paid_order() for a one-line order."""

    def _paid_order(cart=None, **kwargs):
        cart = cart or cart_make((variant_make(), 1))
        order = place(cart, **kwargs)
        payment = services.order_pay(order=order, payment_method=GOOD_CARD)
        assert payment.status == "succeeded", payment.error_message
        order.refresh_from_db()
        return order

    return _paid_order
