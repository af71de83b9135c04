"""`manage.py demo_data` gives the demo shopper two lists (a birthday next month for friends,
private ideas) and a friend's list with wishes claimed by others."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from gifting.wishlists.models import Claim, Wishlist

pytestmark = pytest.mark.django_db


def _build(capture):
    with capture(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())


def test_the_demo_shopper_has_two_lists_and_a_friends_list_partly_claimed(
    client, django_capture_on_commit_callbacks
):
    _build(django_capture_on_commit_callbacks)
    shopper = get_user_model().objects.get(username="shopper")
    client.force_login(shopper)

    mine = Wishlist.objects.filter(owner=shopper).order_by("title")
    friends_list = Wishlist.objects.exclude(owner=shopper).get()
    assert [(w.title, w.visibility) for w in mine] == [
        ("Ideas for the flat", "private"),
        ("My birthday", "friends"),
    ]
    assert mine[1].occasion_on is not None and mine[1].items.count() == 3
    assert Claim.objects.filter(item__wishlist=friends_list, status="reserved").count() == 2
    page = client.get(f"/wishlists/{friends_list.token}/").content.decode()
    assert page.count("Taken by") == 2 and "I’ll give this" in page
    assert "Taken by" not in client.get(f"/wishlists/{mine[1].token}/").content.decode()


def test_building_the_demo_again_makes_no_more_lists(django_capture_on_commit_callbacks):
    _build(django_capture_on_commit_callbacks)
    counts = (Wishlist.objects.count(), Claim.objects.count())

    _build(django_capture_on_commit_callbacks)

    assert counts == (3, 2)
    assert (Wishlist.objects.count(), Claim.objects.count()) == counts
