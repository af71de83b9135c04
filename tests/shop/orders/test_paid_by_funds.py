"""An order paid by funds collected elsewhere (a gift pool's contributions, each paid by card
already): PAID with no payment of its own, once; cancelling or refunding it calls no gateway
(who collected the funds gives them back, told by the order's events)."""

import pytest

from shop.cart.models import CartLine
from shop.core.errors import DomainError
from shop.core.models import OutboxMessage
from shop.orders import services
from shop.orders.errors import OrderError
from shop.orders.models import Order
from shop.payments.models import FakeCharge, Refund
from tests.factories import UserFactory
from tests.shop.orders.conftest import cart_make, variant_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(place):
    return place(cart_make((variant_make(price=2500, stock=3), 1)))


def test_an_order_paid_by_funds_is_paid_with_no_payment(order):
    services.order_mark_paid_by_funds(order=order, note="Paid by gift pool #7.")

    order.refresh_from_db()
    assert (order.status, order.payment_id) == (Order.Status.PAID, None)
    assert order.paid_at is not None
    assert order.transitions.last().note == "Paid by gift pool #7."
    assert not CartLine.objects.filter(cart__token=order.cart_token).exists()
    assert order.lines.get().variant.product.units_sold == 1
    assert OutboxMessage.objects.filter(topic="order.paid").count() == 1
    assert not FakeCharge.objects.exists()


def test_paying_by_funds_twice_pays_once(order):
    services.order_mark_paid_by_funds(order=order, note="Paid.")

    services.order_mark_paid_by_funds(order=order, note="Paid.")

    assert order.transitions.filter(to_status="paid").count() == 1
    assert OutboxMessage.objects.filter(topic="order.paid").count() == 1


def test_a_cancelled_order_is_not_paid_by_funds(order):
    services.order_cancel(order=order, by=None)

    with pytest.raises(DomainError) as caught:
        services.order_mark_paid_by_funds(order=order, note="Paid.")

    assert caught.value.code == OrderError.ORDER_NOT_PAYABLE


def test_cancelling_an_order_paid_by_funds_refunds_through_no_gateway(order):
    services.order_mark_paid_by_funds(order=order, note="Paid.")
    operator = UserFactory(is_staff=True, is_superuser=True)

    services.order_cancel(order=order, by=operator, reason="Out of stock at the warehouse")

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.amount_refunded == order.total
    assert not Refund.objects.exists()
    assert OutboxMessage.objects.filter(topic="order.refunded").count() == 1
    assert not OutboxMessage.objects.filter(topic="email.order.refunded").exists()
