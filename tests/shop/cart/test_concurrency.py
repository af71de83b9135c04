"""Racing requests on one cart or one discount code: the row lock or the UPDATE decides.

PostgreSQL only: SQLite serialises writers, so there is no race to lose there.
"""

import pytest
from django.db import connection

from shop.cart import services
from shop.cart.models import CartLine, DiscountCode
from shop.core.errors import DomainError
from tests.concurrency import race
from tests.factories import CartFactory, DiscountCodeFactory, VariantFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) row locks"
    ),
]

RACERS = 8


def _race(target) -> list:
    return race(target, racers=RACERS)


def test_tabs_adding_the_same_variant_at_once_make_one_line_with_every_unit():
    cart = CartFactory()
    variant = VariantFactory(stock=50)

    results = _race(lambda: services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=2))

    assert all(isinstance(result, CartLine) for result in results), results
    assert list(CartLine.objects.filter(cart=cart).values_list("quantity", flat=True)) == [
        2 * RACERS
    ]


def test_orders_racing_for_the_last_use_of_a_code_get_it_once():
    code = DiscountCodeFactory(usage_limit=1)

    results = _race(lambda: services.discount_use(discount=code))

    assert results.count(None) == 1
    assert all(isinstance(result, DomainError) for result in results if result is not None)
    assert DiscountCode.objects.get(pk=code.pk).times_used == 1
