"""What the feed does when the shop and the graph say something happened."""

import pytest

from shop.catalog.events import product_published
from shop.orders.events import order_paid
from social.feed.models import Activity, FeedItem
from social.feed.selectors import feed_page
from social.graph import services as graph
from tests.factories import MerchantFactory, ProductFactory, friends_make, privacy_set
from tests.social.feed.conftest import person

pytestmark = pytest.mark.django_db


def _in_feed(viewer) -> list[int]:
    return [a.pk for entry in feed_page(viewer=viewer).entries for a in entry.activities]


def _pay(paid_order, buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return paid_order(customer=buyer, email=buyer.email)


def test_a_purchase_is_not_shown_while_the_buyer_keeps_purchases_private(
    paid_order, django_capture_on_commit_callbacks
):
    buyer, friend = person("buyer"), person("friend")
    friends_make(buyer, friend)

    _pay(paid_order, buyer, django_capture_on_commit_callbacks)

    assert not Activity.objects.filter(verb="purchase").exists()
    assert _in_feed(friend) == []


def test_a_purchase_shared_with_friends_reaches_friends_once_per_line(
    paid_order, django_capture_on_commit_callbacks
):
    buyer, friend, stranger = person("buyer"), person("friend"), person("stranger")
    friends_make(buyer, friend)
    privacy_set(buyer, purchases="friends")

    order = _pay(paid_order, buyer, django_capture_on_commit_callbacks)
    # The outbox may deliver the event again: nothing more is recorded.
    order_paid.send_robust(sender=None, event_id=1, order_id=order.pk, number=order.number)

    activities = list(Activity.objects.filter(verb="purchase"))
    assert len(activities) == order.lines.count() == 1
    assert activities[0].visibility == "friends"
    assert _in_feed(friend) == [activities[0].pk]
    assert _in_feed(stranger) == []


def test_a_published_product_reaches_the_merchants_followers(django_capture_on_commit_callbacks):
    merchant = MerchantFactory(name="Outdoor Co")
    fan = person("fan")
    graph.merchant_follow(follower=fan, merchant=merchant)
    product = ProductFactory(merchant=merchant, title="Trail Jacket")

    with django_capture_on_commit_callbacks(execute=True):
        product_published.send(sender=None, product_id=product.pk)

    activity = Activity.objects.get(verb="new_product")
    assert activity.snapshot["title"] == "Trail Jacket"
    # its card's "Add to cart" adds the product's only variant
    assert activity.snapshot["variant_id"] == product.variants.get().pk
    assert _in_feed(fan) == [activity.pk]


def test_a_new_product_with_several_variants_lets_the_card_link_to_choose(
    django_capture_on_commit_callbacks,
):
    product = ProductFactory(with_variants=3)

    with django_capture_on_commit_callbacks(execute=True):
        product_published.send(sender=None, product_id=product.pk)

    assert Activity.objects.get(verb="new_product").snapshot["variant_id"] is None


def test_new_friends_see_the_friendship_and_each_others_recent_activities(
    record, django_capture_on_commit_callbacks
):
    ana, ben, carl = person("ana"), person("ben"), person("carl")
    friends_make(ana, carl)
    earlier = record(ben, key="ben-like", visibility="friends")

    with django_capture_on_commit_callbacks(execute=True):
        request = graph.friend_request_send(sender=ana, to=ben)
    with django_capture_on_commit_callbacks(execute=True):
        graph.friend_request_accept(friend_request=request, user=ben)

    friendship = Activity.objects.get(verb="friendship", actor=ana)
    assert earlier.pk in _in_feed(ana)
    assert friendship.pk in _in_feed(carl)


def test_unfriending_removes_each_others_items(record, django_capture_on_commit_callbacks):
    ana, ben = person("ana"), person("ben")
    friends_make(ana, ben)
    activity = record(ana, key="a")
    assert _in_feed(ben) == [activity.pk]

    with django_capture_on_commit_callbacks(execute=True):
        graph.friendship_delete(user=ben, friend=ana)

    assert not FeedItem.objects.filter(owner=ben).exists()
    assert _in_feed(ben) == []


def test_blocking_removes_the_items_and_they_never_show_again(
    record, django_capture_on_commit_callbacks
):
    ana, ben = person("ana"), person("ben")
    friends_make(ana, ben)
    activity = record(ana, key="a")

    with django_capture_on_commit_callbacks(execute=True):
        graph.person_block(blocker=ben, person=ana)
    # Even a row left behind (written before the block) is not shown.
    FeedItem.objects.create(owner=ben, activity=activity, created_at=activity.created_at)

    assert _in_feed(ben) == []


def test_making_purchases_private_later_removes_them_from_every_feed(
    record, django_capture_on_commit_callbacks
):
    ana, friend, follower = person("ana"), person("friend"), person("follower")
    friends_make(ana, friend)
    privacy_set(ana, profile="public", purchases="public")
    graph.person_follow(follower=follower, person=ana)
    bought = record(ana, key="p", visibility="public", verb="purchase")
    assert _in_feed(follower) == [bought.pk]

    with django_capture_on_commit_callbacks(execute=True):
        graph.privacy_settings_update(user=ana, purchases="friends")

    assert _in_feed(follower) == []
    assert not FeedItem.objects.filter(owner=follower).exists()
    assert _in_feed(friend) == [bought.pk]


def test_a_returning_person_gets_their_feed_rebuilt_at_log_in(
    record, client, django_capture_on_commit_callbacks
):
    ana, ben = person("ana"), person("ben")
    ben.last_login = None
    ben.save()
    friends_make(ana, ben)
    activity = record(ana, key="a")
    assert not FeedItem.objects.filter(owner=ben).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(ben)

    assert FeedItem.objects.filter(owner=ben, activity=activity).exists()
    assert _in_feed(ben) == [activity.pk]
