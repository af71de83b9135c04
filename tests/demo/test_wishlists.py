"""`manage.py demo_data` gives the demo shopper two lists (a birthday next month for friends,
private ideas, one of them on sale since; the birthday asked about, with two friends' votes
and a comment) and a friend's list with wishes claimed by others, in the shopper's feed; gifts
of both lists go to their owners' addresses."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from gifting.wishlists.models import Claim, ItemComment, ItemVote, Wishlist, WishlistItem
from shop.accounts.models import Address
from shop.catalog.models import Variant
from social.feed.models import FeedItem
from social.notifications.models import Notification

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 12  # the shop `demo` (tests/demo/conftest.py) is built once for this module


def _build(capture):
    with capture(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())


def test_the_demo_shopper_has_two_lists_and_a_friends_list_partly_claimed(
    demo, client, django_capture_on_commit_callbacks
):
    shopper = get_user_model().objects.get(username="shopper")
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(shopper)  # a returning person's feed is rebuilt

    mine = Wishlist.objects.filter(owner=shopper).order_by("title")
    friends_list = Wishlist.objects.exclude(owner=shopper).get(title="Housewarming")
    assert [(w.title, w.visibility) for w in mine] == [
        ("Ideas for the flat", "private"),
        ("My birthday", "friends"),
    ]
    assert mine[1].occasion_on is not None and mine[1].items.count() == 3
    assert Claim.objects.filter(item__wishlist=friends_list, status="reserved").count() == 2
    page = client.get(f"/wishlists/{friends_list.token}/").content.decode()
    assert page.count("Taken by") == 2 and "I’ll give this" in page
    assert "Taken by" not in client.get(f"/wishlists/{mine[1].token}/").content.decode()
    # Gifts of both go to their owners' addresses: the shopper may buy one for the friend.
    assert friends_list.shipping_address.user == friends_list.owner
    assert mine[1].shipping_address.user == shopper
    # The friend's list is in the shopper's feed (below the friends' newer doings).
    assert FeedItem.objects.filter(
        owner=shopper, activity__verb="wishlist", activity__actor=friends_list.owner
    ).exists()


def test_building_the_demo_again_makes_no_more_lists(demo, django_capture_on_commit_callbacks):
    counts = (Wishlist.objects.count(), Claim.objects.count())
    addresses = Address.objects.count()

    _build(django_capture_on_commit_callbacks)

    # The shopper's two, the friend's, and the birthday list a gift pool claims a wish of.
    assert counts == (4, 3)
    assert (Wishlist.objects.count(), Claim.objects.count()) == counts
    assert Address.objects.count() == addresses


def test_the_demo_birthday_list_is_asked_about_with_votes_and_a_comment(
    demo, client, django_capture_on_commit_callbacks
):
    _build(django_capture_on_commit_callbacks)  # built again: still two votes and one comment
    shopper = get_user_model().objects.get(username="shopper")
    birthday = Wishlist.objects.get(owner=shopper, title="My birthday")
    client.force_login(shopper)

    page = client.get(f"/wishlists/{birthday.token}/").content.decode()

    assert birthday.asked_at is not None
    assert ItemVote.objects.filter(item__wishlist=birthday).count() == 2
    assert ItemComment.objects.filter(item__wishlist=birthday).count() == 1
    assert "👍 1" in page and "👎 1" in page and "You have wanted it for ages." in page


def test_a_wish_of_the_shopper_is_on_sale_and_they_were_told(demo, client):
    shopper = get_user_model().objects.get(username="shopper")
    client.force_login(shopper)

    ideas = Wishlist.objects.get(owner=shopper, title="Ideas for the flat")
    page = client.get(f"/wishlists/{ideas.token}/").content.decode()
    assert page.count("Price drop: now") == 1
    (told,) = Notification.objects.filter(recipient=shopper, kind="wishlist_price_drop")
    assert told.data["wishlist"] == "Ideas for the flat"
    assert "is now" in client.get("/notifications/").content.decode()


def test_building_the_demo_again_makes_no_second_price_drop(
    demo, django_capture_on_commit_callbacks
):
    prices = sorted(Variant.objects.values_list("pk", "price", "compare_at_price"))
    items = WishlistItem.objects.count()

    _build(django_capture_on_commit_callbacks)

    assert sorted(Variant.objects.values_list("pk", "price", "compare_at_price")) == prices
    assert WishlistItem.objects.count() == items
    assert Notification.objects.filter(kind="wishlist_price_drop").count() == 1
