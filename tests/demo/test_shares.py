"""`manage.py demo_data`: a friend shared a product with the demo shopper (a notification and
a feed item waiting); building again adds nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from social.feed.selectors import feed_page
from social.likes.models import Share
from social.notifications.models import Notification

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 12  # the shop `demo` (tests/demo/conftest.py) is built once for this module


def test_a_friend_shared_a_product_with_the_demo_shopper_once(
    demo, client, django_capture_on_commit_callbacks
):
    # Built again: still one share.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())
    shopper = get_user_model().objects.get(username="shopper")

    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(shopper)

    share = Share.objects.get(recipients__user=shopper)
    note = Notification.objects.get(recipient=shopper, kind="share_received")
    assert note.url.endswith(f"?s={share.token}")
    assert "share" in {entry.verb for entry in feed_page(viewer=shopper).entries}
    page = client.get("/notifications/").content.decode()
    assert f"shared {share.product.title} with you" in page
