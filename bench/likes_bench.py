"""Social proof on /products/: throughput signed in as a ratio to the trivial view, and the
queries of the page at 10 vs 100 products (must be equal).

Throughput: the demo catalogue (200 products, 24 per page), a viewer with 200 friends who
each liked and bought (paid orders, purchases shared with friends) every product, so every
card reads "Liked by …, … and 198 other friends" and "Bought by 200 friends"; gunicorn with 2
workers, wrk driving /healthz/ and /products/ signed in in turn, in short rounds (the
median of their ratios, bench.serve.rates; target >= 0.3). Runs on a throwaway SQLite
database, or BENCH_DATABASE_URL (a database it may fill).

Queries: a fresh test database with 10, then 100 products, the viewer's 5 friends liking and
buying them all; the signed-in /products/ counted with the cache warm.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.serve import CONNECTIONS, ROOT, VENV_BIN, rates, served, signed_in, site_env, vendor

FRIENDS = int(os.environ.get("LIKES_BENCH_FRIENDS", "200"))
TARGET = 0.3
SIZES = (10, 100)


def _friends_who_liked_and_bought(viewer, friends: int, products: list) -> None:
    """FRIENDS new friends of VIEWER, each liking and having bought every product of PRODUCTS,
    sharing both with friends; written in bulk (the bench's arrangement, not under test)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from shop.orders.models import Order, OrderLine
    from social.graph.models import Friendship, PrivacySettings
    from social.likes.models import Like, ProductLikeCount

    User = get_user_model()
    prefix = f"likefriend{viewer.pk}-"
    User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{i}",
                email=f"{prefix}{i}@example.com",
                display_name=f"Friend {i}",
                password="!",
            )
            for i in range(friends)
        ],
        batch_size=1000,
    )
    people = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    Friendship.objects.bulk_create(
        [Friendship(user=viewer, friend=p) for p in people]
        + [Friendship(user=p, friend=viewer) for p in people],
        batch_size=2000,
    )
    PrivacySettings.objects.bulk_create(
        [PrivacySettings(user=p, purchases="friends", likes="friends") for p in people]
    )
    Like.objects.bulk_create(
        [Like(user=p, product=product) for p in people for product in products], batch_size=5000
    )
    ProductLikeCount.objects.bulk_create(
        [ProductLikeCount(product=product, count=friends) for product in products],
        update_conflicts=True,
        unique_fields=["product"],
        update_fields=["count"],
    )
    now = timezone.now()
    variants = {
        product.pk: product.variants.order_by("position", "id").first() for product in products
    }
    orders = Order.objects.bulk_create(
        [
            Order(
                customer=p,
                email=p.email,
                status="paid",
                currency="EUR",
                subtotal=0,
                total=0,
                ship_full_name="Friend",
                ship_line1="1 Road",
                ship_postal_code="1000",
                ship_city="Town",
                ship_country="BE",
                shipping_method_name="Standard",
                paid_at=now,
            )
            for p in people
        ],
        batch_size=1000,
    )
    if orders and orders[0].pk is None:  # SQLite before RETURNING: read them back
        orders = list(Order.objects.filter(customer__in=people).order_by("pk"))
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                merchant_id=product.merchant_id,
                variant=variants[product.pk],
                product_title=product.title,
                product_slug=product.slug,
                variant_name="",
                sku="",
                unit_price=0,
                quantity=1,
                line_total=0,
            )
            for order in orders
            for product in products
            if variants[product.pk] is not None
        ],
        batch_size=5000,
    )


def setup() -> None:
    """In the bench's environment: the viewer, their friends' likes and purchases; print the
    viewer's session cookie."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from shop.catalog.models import Product
    from tests.factories import UserFactory

    viewer = UserFactory(username="likes-bench-viewer", display_name="Bench Viewer")
    products = list(Product.objects.filter(is_published=True))
    _friends_who_liked_and_bought(viewer, FRIENDS, products)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for person in (viewer, UserFactory(username="likes-bench-loner", display_name="Loner")):
        client = Client()
        client.force_login(person)
        print(client.cookies[settings.SESSION_COOKIE_NAME].value)


def queries() -> None:
    """In a fresh test database: the queries of signed-in /products/ at each of SIZES."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tests.factories import CategoryFactory, MerchantFactory, ProductFactory, UserFactory

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    counts = []
    try:
        from django.core.cache import cache

        for n in SIZES:
            cache.clear()
            from shop.catalog.models import Product

            Product.objects.update(is_published=False)
            products = ProductFactory.create_batch(
                n,
                merchant=MerchantFactory(),
                category=CategoryFactory(),
                with_variants=1,
                with_images=1,
            )
            viewer = UserFactory(username=f"queries-viewer-{n}")
            _friends_who_liked_and_bought(viewer, 5, products)
            client = Client()
            client.force_login(viewer)
            assert client.get("/products/").status_code == 200
            with CaptureQueriesContext(connection) as counted:
                page = client.get("/products/").content.decode()
            assert "Liked by" in page and "Bought by 5 friends" in page
            counts.append(len(counted))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(" ".join(map(str, counts)))


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="agora-likes-bench-"))
    env = site_env(tmp)
    python = str(VENV_BIN / "python")
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], **run)
    subprocess.run([python, "manage.py", "demo_data"], **run, stdout=subprocess.DEVNULL)
    session, loner = subprocess.run(
        [python, "-m", "bench.likes_bench", "setup"], **run, capture_output=True, text=True
    ).stdout.split()[-2:]
    counted = subprocess.run(
        [python, "-m", "bench.likes_bench", "queries"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": f"sqlite:///{tmp}/queries.sqlite3"}
        if "BENCH_DATABASE_URL" not in os.environ
        else env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    try:
        with served(env) as base:
            page, cookie = signed_in(f"{base}/products/", session)
            if b"Log out" not in page or f"Bought by {FRIENDS} friends".encode() not in page:
                raise SystemExit("likes bench: the viewer is not shown the friends' proof")
            # The same page for a signed-in shopper without friends (context: what the proof
            # adds).
            _, plain = signed_in(f"{base}/products/", loner)
            measured = rates(
                {"proof": (f"{base}/products/", cookie), "plain": (f"{base}/products/", plain)}
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    trivial_rps, rps, plain_rps = measured["trivial"], measured["proof"], measured["plain"]
    ratio = measured.ratio("proof")
    print(
        f"throughput /products/ signed in with social proof / trivial view: {ratio:.2f} "
        f"({'meets' if ratio >= TARGET else 'BELOW'} target {TARGET}; median of "
        f"{measured.spread('proof')}; {rps:.0f} vs {trivial_rps:.0f} req/s, 200 products, "
        f"{FRIENDS} friends who liked and bought each, "
        f"{vendor(env)}, gunicorn 2 workers, wrk {CONNECTIONS} connections)"
    )
    print(
        f"throughput /products/ signed in with social proof / the same without friends: "
        f"{ratio / measured.ratio('plain'):.2f} ({rps:.0f} vs {plain_rps:.0f} req/s; context)"
    )
    equal = counted[0] == counted[1]
    print(
        f"queries /products/ signed in with social proof at {SIZES[0]} vs {SIZES[1]} products: "
        f"{counted[0]} vs {counted[1]} {'equal' if equal else 'NOT EQUAL'}"
    )
    return 0 if equal and ratio >= TARGET else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        setup()
    elif sys.argv[1:] == ["queries"]:
        queries()
    else:
        sys.exit(main())
