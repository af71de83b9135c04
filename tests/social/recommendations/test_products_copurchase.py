"""Often bought together: counted from paid orders, once per order, both ways."""

import pytest
from django.core.cache import cache

from shop.orders.events import order_paid
from social.recommendations import products_selectors, products_services
from social.recommendations.models import CoPurchase, CoPurchaseOrder
from tests.factories import ProductFactory, UserFactory, purchases_make

pytestmark = pytest.mark.django_db


def _pairs() -> dict[tuple[int, int], int]:
    return {(row.product_id, row.other_id): row.orders for row in CoPurchase.objects.all()}


def test_a_paid_order_counts_each_pair_of_its_products_both_ways():
    tent, lamp, mug = ProductFactory.create_batch(3)
    order = purchases_make(UserFactory(), [tent, lamp, mug])

    assert products_services.copurchase_order_count(order_id=order.pk) is True

    assert _pairs() == {
        (tent.pk, lamp.pk): 1,
        (lamp.pk, tent.pk): 1,
        (tent.pk, mug.pk): 1,
        (mug.pk, tent.pk): 1,
        (lamp.pk, mug.pk): 1,
        (mug.pk, lamp.pk): 1,
    }


def test_an_order_is_counted_once_when_the_task_runs_twice():
    tent, lamp = ProductFactory.create_batch(2)
    order = purchases_make(UserFactory(), [tent, lamp])
    products_services.copurchase_order_count(order_id=order.pk)

    again = products_services.copurchase_order_count(order_id=order.pk)

    assert again is False
    assert _pairs() == {(tent.pk, lamp.pk): 1, (lamp.pk, tent.pk): 1}
    assert CoPurchaseOrder.objects.filter(order_id=order.pk).count() == 1


def test_two_orders_of_the_same_pair_add_up():
    tent, lamp = ProductFactory.create_batch(2)
    for _ in range(2):
        order = purchases_make(UserFactory(), [tent, lamp])
        products_services.copurchase_order_count(order_id=order.pk)

    assert _pairs()[(tent.pk, lamp.pk)] == 2


def test_an_unpaid_order_is_not_counted():
    tent, lamp = ProductFactory.create_batch(2)
    order = purchases_make(UserFactory(), [tent, lamp], status="pending_payment")

    assert products_services.copurchase_order_count(order_id=order.pk) is False
    assert _pairs() == {}


def test_the_order_paid_event_counts_the_order_through_the_outbox_once(
    django_capture_on_commit_callbacks,
):
    tent, lamp = ProductFactory.create_batch(2)
    order = purchases_make(UserFactory(), [tent, lamp])

    for event_id in (1, 1):  # the outbox may deliver an event twice
        with django_capture_on_commit_callbacks(execute=True):
            order_paid.send_robust(
                sender=None, order_id=order.pk, number=order.number, event_id=event_id
            )

    assert _pairs() == {(tent.pk, lamp.pk): 1, (lamp.pk, tent.pk): 1}


def test_bought_together_is_most_often_first_and_leaves_out_the_unavailable():
    tent, lamp, mug, gone, sold_out = ProductFactory.create_batch(5)
    for extra in ([lamp], [lamp], [mug], [gone], [sold_out], [sold_out], [sold_out]):
        order = purchases_make(UserFactory(), [tent, *extra])
        products_services.copurchase_order_count(order_id=order.pk)
    gone.is_published = False
    gone.save()
    sold_out.variants.update(stock=0)

    together = products_selectors.bought_together(product=tent)

    assert [item.product for item in together.items] == [lamp, mug]
    assert [item.product.orders for item in together.items] == [2, 1]
    assert together.items[0].variant == lamp.variants.first()


def test_counting_an_order_moves_the_bought_together_version_of_its_products(
    django_capture_on_commit_callbacks,
):
    tent, lamp = ProductFactory.create_batch(2)
    order = purchases_make(UserFactory(), [tent, lamp])
    key = products_services.together_version_key(tent.pk)
    before = cache.get(key)

    with django_capture_on_commit_callbacks(execute=True):
        products_services.copurchase_order_count(order_id=order.pk)

    assert cache.get(key) not in (None, before)
