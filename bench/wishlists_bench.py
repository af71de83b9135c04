"""Queries of a wishlist's page at 5 vs 200 wishes (must be equal), for its owner and for a
friend: each wish claimed by another friend (a unit each, one of them bought), voted on and
commented on, the owner's address set for gifts. The owner's view is measured before the
reveal (no claim shown) and after it (every claim and who made it)."""

import os
import sys
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="agora-bench-")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{_tmp}/wishlists.sqlite3"
)
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (5, 200)


def _count(user, url: str, *, shows: str, hides: str = "") -> int:
    """The queries of USER's GET of URL (its page must show SHOWS and not HIDES)."""
    client = Client()
    client.force_login(user)
    client.get(url)  # the header's cached parts are read once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    page = response.content.decode()
    if response.status_code != 200 or shows not in page or (hides and hides in page):
        raise SystemExit(f"wishlists bench: {url} answered {response.status_code} without "
                         f"{shows!r} or with {hides!r}")  # fmt: skip
    return len(queries)


def _list_of(size: int):
    """An owner's list of SIZE wishes, each claimed, voted on and commented on by friends
    (the owner asked them)."""
    from gifting.wishlists import ask_services, services
    from gifting.wishlists.models import Claim, ItemComment, ItemVote
    from tests.factories import AddressFactory, ProductFactory, UserFactory, friends_make

    owner, friend = UserFactory(), UserFactory()
    givers = [UserFactory() for _ in range(size)]
    friends_make(owner, friend, *givers)
    wishlist = services.wishlist_create(
        owner=owner,
        title=f"Birthday {size}",
        visibility="friends",
        shipping_address=AddressFactory(user=owner),
    )
    for giver in givers:
        item = services.wishlist_item_add(
            wishlist=wishlist, variant_id=ProductFactory().variants.get().pk, quantity=2
        )
        services.claim_create(item=item, claimer=giver)
        ItemVote.objects.create(item=item, voter=giver, up=True)
        ItemComment.objects.create(item=item, author=giver, text="This one!")
    ask_services.wishlist_ask(wishlist=wishlist)  # the votes and comments show from now on
    first = Claim.objects.filter(item__wishlist=wishlist).first()
    services.claim_purchase(claim=first, order_id=None)
    return owner, friend, wishlist


def measure(size: int) -> tuple[int, int, int]:
    from gifting.wishlists import services

    cache.clear()
    owner, friend, wishlist = _list_of(size)
    url = f"/wishlists/{wishlist.token}/"
    before = _count(owner, url, shows="This one!", hides="Taken by")
    seen = _count(friend, url, shows="Taken by")
    services.wishlist_reveal(wishlist=wishlist)
    after = _count(owner, url, shows="Taken by")
    return before, seen, after


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    small, large = (measure(size) for size in SIZES)
    equal = True
    for index, who in enumerate(
        ("the owner, before the reveal", "a friend", "the owner, after the reveal")
    ):
        same = small[index] == large[index]
        equal &= same
        print(
            f"queries / a wishlist's page as {who}, at {SIZES[0]} vs {SIZES[1]} wishes (each "
            f"claimed, voted on, commented on): {small[index]} vs {large[index]} "
            f"{'equal' if same else 'NOT EQUAL'}"
        )
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
