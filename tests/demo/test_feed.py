"""`manage.py demo_data` fills the demo shopper's feed: full on their first log-in."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from social.feed.models import Activity
from social.feed.selectors import feed_page

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 12  # the shop `demo` (tests/demo/conftest.py) is built once for this module


def test_the_demo_shoppers_feed_is_full_on_first_log_in(
    demo, client, django_capture_on_commit_callbacks
):
    shopper = get_user_model().objects.get(username="shopper")

    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(shopper)

    verbs = {entry.verb for entry in feed_page(viewer=shopper).entries}
    assert {"purchase", "friendship", "new_product"} <= verbs
    assert "bought" in client.get("/feed/").content.decode()


def test_building_the_demo_again_records_no_more_activities(
    demo, django_capture_on_commit_callbacks
):
    count = Activity.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())

    assert count > 0
    assert Activity.objects.count() == count


def test_a_friends_demo_purchase_can_be_added_to_the_cart_from_the_feed(
    demo, client, django_capture_on_commit_callbacks
):
    """Each demo purchase names the variant bought (the product's cheapest, at the price
    shown), so its feed card offers "Add to cart" rather than "Choose options"."""
    from shop.catalog.models import Variant

    purchases = list(Activity.objects.filter(verb="purchase", dedupe_key__startswith="demo:"))
    assert purchases
    for activity in purchases:
        variant = Variant.objects.get(pk=activity.snapshot["variant_id"])
        assert variant.product_id == activity.product_id
        assert variant.price == activity.snapshot["price"]
    shopper = get_user_model().objects.get(username="shopper")
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(shopper)
    assert "Add to cart" in client.get("/feed/").content.decode()
