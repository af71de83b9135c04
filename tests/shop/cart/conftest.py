"""The products the cart's page tests add: a lamp with a sold-out option, a mug."""

import pytest

from tests.factories import (
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)


@pytest.fixture
def lamp():
    """Two options: Small is sold out, Large has 3 left."""
    product = ProductFactory(title="Brass lamp", slug="brass-lamp", with_variants=0)
    VariantFactory(product=product, name="Small", sku="LAMP-S", price=4900, stock=0, position=0)
    VariantFactory(product=product, name="Large", sku="LAMP-L", price=6900, stock=3, position=1)
    ProductImageFactory(product=product, alt_text="The lamp, lit")
    return product


@pytest.fixture
def mug():
    product = ProductFactory(title="Blue mug", slug="blue-mug", with_variants=0)
    VariantFactory(product=product, name="", sku="MUG", price=1200, stock=10)
    return product
