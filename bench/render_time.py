"""Context for the throughput ratios: how long /products/ takes to render with no cache.

Run by bench/throughput.py inside its environment (the demo catalogue it built), in-process
with Django's test client and the dummy cache, so every request renders the whole page.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

ROUNDS = 15


def main() -> int:
    setup_test_environment()
    timings = []
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ):
        client = Client()
        for _ in range(ROUNDS + 2):
            started = time.perf_counter()
            response = client.get("/products/")
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
    median = statistics.median(timings[2:]) * 1000
    print(
        f"render time /products/ with the cache off (anonymous, 24 cards, in-process): "
        f"{median:.1f} ms median of {ROUNDS} (context only)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
