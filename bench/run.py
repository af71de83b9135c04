#!/usr/bin/env python
"""`make bench`: one line per benchmark, each a ratio or a count measured in one run.

These machines are noisy, so absolute times are printed only as context; what is judged is
the ratio (or the count) measured side by side in the same run.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BENCHES = [
    "bench.queries",
    "bench.cart_queries",
    "bench.social_people",
    "bench.throughput",
    "bench.cache_hits",
    "bench.checkout",
    "bench.notifications_queries",
    "bench.feed_bench",
    "bench.likes_bench",
    "bench.feed_throughput",
    "bench.people_bench",
    "bench.recommendations_bench",
    "bench.reviews_bench",
    "bench.wishlists_bench",
    "bench.pools_bench",
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    only = sys.argv[1:]
    failed = 0
    for module in BENCHES:
        if only and not any(name in module for name in only):
            continue
        # Each benchmark runs in its own process with its own database and settings.
        result = subprocess.run(
            [sys.executable, "-m", module], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        failed |= result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
