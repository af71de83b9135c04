"""Reviews: a product page with 500 reviews, served to anonymous visitors, as a ratio of
requests/s to the trivial view (target >= 0.3), with the reviews list it loads by htmx
(/products/<slug>/reviews/ with htmx, cached for visitors: reviews.list_cache, no query on a
hit) and a whole page view (both requests) measured beside it as context; and,
with every cache empty (each must be equal), the queries of the reviews list and of the
product page at 5 vs 500 reviews, and of the product list sorted by rating at 10 vs 100 rated
products.

The rating summary is in the product page's cached parts (the aggregates are kept on the
product), so the page costs what any cached catalogue page costs whatever the number of
reviews. A throwaway SQLite database, or BENCH_DATABASE_URL (a database it may fill).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.serve import CONNECTIONS, ROOT, VENV_BIN, fetch, rates, served, site_env, vendor

REVIEWS = 500
THROUGHPUT_TARGET = 0.3


def _product_with_reviews(slug: str, count: int):
    """A product with COUNT reviews by as many people (rows written in bulk, the aggregates
    set to their recount: the services' path is measured by the tests, not here)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Sum

    from reviews.models import Review
    from shop.catalog.models import Product
    from tests.factories import ProductFactory

    User = get_user_model()
    product = ProductFactory(slug=slug, title=f"Bench {slug}")
    people = User.objects.bulk_create(
        [User(username=f"{slug}-{i}", email=f"{slug}-{i}@bench.test") for i in range(count)]
    )
    people = list(User.objects.filter(username__startswith=f"{slug}-").order_by("pk"))
    Review.objects.bulk_create(
        [
            Review(
                product=product,
                author=person,
                rating=1 + i % 5,
                title=f"Review {i}",
                body="Solid, well made, does what it says. " * 3,
                verified_purchase=i % 3 == 0,
                helpful_count=i % 17,
            )
            for i, person in enumerate(people)
        ]
    )
    stars = dict(
        Review.objects.filter(product=product)
        .values("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    total = Review.objects.filter(product=product).aggregate(s=Sum("rating"))["s"] or 0
    Product.objects.filter(pk=product.pk).update(
        rating_count=count,
        rating_sum=total,
        **{f"rating_{s}": stars.get(s, 0) for s in (1, 2, 3, 4, 5)},
    )
    return product


def _queries(url: str) -> tuple[int, str]:
    """(the queries of a visitor's GET of URL with every cache empty, the page)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as counted:
        page = Client().get(url).content.decode()
    return len(counted), page


def setup() -> None:
    """In the bench's environment: the products; print the query counts (reviews list at 5 and
    500 reviews, product page at 5 and 500, product list by rating at 10 and 100 products)."""
    import django

    django.setup()

    from tests.factories import CategoryFactory, ProductFactory

    lists, pages, sorted_lists = [], [], []
    for slug, count in (("few-reviews", 5), ("many-reviews", REVIEWS)):
        product = _product_with_reviews(slug, count)
        queries, page = _queries(f"/products/{product.slug}/reviews/")
        if "review__author" not in page:
            raise SystemExit("reviews bench: the reviews list shows no review")
        lists.append(queries)
        pages.append(_queries(f"/products/{product.slug}/")[0])
    for count in (10, 100):
        category = CategoryFactory(slug=f"rated-{count}")
        for i in range(count):
            ProductFactory(category=category, rating_count=1 + i % 7, rating_sum=4 + i % 20)
        queries, page = _queries(f"/products/?category=rated-{count}&sort=rating")
        if "product-card" not in page:
            raise SystemExit("reviews bench: the list sorted by rating shows no product")
        sorted_lists.append(queries)
    print(" ".join(map(str, [*lists, *pages, *sorted_lists])))


def main() -> int:
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        print("reviews: SKIPPED, wrk is not installed (apt-get install -y wrk)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="agora-reviews-bench-"))
    env = site_env(tmp, CELERY_TASK_ALWAYS_EAGER="1")
    python = str(VENV_BIN / "python")
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], **run)
    done = subprocess.run(
        [python, "-m", "bench.reviews_bench", "setup"], **run, capture_output=True, text=True
    )
    few, many, page_few, page_many, sorted_10, sorted_100 = done.stdout.split()[-6:]
    try:
        with served(env) as base:
            page, _ = fetch(f"{base}/products/many-reviews/")
            if f"{REVIEWS} reviews".encode() not in page:
                raise SystemExit("reviews bench: the product page shows no rating summary")
            measured = rates(
                {
                    "page": (f"{base}/products/many-reviews/", ""),
                    # As a product page loads it: with htmx.
                    "list": (f"{base}/products/many-reviews/reviews/", "", {"HX-Request": "true"}),
                }
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    trivial_rps, rps, list_rps = measured["trivial"], measured["page"], measured["list"]
    ratio = measured.ratio("page")
    # A visitor's page view is both requests: views/s = 1 / (1/page rate + 1/list rate).
    views = 1 / (1 / rps + 1 / list_rps)
    print(
        f"throughput / product page with {REVIEWS} reviews, anonymous / trivial view: "
        f"{ratio:.2f} ({'meets' if ratio >= THROUGHPUT_TARGET else 'BELOW'} target "
        f"{THROUGHPUT_TARGET}; median of {measured.spread('page')}; {rps:.0f} vs "
        f"{trivial_rps:.0f} req/s; its reviews list {measured.ratio('list'):.2f}, "
        f"{list_rps:.0f} req/s; a page view, page and list, "
        f"{views / trivial_rps:.2f}, {views:.0f} views/s; {vendor(env)}, gunicorn 2 "
        f"workers, wrk {CONNECTIONS} connections)"
    )
    equal = True
    for what, small, large in (
        (f"reviews list, anonymous, every cache empty, at 5 vs {REVIEWS} reviews", few, many),
        (f"product page, anonymous, every cache empty, at 5 vs {REVIEWS} reviews", page_few,
         page_many),
        ("product list sorted by rating, every cache empty, at 10 vs 100 products", sorted_10,
         sorted_100),
    ):  # fmt: skip
        equal &= small == large
        print(f"queries / {what}: {small} vs {large} {'equal' if small == large else 'NOT EQUAL'}")
    return 0 if equal and ratio >= THROUGHPUT_TARGET else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        setup()
    else:
        sys.exit(main())
