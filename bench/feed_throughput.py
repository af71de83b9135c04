"""/feed/ throughput as a ratio to the trivial view, measured in one run (issue 9).

A shopper with 200 friends, and 10,000 of their activities in the database (likes,
purchases, shares and asks of the demo shop's products, each with its snapshot), fanned out
to the shopper's feed and trimmed to FEED_MAX_ITEMS as beat leaves it. gunicorn (2 workers,
DEBUG off, persistent connections) serves /feed/ signed in and /healthz/ (the trivial view,
a fixed response through the whole middleware stack); wrk drives each in turn, in short
rounds, the ratio the median of the rounds' (bench.serve.rates). Target: >= 0.3.

Runs on a throwaway SQLite database, or BENCH_DATABASE_URL (a PostgreSQL database it may
fill) when set. The queries of /feed/ at 20 vs 200 items are bench/feed_bench.py's line.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.serve import CONNECTIONS, ROOT, VENV_BIN, rates, served, signed_in, site_env, vendor

TARGET = 0.3
FRIENDS = 200
ACTIVITIES = 10_000

# Run inside the bench's environment: the shopper, their friends and feed; prints the session.
SETUP_SCRIPT = f"""
import django
django.setup()
from datetime import timedelta
from django.conf import settings
from django.test import Client
from django.utils import timezone
from shop.catalog.models import Product
from social.feed import services
from social.feed.models import Activity, FeedItem, FeedState
from tests.factories import UserFactory, friends_many

me = UserFactory(username="bench-feed", display_name="Bench Feed")
friends = friends_many(me, {FRIENDS})
products = list(
    Product.objects.filter(is_published=True)
    .select_related("merchant").prefetch_related("images", "variants")[:60]
)
snapshots = [
    {{**services.product_snapshot(p, price=min(v.price for v in p.variants.all()),
                                  currency=settings.STORE_CURRENCY),
      "merchant": p.merchant.name}}
    for p in products
]
verbs = ["like", "purchase", "share", "ask", "like"]
now = timezone.now()
activities = Activity.objects.bulk_create(
    [
        Activity(
            verb=verbs[i % len(verbs)],
            actor=friends[i % len(friends)],
            product=products[i % len(products)],
            snapshot=snapshots[i % len(products)],
            visibility="friends",
            dedupe_key=f"bench-feed-{{i}}",
            created_at=now - timedelta(minutes=i),
            fanned_out_at=now,
        )
        for i in range({ACTIVITIES})
    ],
    batch_size=2000,
)
if activities[0].pk is None:
    activities = list(Activity.objects.filter(dedupe_key__startswith="bench-feed-"))
FeedItem.objects.bulk_create(
    [FeedItem(owner=me, activity=a, created_at=a.created_at) for a in activities],
    batch_size=2000,
)
services.feeds_trim()
client = Client()
client.force_login(me)
FeedState.objects.filter(user=me).update(rebuilt_at=timezone.now())
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def main() -> int:
    if shutil.which("wrk") is None:
        print("feed throughput: SKIPPED, wrk is not installed (apt-get install -y wrk)")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    env = site_env(tmp)
    python = str(VENV_BIN / "python")
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], **run)
    subprocess.run([python, "manage.py", "demo_data"], **run, stdout=subprocess.DEVNULL)
    session = subprocess.run(
        [python, "-c", SETUP_SCRIPT], **run, capture_output=True, text=True
    ).stdout.split()[-1]
    try:
        with served(env) as base:
            page, cookie = signed_in(f"{base}/feed/", session)
            if b"feed-entry" not in page:
                raise SystemExit("feed throughput: the signed-in feed shows no entries")
            measured = rates({"feed": (f"{base}/feed/", cookie)})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    trivial_rps, feed_rps = measured["trivial"], measured["feed"]
    ratio = measured.ratio("feed")
    print(
        f"throughput /feed/ signed in / trivial view: {ratio:.2f} "
        f"({'meets' if ratio >= TARGET else 'BELOW'} target {TARGET}; median of "
        f"{measured.spread('feed')}; {feed_rps:.0f} vs "
        f"{trivial_rps:.0f} req/s, {FRIENDS} friends, {ACTIVITIES} activities, {vendor(env)}, "
        f"gunicorn 2 workers, wrk {CONNECTIONS} connections)"
    )
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
