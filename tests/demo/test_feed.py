"""`manage.py demo_data` fills the demo shopper's feed: full on their first log-in."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from social.feed.models import Activity
from social.feed.selectors import feed_page

pytestmark = pytest.mark.django_db


def test_the_demo_shoppers_feed_is_full_on_first_log_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())
    shopper = get_user_model().objects.get(username="shopper")

    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(shopper)

    verbs = {entry.verb for entry in feed_page(viewer=shopper).entries}
    assert {"purchase", "friendship", "new_product"} <= verbs
    assert "bought" in client.get("/feed/").content.decode()


def test_building_the_demo_again_records_no_more_activities(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())
    count = Activity.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())

    assert count > 0
    assert Activity.objects.count() == count


def test_a_friends_demo_purchase_can_be_added_to_the_cart_from_the_feed(
    client, django_capture_on_commit_callbacks
):
    """Each demo purchase names the variant bought (the product's cheapest, at the price
    shown), so its feed card offers "Add to cart" rather than "Choose options"."""
    from shop.catalog.models import Variant

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())

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


@pytest.mark.django_db(transaction=True)
def test_the_catalogues_new_products_do_not_bury_the_friends_activity(client):
    """The demo publishes its whole catalogue at once; once committed, a few new products per
    merchant stay and the first page of the shopper's feed shows their friends' doings."""
    from demo.feed import NEW_PRODUCTS_EACH
    from shop.catalog.models import Merchant

    call_command("demo_data", products=40, stdout=io.StringIO())
    shopper = get_user_model().objects.get(username="shopper")
    client.force_login(shopper)

    new_products = Activity.objects.filter(verb="new_product").count()
    assert 0 < new_products <= NEW_PRODUCTS_EACH * Merchant.objects.count()
    verbs = {entry.verb for entry in feed_page(viewer=shopper).entries}
    assert {"purchase", "like"} <= verbs
