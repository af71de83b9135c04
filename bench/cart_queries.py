"""Queries per cart and checkout page at 1 vs 20 cart lines: the two counts must be equal."""

import os
import sys
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="agora-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{_tmp}/cart.sqlite3")
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (1, 20)


def measure(lines: int) -> dict[str, tuple[int, int]]:
    from shop.cart import services as cart_services
    from tests.factories import ProductFactory, ShippingMethodFactory, UserFactory

    shipping = ShippingMethodFactory()
    user = UserFactory()
    cart = cart_services.cart_get_or_create(user=user, token=None)
    for _ in range(lines):
        product = ProductFactory(with_variants=1, with_images=1)
        cart_services.cart_item_add(cart=cart, variant_id=product.variants.get().pk, quantity=1)
    client = Client()
    client.force_login(user)
    results = {}

    def count(name: str, method: str, url: str, **data) -> None:
        # Both sizes cold: a cache warmed by the first size (the header's categories menu)
        # would make the second look cheaper.
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, data, **{"HTTP_SEC_FETCH_SITE": "same-origin"})
        results[name] = (response.status_code, len(queries))

    count("cart page GET /cart/", "get", "/cart/")
    count("API GET /api/v1/cart", "get", "/api/v1/cart")
    count("checkout page GET /checkout/", "get", "/checkout/")
    client.post(
        "/checkout/",
        {
            "email": user.email,
            "address_choice": "new",
            "full_name": "Ada Lovelace",
            "line1": "12 Rue des Lilas",
            "postal_code": "75011",
            "city": "Paris",
            "country": "FR",
            "shipping_method": str(shipping.pk),
        },
    )
    count("review page GET /checkout/review/", "get", "/checkout/review/")
    return results


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    results: dict[str, list[tuple[int, int]]] = {}
    for size in SIZES:
        for name, value in measure(size).items():
            results.setdefault(name, []).append(value)
    ok = True
    for name, (small, large) in results.items():
        equal = small[1] == large[1] and small[0] == large[0] == 200
        ok &= equal
        print(
            f"queries {name} at {SIZES[0]} vs {SIZES[1]} lines: {small[1]} vs {large[1]} "
            f"{'equal' if equal else 'NOT EQUAL or not 200: ' + str((small[0], large[0]))}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
