"""`manage.py demo_data` gives the demo shopper four gift pools to look at: the one they
organise for Chloé's birthday (a wish of her list, half-filled by two friends, one of whom hid
her name from the others, ending next week), Robin's pool they chipped in to, Lena's pool
they chipped in to whose gift was ordered with the pool's money and is being shipped, and
Felix's pool for an amount they chipped in to, whose gift is chosen once it is full."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from gifting.pools.models import Contribution, Pool
from gifting.wishlists.selectors import wishlist_shown
from shop.orders.models import Order
from shop.payments.models import Payment

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 12  # the shop `demo` (tests/demo/conftest.py) is built once for this module


def _build(capture):
    with capture(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())


def test_the_demo_shopper_sees_four_pools(demo, client):
    shopper = get_user_model().objects.get(username="shopper")
    client.force_login(shopper)

    mine = Pool.objects.get(organiser=shopper)
    assert mine.state == "open" and mine.visibility == "friends"
    assert timezone.now() + timedelta(days=6) < mine.deadline < timezone.now() + timedelta(days=8)
    assert mine.target // 2 - 1 <= mine.collected <= mine.target // 2 + 1
    assert mine.claim is not None and mine.ship_to_label.endswith("registry address")
    assert mine.recipient.username == "chloe"
    # Chloé's own view of her list shows no claim: the pool is a surprise.
    birthday = mine.claim.item.wishlist
    assert wishlist_shown(viewer=mine.recipient, wishlist=birthday).items[0].taken is None
    page = client.get(f"/pools/{mine.token}/").content.decode()
    assert "Felix Wagner" in page and "name hidden from the others" in page

    shipped = Pool.objects.get(state="shipped")
    assert shipped.collected == shipped.target and shipped.order.status == Order.Status.FULFILLED
    assert Contribution.objects.filter(pool=shipped, contributor=shopper).exists()
    assert "tracking" in client.get(f"/pools/{shipped.token}/").content.decode()

    chipped_in = Pool.objects.get(state="open", organiser__username="robin")
    assert Contribution.objects.filter(pool=chipped_in, contributor=shopper).count() == 1
    listed = client.get("/pools/").content.decode()
    assert all(pool.variant.product.title in listed for pool in (mine, shipped, chipped_in))

    amount = Pool.objects.get(organiser__username="felix")
    assert (amount.state, amount.variant, amount.target, amount.collected) == (
        "open",
        None,
        12_000,
        5_500,
    )
    assert Contribution.objects.filter(pool=amount, contributor=shopper).count() == 1
    assert "A gift of their choice" in listed and amount.token in listed
    # Every contribution kept was paid, and the pools hold exactly what was paid.
    paid = Payment.objects.filter(reference__startswith="pool-contribution:", status="succeeded")
    assert sum(p.amount for p in paid) == sum(Pool.objects.values_list("collected", flat=True))


def test_building_the_demo_again_makes_no_more_pools(demo, django_capture_on_commit_callbacks):
    counts = (Pool.objects.count(), Contribution.objects.count(), Payment.objects.count())

    _build(django_capture_on_commit_callbacks)

    assert counts[0] == 4
    assert (Pool.objects.count(), Contribution.objects.count(), Payment.objects.count()) == counts
