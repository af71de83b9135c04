"""Ordering a funded pool under concurrent requests: the organiser's double click, or two tabs,
place one order; the pool's row lock and its FUNDED state decide.

PostgreSQL only: SQLite serialises writers, so there is no race to lose there.
"""

import threading
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


def test_two_gifts_chosen_at_once_for_a_funded_pool_for_an_amount_one_wins(settings):
    """The organiser's two tabs choose a gift for a pool filled before it had one: the pool's
    row lock lets one choose (its surplus refunded once), the other is told it is too late."""
    from gifting.pools import choosing
    from gifting.pools.models import PoolRefund
    from tests.gifting.pools.helpers import pool_make

    settings.PAYMENT_GATEWAY = "fake"
    olga, chloe = UserFactory.create_batch(2)
    method = ShippingMethodFactory(code="standard", price=490)
    pool = pool_make(olga, target=6_000)
    contribution = contributions.contribution_reserve(pool=pool, amount=6_000, contributor=chloe)
    payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
    gifts = [variant_make(price=price, stock=5) for price in (3_000, 4_000)]

    left = list(gifts)
    taking = threading.Lock()

    def choose():
        with taking:
            gift = left.pop()  # each racer its own gift
        return choosing.pool_gift_choose(
            pool=Pool.objects.get(pk=pool.pk),
            by=olga,
            variant=gift,
            shipping_method=method,
            address=address_input(),
        )

    results = race(choose, racers=2)

    chosen = [r for r in results if isinstance(r, Pool)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(chosen) == 1 and [e.code for e in refused] == [PoolError.POOL_CLOSED], results
    pool.refresh_from_db()
    assert pool.state == "funded" and pool.target == pool.collected == pool.variant.price + 490
    assert list(PoolRefund.objects.values_list("amount", flat=True)) == [6_000 - pool.target]
