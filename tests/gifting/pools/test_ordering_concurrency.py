"""Ordering a funded pool under concurrent requests: the organiser's double click, or two tabs,
place one order; the pool's row lock and its FUNDED state decide.

PostgreSQL only: SQLite serialises writers, so there is no race to lose there.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from gifting.pools import contributions, opening, ordering, payments
from gifting.pools.errors import PoolError
from gifting.pools.models import Pool
from shop.core.errors import DomainError
from shop.orders.models import Order
from tests.concurrency import race
from tests.factories import (
    GOOD_CARD,
    ShippingMethodFactory,
    UserFactory,
    address_input,
    friends_make,
    variant_make,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) row locks"
    ),
]


@pytest.mark.parametrize("attempt", range(2))
def test_five_clicks_on_order_at_once_place_one_order(settings, attempt):
    settings.PAYMENT_GATEWAY = "fake"
    ana, ben, chloe = UserFactory.create_batch(3)
    friends_make(ben, ana, chloe)
    variant = variant_make(price=2500, stock=5)
    pool = opening.pool_open_for_variant(
        organiser=ben,
        variant=variant,
        shipping_method=ShippingMethodFactory(code="standard", price=490),
        deadline=timezone.now() + timedelta(days=7),
        visibility="friends",
        recipient=ana,
        address=address_input(),
    )
    contribution = contributions.contribution_reserve(
        pool=pool, amount=pool.target, contributor=chloe
    )
    payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)

    results = race(
        lambda: ordering.pool_order_place(pool=Pool.objects.get(pk=pool.pk), by=ben), racers=5
    )

    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(placed) == 1, results
    assert len(refused) == 4 and {e.code for e in refused} == {PoolError.NOT_FUNDED}
    assert Order.objects.count() == 1 and Pool.objects.get(pk=pool.pk).order == placed[0]
    variant.refresh_from_db()
    assert variant.stock == 4
