"""Twenty buyers at the same instant: never more orders than stock, never more uses than a
discount code allows.

Real threads, each with its own database connection and its own transactions, started
together by a barrier, against PostgreSQL's row locks (SQLite serialises every write, so
it could not show a race either way).
"""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from shop.cart.errors import CartError
from shop.catalog.errors import CatalogError
from shop.catalog.models import Variant
from shop.core.errors import DomainError
from shop.orders import services
from shop.orders.models import Order
from shop.payments.models import Payment
from tests.factories import DiscountCodeFactory, ShippingMethodFactory
from tests.shop.orders.conftest import GOOD_CARD, address_input, cart_make, variant_make

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races need PostgreSQL: set DATABASE_URL (SQLite serialises writes)",
    ),
]

BUYERS = 20


@pytest.fixture(autouse=True)
def _fake_gateway(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _buy_all_at_once(carts, *, shipping_method_id: int) -> list[tuple]:
    """Each cart's buyer places and pays in their own thread, all starting together.

    Returns one result per buyer: ("paid", order_id, payment status) or
    ("refused", code, message); anything else that went wrong is ("crashed", repr).
    """
    barrier = threading.Barrier(len(carts))
    results: list[tuple] = [()] * len(carts)

    def buy(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            order = services.order_place(
                cart=carts[index],
                customer=None,
                email=f"buyer{index}@example.com",
                address=address_input(),
                shipping_method_id=shipping_method_id,
            )
            payment = services.order_pay(order=order, payment_method=GOOD_CARD)
            results[index] = ("paid", order.pk, payment.status)
        except DomainError as exc:
            results[index] = ("refused", exc.code, exc.message)
        except Exception as exc:  # noqa: BLE001  (reported by the assertions below)
            results[index] = ("crashed", repr(exc))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=buy, args=(index,)) for index in range(len(carts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a buyer hung (deadlock?)"
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_of_five_units_make_exactly_five_paid_orders():
    method = ShippingMethodFactory(code="standard", price=490)
    lamp = variant_make(stock=5, title="Brass lamp")
    carts = [cart_make((lamp, 1)) for _ in range(BUYERS)]

    results = _buy_all_at_once(carts, shipping_method_id=method.pk)

    paid = [result for result in results if result[0] == "paid"]
    refused = [result for result in results if result[0] == "refused"]
    assert [r for r in results if r[0] == "crashed"] == []
    assert len(paid) == 5
    assert all(status == Payment.Status.SUCCEEDED for _, _, status in paid)
    assert len(refused) == BUYERS - 5
    assert {code for _, code, _ in refused} == {CatalogError.OUT_OF_STOCK}
    assert all("sold out" in message for _, _, message in refused)
    assert Variant.objects.get(pk=lamp.pk).stock == 0
    assert Order.objects.count() == 5
    assert Order.objects.filter(status=Order.Status.PAID).count() == 5
    assert Payment.objects.filter(status=Payment.Status.SUCCEEDED).count() == 5
    # Emails went out after each commit: one "placed" and one "paid" per order.
    assert len(mail.outbox) == 10


@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_of_a_code_usable_once_make_one_discounted_order():
    method = ShippingMethodFactory(code="standard", price=490)
    code = DiscountCodeFactory(code="ONLYONE", kind="percent", value=50, usage_limit=1)
    lamp = variant_make(stock=100, price=2000)
    carts = [cart_make((lamp, 1), discount=code) for _ in range(BUYERS)]

    results = _buy_all_at_once(carts, shipping_method_id=method.pk)

    paid = [result for result in results if result[0] == "paid"]
    refused = [result for result in results if result[0] == "refused"]
    assert [r for r in results if r[0] == "crashed"] == []
    assert len(paid) == 1
    assert len(refused) == BUYERS - 1
    assert {code for _, code, _ in refused} == {CartError.DISCOUNT_EXHAUSTED}
    code.refresh_from_db()
    assert code.times_used == 1
    order = Order.objects.get()
    assert (order.discount_code, order.discount_total, order.status) == ("ONLYONE", 1000, "paid")
    assert Variant.objects.get(pk=lamp.pk).stock == 99  # the refused buyers took nothing
