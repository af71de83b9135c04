"""Products for you: quality on generated data with planted structure, the signed-in home
page's queries at 10 vs 100 friends, and its throughput as a ratio to the trivial view.

Quality: GROUPS taste groups, each with its own two categories of products; people in a group
buy and like in their group's categories, and most of their friends are in their group (some
share their purchases with friends). One purchase of each of TESTED people is held out (never
written). Then every order is counted into "often bought together" and each tested person's
picks are computed by the real precompute (products_services.picks_compute) and read as the
home does (products_selectors.picks_for_user): hit rate at 10 = the share of tested people
whose held-out product is among their first 10 picks, against the same for the shop's best
sellers (what an unpersonalised home shows; what the person bought left out). Target >= 2x.

Home page: a viewer with 10 and one with 100 friends in the same data; `/` counted with every
cache empty (must be equal), then served by gunicorn (2 workers) and driven by wrk, signed in
as the 100-friend viewer, against /healthz/ (the trivial view), in short rounds (the median
of their ratios; target >= 0.3). A throwaway SQLite database, or BENCH_DATABASE_URL (a
database it may fill).
"""

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.serve import CONNECTIONS, ROOT, VENV_BIN, rates, served, signed_in, site_env, vendor

GROUPS = 8
PEOPLE_PER_GROUP = 60
PRODUCTS_PER_CATEGORY = 30
PURCHASES_EACH = 6
LIKES_EACH = 4
FRIENDS_EACH = 8
IN_GROUP = 0.85
SHARING = 0.7  # who shares purchases with friends
POPULAR = 20  # products everyone buys now and then (the best sellers)
TESTED = 200
SEED = 7
QUALITY_TARGET = 2.0
THROUGHPUT_TARGET = 0.3


