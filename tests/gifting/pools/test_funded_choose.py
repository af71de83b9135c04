"""A pool for an amount filled before its organiser chose the gift: they choose one costing at
most what was collected (the surplus back to contributors pro rata, to the cent), the pool
stays FUNDED with its new target, and the gift is then ordered, once."""

import pytest

from gifting.pools import choosing, contributions, lifecycle, ordering, payments, selectors
from gifting.pools.errors import PoolError
from gifting.pools.models import Pool, PoolRefund, PoolTransition
from shop.core.errors import DomainError
from shop.core.models import OutboxMessage
from shop.core.outbox import outbox_deliver
from shop.orders.models import Order
from tests.factories import (
    GOOD_CARD,
    UserFactory,
    address_input,
    variant_make,
)
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db

SHIPPING = 490


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    settings.PAYMENT_GATEWAY = "fake"


def _paid(pool, amount):
    contribution = contributions.contribution_reserve(
        pool=pool, amount=amount, contributor=UserFactory()
    )
    payment = payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
    assert payment.status == "succeeded", payment.error_message
    pool.refresh_from_db()
    return contribution


def _funded(olga, amounts=(3_000, 2_000, 1_000), **fields):
    """Olga's pool for an amount, filled by AMOUNTS (its target is their sum)."""
    pool = pool_make(olga, target=sum(amounts), **fields)
    paid = [_paid(pool, amount) for amount in amounts]
    assert pool.state == Pool.State.FUNDED and pool.variant_id is None
    return pool, paid


def _choose(pool, olga, variant, method):
    return choosing.pool_gift_choose(
        pool=pool, by=olga, variant=variant, shipping_method=method, address=address_input()
    )


def test_a_funded_pool_without_a_gift_asks_its_organiser_to_choose_one(olga):
    pool, _ = _funded(olga)

    assert selectors.pool_actions(pool) == {"choose", "close"}
    assert choosing.pool_needs_gift(pool) and choosing.pool_gift_choosable(pool)


def test_a_cheaper_gift_sends_the_surplus_back_pro_rata_to_the_cent(olga, method):
    pool, (first, second, third) = _funded(olga)  # 60.00 collected
    variant = variant_make(price=4_511, title="Brass Lamp")  # 45.11 + 4.90 = 50.01

    _choose(pool, olga, variant, method)

    pool.refresh_from_db()
    assert (pool.state, pool.variant, pool.target, pool.collected) == (
        "funded",
        variant,
        5_001,
        5_001,
    )
    refunds = dict(PoolRefund.objects.values_list("contribution_id", "amount"))
    # 9.99 back: 3/6, 2/6 and 1/6 of it rounded down, the remainder to the last one
    assert refunds == {first.pk: 499, second.pk: 333, third.pk: 167}
    assert sum(refunds.values()) == 6_000 - 5_001
    chosen = PoolTransition.objects.filter(pool=pool).last()
    assert (chosen.from_state, chosen.to_state, chosen.by) == ("funded", "funded", olga)
    assert chosen.note == "Gift chosen: Brass Lamp; €9.99 back to contributors"
    # funded once: the choice writes its own row, not a second pools.funded
    assert OutboxMessage.objects.filter(topic=ordering.FUNDED_TOPIC).count() == 1
    assert OutboxMessage.objects.filter(topic=ordering.GIFT_CHOSEN_TOPIC).count() == 1
    assert selectors.pool_actions(pool) == {"order", "close"}


def test_a_gift_costing_what_was_collected_sends_nothing_back(olga, method):
    pool, _ = _funded(olga)
    variant = variant_make(price=6_000 - SHIPPING)

    _choose(pool, olga, variant, method)

    pool.refresh_from_db()
    assert (pool.state, pool.target, pool.collected) == ("funded", 6_000, 6_000)
    assert not PoolRefund.objects.exists()


