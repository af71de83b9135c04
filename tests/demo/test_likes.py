"""`manage.py demo_data` has the demo shopper's friends like products: the shopper's cards
read "Liked by …" on the first log-in."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from social.likes.models import Like, ProductLikeCount
from tests.html import html

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 12  # the shop `demo` (tests/demo/conftest.py) is built once for this module


def test_the_demo_shoppers_cards_show_friends_likes(demo, client):
    shopper = get_user_model().objects.get(username="shopper")
    client.force_login(shopper)

    lines = [node.text for node in html(client.get("/")).all("li", cls="social-proof__line")]

    assert any("Liked by" in line for line in lines)


def test_building_the_demo_again_likes_nothing_more(demo, django_capture_on_commit_callbacks):
    likes = Like.objects.count()
    counts = sorted(ProductLikeCount.objects.values_list("product_id", "count"))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())

    assert likes > 0
    assert Like.objects.count() == likes
    assert sorted(ProductLikeCount.objects.values_list("product_id", "count")) == counts
