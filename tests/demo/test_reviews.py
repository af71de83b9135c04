"""`manage.py demo_data` writes believable reviews: some with photos, some verified, some by
the shopper's friends (first on the shopper's product pages), one reported in the queue; the
products' ratings equal a recount; a second build writes no more."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reviews.models import Review, ReviewReply
from shop.catalog.models import Product
from tests.html import html
from tests.reviews.helpers import aggregates, recount

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 12  # the shop `demo` (tests/demo/conftest.py) is built once for this module


def _build(capture):
    with capture(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())


def test_the_demo_has_reviews_the_shopper_sees_friends_first(demo, client):
    shopper = get_user_model().objects.get(username="shopper")
    client.force_login(shopper)

    reviews = Review.objects.all()
    assert reviews.filter(photo_count__gt=0).exists()
    assert reviews.filter(verified_purchase=True).exists()
    assert reviews.filter(needs_moderation=True, report_count=1).count() == 1
    assert ReviewReply.objects.exists()
    for product in Product.objects.filter(pk__in=reviews.values("product")):
        assert aggregates(product) == recount(product)
    reviewed = reviews.filter(verified_purchase=True).first().product
    page = html(client.get(f"/products/{reviewed.slug}/reviews/"))
    first = page.all("span", cls="review__author")[0].text
    assert first.startswith("Your friend ")


def test_building_the_demo_again_writes_no_more_reviews(demo, django_capture_on_commit_callbacks):
    count = Review.objects.count()

    _build(django_capture_on_commit_callbacks)

    assert count > 10
    assert Review.objects.count() == count
