"""Reads of orders: who may see which order, guest links, and queries that do not grow."""

import pytest
from django.http import Http404

from shop.orders import selectors
from tests.factories import MerchantFactory, UserFactory
from tests.shop.orders.conftest import cart_make, variant_make

pytestmark = pytest.mark.django_db


def _order_of(place, *, lines: int, customer=None):
    merchants = [MerchantFactory() for _ in range(3)]
    cart = cart_make(*((variant_make(merchant=merchants[index % 3]), 1) for index in range(lines)))
    return place(cart, customer=customer)


def test_the_guest_link_opens_the_order(place):
    order = _order_of(place, lines=1)

    token = selectors.order_guest_token(order=order)

    assert selectors.order_get_by_guest_token(number=order.number, token=token) == order
    assert selectors.order_guest_url(order=order) == (
        f"https://shop.example/orders/{order.number}/?token={token}"
    )


@pytest.mark.parametrize("token", ["", "nope", "A" * 27])
def test_a_wrong_guest_token_is_a_404(place, token):
    order = _order_of(place, lines=1)

    with pytest.raises(Http404):
        selectors.order_get_by_guest_token(number=order.number, token=token)


def test_one_orders_token_does_not_open_another(place):
    first = _order_of(place, lines=1)
    second = _order_of(place, lines=1)

    with pytest.raises(Http404):
        selectors.order_get_by_guest_token(
            number=second.number, token=selectors.order_guest_token(order=first)
        )


def test_a_shopper_gets_their_order_and_not_someone_elses(place):
    ada, bob = UserFactory(), UserFactory()
    order = _order_of(place, lines=1, customer=ada)

    assert selectors.order_get_for_user(number=order.number, user=ada) == order
    with pytest.raises(Http404):
        selectors.order_get_for_user(number=order.number, user=bob)
    assert list(selectors.order_list_for_user(user=bob)) == []


@pytest.mark.parametrize("lines", [1, 12])
def test_the_order_detail_takes_the_same_queries_for_1_and_12_lines(
    place, django_assert_num_queries, lines
):
    shopper = UserFactory()
    order = _order_of(place, lines=lines, customer=shopper)

    # order, lines (+merchant), fulfilments, transitions (+by), refunds
    with django_assert_num_queries(5):
        found = selectors.order_get_for_user(number=order.number, user=shopper)
        detail = selectors.order_detail(order=found)
        names = [line.merchant.name for line in detail.lines]
        who = [transition.by for transition in detail.transitions]

    assert len(names) == lines and len(who) == 1


@pytest.mark.parametrize("orders", [1, 8])
def test_the_order_list_takes_the_same_queries_for_1_and_8_orders(
    place, django_assert_num_queries, orders
):
    shopper = UserFactory()
    for _ in range(orders):
        _order_of(place, lines=2, customer=shopper)

    with django_assert_num_queries(3):  # orders, lines (+merchant), fulfilments
        found = list(selectors.order_list_for_user(user=shopper))
        titles = [line.product_title for order in found for line in order.lines.all()]
        shipped = [f for order in found for f in order.fulfilments.all()]

    assert len(titles) == 2 * orders and shipped == []


def test_only_active_shipping_methods_are_offered(standard):
    standard.is_active = False
    standard.save()

    assert standard not in selectors.shipping_method_list()