def test_a_dearer_gift_is_refused_naming_the_limit(olga, method):
    pool, _ = _funded(olga)
    variant = variant_make(price=6_000 - SHIPPING + 1)

    with pytest.raises(DomainError) as caught:
        _choose(pool, olga, variant, method)

    assert caught.value.code == PoolError.GIFT_TOO_DEAR and caught.value.field == "variant"
    assert caught.value.message == (
        "This gift costs €60.01 with its shipping, more than the €60.00 collected: choose one "
        "that costs at most €60.00."
    )
    pool.refresh_from_db()
    assert (pool.variant, pool.target, pool.collected, pool.ship_line1) == (None, 6_000, 6_000, "")
    assert not PoolRefund.objects.exists()
    assert not OutboxMessage.objects.filter(topic=ordering.GIFT_CHOSEN_TOPIC).exists()


def test_a_funded_pool_with_its_gift_cannot_switch_it(olga, method):
    pool, _ = _funded(olga)
    _choose(pool, olga, variant_make(price=3_000), method)

    with pytest.raises(DomainError) as caught:
        _choose(pool, olga, variant_make(price=2_000), method)

    assert caught.value.code == PoolError.POOL_CLOSED
    pool.refresh_from_db()
    assert pool.target == 3_000 + SHIPPING and PoolRefund.objects.count() == 3


def test_only_the_organiser_chooses(olga, method):
    pool, _ = _funded(olga)

    with pytest.raises(DomainError) as caught:
        _choose(pool, UserFactory(), variant_make(price=3_000), method)

    assert caught.value.code == PoolError.NOT_ORGANISER


def test_once_chosen_the_organiser_orders_the_gift_once(olga, method):
    pool, _ = _funded(olga)
    _choose(pool, olga, variant_make(price=3_000, stock=5), method)

    order = ordering.pool_order_place(pool=pool, by=olga)

    pool.refresh_from_db()
    assert (pool.state, pool.order, order.total, order.status) == (
        "ordered",
        order,
        3_000 + SHIPPING,
        "paid",
    )
    assert order.ship_line1 == address_input().line1
    with pytest.raises(DomainError) as caught:
        ordering.pool_order_place(pool=pool, by=olga)
    assert caught.value.code == PoolError.NOT_FUNDED and Order.objects.count() == 1


def test_an_auto_order_pool_is_ordered_once_its_gift_is_chosen(
    olga, method, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pool, _ = _funded(olga, auto_order=True)
    assert pool.state == "funded" and not Order.objects.exists()  # no gift yet: nothing ordered

    with django_capture_on_commit_callbacks(execute=True):
        _choose(pool, olga, variant_make(price=3_000, stock=5), method)

    pool.refresh_from_db()
    assert pool.state == "ordered" and pool.order.status == "paid"
    assert pool.transitions.get(to_state="ordered").by is None
    # Both rows delivered again (at least once): nothing more is ordered.
    for message in OutboxMessage.objects.filter(
        topic__in=[ordering.FUNDED_TOPIC, ordering.GIFT_CHOSEN_TOPIC]
    ):
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None)
        outbox_deliver(message_id=message.pk)
    assert ordering.pool_gift_chosen_deliver(pool_id=pool.pk) is False
    assert Order.objects.count() == 1


def test_without_auto_order_choosing_orders_nothing(
    olga, method, django_capture_on_commit_callbacks
):
    pool, _ = _funded(olga)

    with django_capture_on_commit_callbacks(execute=True):
        _choose(pool, olga, variant_make(price=3_000, stock=5), method)

    pool.refresh_from_db()
    assert pool.state == "funded" and not Order.objects.exists()


def test_the_choice_of_a_funded_pool_through_lifecycle_needs_no_address_step(olga, method):
    """pool_switch alone (the API's) gives the gift; the address is the pool's to give."""
    pool, _ = _funded(olga)

    lifecycle.pool_switch(
        pool=pool, variant=variant_make(price=1_000), shipping_method=method, by=olga
    )

    pool.refresh_from_db()
    assert (pool.state, pool.target, pool.collected) == ("funded", 1_490, 1_490)
    assert sum(PoolRefund.objects.values_list("amount", flat=True)) == 6_000 - 1_490
