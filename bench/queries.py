"""Queries per page at 10 vs 100 products: the two counts must be equal.

Runs against a throwaway SQLite database (or DATABASE_URL when set, in a fresh test database),
with an empty cache before each request so the uncached path is what is counted; the
cached (second anonymous) request is counted too.
"""

import os
import sys
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="agora-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/queries.sqlite3")
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (10, 100)


def build(n: int):
    from shop.catalog.models import Category, Merchant, Product
    from tests.factories import CategoryFactory, MerchantFactory, ProductFactory

    Product.objects.all().delete()
    while Category.objects.exists():  # children protect their parents: delete leaves first
        Category.objects.filter(children__isnull=True).delete()
    Merchant.objects.all().delete()
    parent = CategoryFactory(slug="bench-root", name="Bench")
    child = CategoryFactory(slug="bench-child", name="Bench child", parent=parent)
    merchant = MerchantFactory(slug="bench-merchant")
    products = ProductFactory.create_batch(
        n,
        merchant=merchant,
        category=child,
        with_variants=2,
        with_images=1,
        title="Bench lamp",
    )
    products[0].is_featured = True
    products[0].save()
    cache.clear()
    return products[0]


def count(client: Client, url: str) -> tuple[int, int, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        status = client.get(url).status_code
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    return status, len(first), len(second)


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        results: dict[str, list[tuple[int, int, int]]] = {}
        for n in SIZES:
            product = build(n)
            pages = {
                "home /": "/",
                "product list /products/": "/products/",
                "search /products/?q=lamp": "/products/?q=lamp",
                "category /categories/<slug>/": "/categories/bench-root/",
                "merchant /merchants/<slug>/": "/merchants/bench-merchant/",
                "product page /products/<slug>/": f"/products/{product.slug}/",
                "API /api/v1/products": "/api/v1/products",
                "API /api/v1/products/<slug>": f"/api/v1/products/{product.slug}",
            }
            client = Client()
            for name, url in pages.items():
                results.setdefault(name, []).append(count(client, url))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    ok = True
    for name, (small, large) in results.items():
        equal = small[1] == large[1] and small[2] == large[2] and small[0] == large[0] == 200
        ok &= equal
        print(
            f"queries {name} at {SIZES[0]} vs {SIZES[1]} products: "
            f"{small[1]} vs {large[1]} (cached repeat: {small[2]} vs {large[2]}) "
            f"{'equal' if equal else 'NOT EQUAL or not 200: ' + str((small[0], large[0]))}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
