"""`manage.py demo_data` committed, as `make run` builds it: the feed's first page after the
catalogue's new products. (A committing test, apart from test_feed.py, whose tests share a demo
shop in a transaction held open for that module: tests/demo/conftest.py.)"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from social.feed.models import Activity
from social.feed.selectors import feed_page


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
