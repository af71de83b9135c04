"""Context for the signed-in throughput ratios: what a signed-in visitor costs in-process.

Run by bench/throughput.py inside its environment (the demo catalogue it built): /products/
and a product page, anonymous and signed in, each from the page cache, with Django's test
client. Times are CPU time of this process (best of three rounds of 300 requests), which the
other processes of a loaded machine disturb less than wall-clock time; the difference is
what the personal layer costs (session, user, header nav, CSRF token).
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from shop.accounts.models import User  # noqa: E402
from shop.catalog.models import Product  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

REQUESTS = 300


def _cpu_ms(client: Client, url: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for _ in range(REQUESTS):
            client.get(url)
        best = min(best, (time.process_time() - started) / REQUESTS * 1000)
    return best


def main() -> int:
    anonymous, signed_in = Client(), Client()
    user = User.objects.filter(username="bench-cpu-shopper").first()
    signed_in.force_login(user or UserFactory(username="bench-cpu-shopper", display_name="CPU"))
    slug = Product.objects.filter(is_published=True).order_by("-created_at", "-id")[5].slug
    for name, url in (("/products/", "/products/"), ("product page", f"/products/{slug}/")):
        for client in (anonymous, signed_in):
            for _ in range(20):  # warm the caches
                assert client.get(url).status_code == 200
        assert b"Log out" in signed_in.get(url).content
        anonymous_ms, signed_in_ms = _cpu_ms(anonymous, url), _cpu_ms(signed_in, url)
        print(
            f"in-process {name}: signed in {signed_in_ms:.2f} ms, anonymous {anonymous_ms:.2f} ms "
            f"(CPU time, cached page; context only)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
