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
