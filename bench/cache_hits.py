"""Cache hit rate of catalogue pages under a stream of orders.

A shop sells all day, and every order takes stock. Here each catalogue request (lists,
category, merchant and product pages, the API's list and detail, anonymous) follows an order
of one unit of a random product, 200 products in stock. A request is a hit when it runs no
query at all; the mean number of queries per request is printed beside it. Before issue 7
every order invalidated every cached page (hit rate ~0); now an order invalidates only what
shows the stock it changed.
"""

import os
import random
import sys
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="agora-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{_tmp}/hits.sqlite3")
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PRODUCTS = 200
REQUESTS = int(os.environ.get("BENCH_HIT_REQUESTS", "400"))


def build(rng: random.Random) -> tuple[list[str], list[int]]:
    from tests.factories import CategoryFactory, MerchantFactory, ProductFactory

    categories = [CategoryFactory(slug=f"bench-category-{n}") for n in range(4)]
    merchants = [MerchantFactory(slug=f"bench-merchant-{n}") for n in range(4)]
    products = [
        ProductFactory(
            category=categories[n % 4],
            merchant=merchants[n // 50],
            with_variants=2,
            with_images=1,
            is_featured=n % 10 == 0,
            units_sold=n,
        )
        for n in range(PRODUCTS)
    ]
    from shop.catalog.models import Variant

    Variant.objects.update(stock=100_000)
    cache.clear()
    urls = [
        "/",
        "/products/",
        "/products/?page=2",
        "/products/?sort=price_asc",
        "/products/?in_stock=1",
        "/api/v1/products/",
        "/api/v1/products/?page=2",
        *(f"/categories/{category.slug}/" for category in categories),
        *(f"/merchants/{merchant.slug}/" for merchant in merchants),
    ]
    for product in rng.sample(products, 40):
        urls += [f"/products/{product.slug}/", f"/api/v1/products/{product.slug}"]
    return urls, list(Variant.objects.values_list("pk", flat=True))


def order_one(variant_id: int, shipping_id: int) -> None:
    from shop.cart import services as cart_services
    from shop.orders import services as order_services

    cart = cart_services.cart_get_or_create(user=None, token=None)
    cart_services.cart_item_add(cart=cart, variant_id=variant_id, quantity=1)
    order_services.order_place(
        cart=cart,
        customer=None,
        email="bench@example.com",
        address=order_services.AddressInput(
            full_name="Bench Buyer",
            line1="1 Rue du Test",
            line2="",
            postal_code="75001",
            city="Paris",
            country="FR",
        ),
        shipping_method_id=shipping_id,
    )


def main() -> int:
    from tests.factories import ShippingMethodFactory

    setup_test_environment()
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    urls, variant_ids = build(rng)
    shipping_id = ShippingMethodFactory().pk
    client = Client()
    for url in urls:  # a warm cache, as a shop that has been open a while
        assert client.get(url).status_code == 200, url
    hits = queries = 0
    for _ in range(REQUESTS):
        order_one(rng.choice(variant_ids), shipping_id)
        url = rng.choice(urls)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        hits += not captured
        queries += len(captured)
    print(
        f"cache hit rate of catalogue pages under a stream of orders: {hits / REQUESTS:.0%} "
        f"({REQUESTS} anonymous requests over {len(urls)} pages, one order before each; "
        f"a hit runs no query; {queries / REQUESTS:.2f} queries per request)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
