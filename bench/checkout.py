"""Checkout under contention: N parallel buyers of a product with stock K.

Every buyer has their own cart and places an order at the same moment, each in its own
thread with its own database connection (bench.parallel.run_at_once). Orders made must equal
K, never more, and the stock must end at 0. Runs on PostgreSQL when BENCH_DATABASE_URL is set
(row locks and real parallelism), otherwise on a SQLite file (writers serialised by the
database lock).
"""

import os
import sys
import tempfile

BUYERS = int(os.environ.get("BENCH_BUYERS", "40"))
STOCK = int(os.environ.get("BENCH_STOCK", "10"))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="agora-bench-")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{_tmp}/checkout.sqlite3"
)
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.parallel import run_at_once  # noqa: E402


def main() -> int:
    setup_test_environment()
    if connection.vendor == "sqlite":
        # A throwaway file: SQLite's shared in-memory test database would refuse concurrent
        # writers at once instead of making them wait.
        call_command("migrate", verbosity=0)
        return run()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        return run()
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> int:
    from shop.cart import services as cart_services
    from shop.catalog.models import Variant
    from shop.orders import services as order_services
    from tests.factories import ProductFactory, ShippingMethodFactory, VariantFactory

    product = ProductFactory(with_variants=0)
    variant = VariantFactory(product=product, stock=STOCK, price=2500)
    shipping = ShippingMethodFactory()
    carts = []
    for _ in range(BUYERS):
        cart = cart_services.cart_get_or_create(user=None, token=None)
        cart_services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=1)
        carts.append(cart)
    address = order_services.AddressInput(
        full_name="Bench Buyer",
        line1="1 Rue du Test",
        line2="",
        postal_code="75001",
        city="Paris",
        country="FR",
    )

    def buy(cart) -> str:
        order_services.order_place(
            cart=cart,
            customer=None,
            email="bench@example.com",
            address=address,
            shipping_method_id=shipping.pk,
        )
        return "order"

    outcomes, elapsed = run_at_once(buy, carts)

    orders = outcomes.count("order")
    sold_out = outcomes.count("out_of_stock")
    other = len(outcomes) - orders - sold_out
    errors = sorted({o for o in outcomes if o.startswith("error:")})[:3]
    stock_left = Variant.objects.get(pk=variant.pk).stock
    ok = orders == STOCK and stock_left == 0 and other == 0
    print(
        f"checkout under contention ({connection.vendor}): {BUYERS} buyers, stock {STOCK} -> "
        f"{orders} orders, {sold_out} sold out, {other} other errors, stock left {stock_left} "
        f"({'correct' if ok else 'WRONG'}; {elapsed:.1f} s)"
    )
    for error in errors:
        print(f"  {error}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