def _generate(rng: random.Random):
    """Write the planted shop; return (people by group, held-out product of each tested)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from shop.catalog.models import Category, Merchant, Product, Variant
    from shop.orders.models import Order, OrderLine
    from social.graph.models import Friendship, PrivacySettings
    from social.likes.models import Like

    User = get_user_model()
    merchant = Merchant.objects.create(name="Bench", slug="bench-merchant")
    categories = Category.objects.bulk_create(
        [
            Category(name=f"Taste {g}-{k}", slug=f"taste-{g}-{k}")
            for g in range(GROUPS)
            for k in (0, 1)
        ]
    )
    products = Product.objects.bulk_create(
        [
            Product(
                merchant=merchant,
                category=category,
                title=f"{category.name} item {i}",
                slug=f"{category.slug}-item-{i}",
                brand=f"Brand {category.pk % 5}",
                is_published=True,
            )
            for category in categories
            for i in range(PRODUCTS_PER_CATEGORY)
        ]
    )
    Variant.objects.bulk_create(
        [
            Variant(product=p, sku=f"B-{p.pk}", name="One", price=1000, stock=10_000)
            for p in products
        ]
    )
    by_group = {
        g: [
            p for p in products if p.category_id in (categories[2 * g].pk, categories[2 * g + 1].pk)
        ]
        for g in range(GROUPS)
    }
    popular = rng.sample(products, POPULAR)
    users = User.objects.bulk_create(
        [
            User(
                username=f"taste-{g}-{i}",
                email=f"taste-{g}-{i}@bench.test",
                display_name=f"T{g}.{i}",
            )
            for g in range(GROUPS)
            for i in range(PEOPLE_PER_GROUP)
        ]
    )
    users = list(User.objects.filter(username__startswith="taste-").order_by("pk"))
    group_of = {u.pk: int(u.username.split("-")[1]) for u in users}
    people = {g: [u for u in users if group_of[u.pk] == g] for g in range(GROUPS)}
    PrivacySettings.objects.bulk_create(
        [PrivacySettings(user=u, purchases="friends") for u in users if rng.random() < SHARING]
    )
    pairs = set()
    for u in users:
        for _ in range(FRIENDS_EACH // 2):
            pool = people[group_of[u.pk]] if rng.random() < IN_GROUP else users
            other = rng.choice(pool)
            if other.pk != u.pk:
                pairs.add((min(u.pk, other.pk), max(u.pk, other.pk)))
    Friendship.objects.bulk_create(
        [
            half
            for a, b in pairs
            for half in (Friendship(user_id=a, friend_id=b), Friendship(user_id=b, friend_id=a))
        ]
    )
    # Tastes: each group prefers a few of its products (a skewed choice), plus the popular.
    held_out: dict[int, int] = {}
    tested = {u.pk for u in rng.sample(users, TESTED)}
    orders, lines, likes = [], [], []
    for u in users:
        own = by_group[group_of[u.pk]]
        weights = [1.0 / (1 + i) ** 0.8 for i in range(len(own))]
        bought = set()
        while len(bought) < PURCHASES_EACH:
            bought.add(rng.choices(own, weights)[0])
        if rng.random() < 0.5:
            bought.add(rng.choice(popular))
        bought = list(bought)
        rng.shuffle(bought)
        if u.pk in tested:
            candidates = [p for p in bought if p in own]
            held_out[u.pk] = candidates[-1].pk
            bought.remove(candidates[-1])
        for start in range(0, len(bought), 2):  # orders of two
            orders.append((u, bought[start : start + 2]))
        for p in rng.sample(own, LIKES_EACH):
            if p.pk != held_out.get(u.pk):
                likes.append(Like(user=u, product=p))
    made = Order.objects.bulk_create(
        [
            Order(
                customer=u,
                email=u.email,
                status="paid",
                currency="EUR",
                subtotal=0,
                total=0,
                ship_full_name="B",
                ship_line1="1",
                ship_postal_code="1",
                ship_city="B",
                ship_country="BE",
                shipping_method_name="S",
            )
            for u, _ in orders
        ]
    )
    variants = dict(Variant.objects.values_list("product_id", "pk"))
    for order, (_, bought) in zip(made, orders, strict=True):
        for p in bought:
            lines.append(
                OrderLine(
                    order=order,
                    merchant=merchant,
                    variant_id=variants[p.pk],
                    product_title=p.title,
                    product_slug=p.slug,
                    variant_name="One",
                    sku=f"B-{p.pk}",
                    unit_price=0,
                    quantity=1,
                    line_total=0,
                )
            )
    OrderLine.objects.bulk_create(lines)
    Like.objects.bulk_create(likes, ignore_conflicts=True)
    for product_id, sold in (
        OrderLine.objects.values("variant__product_id")
        .annotate(n=Count("pk"))
        .values_list("variant__product_id", "n")
    ):
        Product.objects.filter(pk=product_id).update(units_sold=sold)
    return people, held_out, [o.pk for o in made]


def setup() -> None:
    """In the bench's environment: the planted data, quality printed, the two viewers; print
    the 100-friend viewer's session cookie last."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shop.catalog.models import Product
    from social.recommendations import products_selectors, products_services
    from tests.factories import UserFactory, friends_make

    rng = random.Random(SEED)
    people, held_out, order_ids = _generate(rng)
    for order_id in order_ids:
        products_services.copurchase_order_count(order_id=order_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from shop.orders.models import OrderLine

    best = list(
        Product.objects.filter(is_published=True)
        .order_by("-units_sold", "-id")
        .values_list("pk", flat=True)[:60]
    )
    hits = baseline = 0
    started = time.monotonic()
    from django.contrib.auth import get_user_model

    User = get_user_model()
    for user_id, product_id in held_out.items():
        products_services.picks_compute(user_id=user_id)
        user = User(pk=user_id)
        top = [p.product_id for p in products_selectors.picks_for_user(viewer=user)[:10]]
        hits += product_id in top
        bought = set(
            OrderLine.objects.filter(order__customer_id=user_id).values_list(
                "variant__product_id", flat=True
            )
        )
        baseline += product_id in [pk for pk in best if pk not in bought][:10]
    seconds = (time.monotonic() - started) / len(held_out)
    rate, base = hits / len(held_out), baseline / len(held_out)
    ratio = rate / base if base else float("inf")
    print(
        f"quality products for you hit rate at 10: {rate:.3f} vs best sellers {base:.3f}: "
        f"{ratio:.1f}x ({'meets' if ratio >= QUALITY_TARGET else 'BELOW'} target "
        f"{QUALITY_TARGET}x; {len(held_out)} held-out purchases, {GROUPS} taste groups, "
        f"{sum(map(len, people.values()))} people; precompute {seconds * 1000:.0f} ms a person)",
        file=sys.stderr,
    )
    everyone = [u for group in people.values() for u in group]
    counts, cookie = [], ""
    for size in (10, 100):
        viewer = UserFactory(username=f"home-bench-{size}", display_name=f"Viewer {size}")
        friends_make(viewer, *everyone[:size])
        products_services.picks_compute(user_id=viewer.pk)
        client = Client()
        client.force_login(viewer)
        cache.clear()
        with CaptureQueriesContext(connection) as counted:
            page = client.get("/").content.decode()
        if "From your friends" not in page:
            raise SystemExit("recommendations bench: the home page is not built for the viewer")
        counts.append(len(counted))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    print(" ".join(map(str, counts)), cookie)


def main() -> int:
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        print("recommendations: SKIPPED, wrk is not installed (apt-get install -y wrk)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="agora-recs-bench-"))
    env = site_env(tmp, CELERY_TASK_ALWAYS_EAGER="1")
    python = str(VENV_BIN / "python")
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], **run)
    done = subprocess.run(
        [python, "-m", "bench.recommendations_bench", "setup"],
        **run,
        capture_output=True,
        text=True,
    )
    sys.stdout.write(done.stderr.strip().splitlines()[-1] + "\n")
    few, many, session = done.stdout.split()[-3:]
    try:
        with served(env) as base:
            page, cookie = signed_in(f"{base}/", session)
            if b"From your friends" not in page:
                raise SystemExit("recommendations bench: gunicorn did not serve the personal home")
            measured = rates({"home": (f"{base}/", cookie)})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    trivial_rps, rps = measured["trivial"], measured["home"]
    ratio = measured.ratio("home")
    print(
        f"throughput / signed in, built for the person / trivial view: {ratio:.2f} "
        f"({'meets' if ratio >= THROUGHPUT_TARGET else 'BELOW'} target {THROUGHPUT_TARGET}; "
        f"median of {measured.spread('home')}; {rps:.0f} vs {trivial_rps:.0f} req/s, a viewer "
        f"with 100 friends, {vendor(env)}, "
        f"gunicorn 2 workers, wrk {CONNECTIONS} connections)"
    )
    equal = few == many
    print(
        f"queries / signed in, built for the person, every cache empty, at 10 vs 100 friends: "
        f"{few} vs {many} {'equal' if equal else 'NOT EQUAL'}"
    )
    return 0 if equal and ratio >= THROUGHPUT_TARGET else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        setup()
    else:
        sys.exit(main())
