"""A list shared with friends or made public, and what is added to it, show in the feed at the
list's audience; claims never do; a list made private or deleted leaves every feed."""

import pytest

from gifting.wishlists import services
from social.graph.services import person_block
from tests.factories import ProductFactory, friends_make
from tests.gifting.feeds import feed_text as _feed
from tests.gifting.feeds import person_signed_in as _person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ana, ben, chloe, dan = (_person(n) for n in ("ana", "ben", "chloe", "dan"))
    friends_make(ana, ben, chloe)
    friends_make(chloe, dan)  # Dan: a friend of a friend
    return ana, ben, chloe, dan


def _list_with_wishes(run, owner, visibility, *titles):
    wishlist = run(services.wishlist_create, owner=owner, title="Birthday", visibility=visibility)
    for title in titles:
        variant = ProductFactory(title=title).variants.get()
        run(services.wishlist_item_add, wishlist=wishlist, variant_id=variant.pk)
    return wishlist


def test_friends_see_a_shared_list_and_what_was_added_to_it(client, people, run):
    ana, ben, _, dan = people

    wishlist = _list_with_wishes(run, ana, "friends", "Trail Jacket", "Tent")

    seen = _feed(client, ben)
    assert f'shared a wishlist: <a href="/wishlists/{wishlist.token}/">Birthday</a>' in seen
    assert f'would love 2 things, on the list <a href="/wishlists/{wishlist.token}/">' in seen
    assert "Birthday" not in _feed(client, dan)


def test_a_private_or_link_only_list_is_not_announced(client, people, run):
    ana, ben, _, _ = people

    _list_with_wishes(run, ana, "private", "Trail Jacket")
    _list_with_wishes(run, ana, "link", "Tent")

    seen = _feed(client, ben)
    assert "Birthday" not in seen and "would love" not in seen


def test_a_claim_is_never_in_any_feed(client, people, run):
    ana, ben, chloe, _ = people
    wishlist = _list_with_wishes(run, ana, "friends", "Trail Jacket")

    run(services.claim_create, item=wishlist.items.get(), claimer=ben)

    for viewer in (ana, ben, chloe):
        seen = _feed(client, viewer)
        assert "claim" not in seen.lower() and "taken" not in seen.lower()
        assert "I’ll give" not in seen


def test_a_list_made_private_leaves_the_feeds_and_a_deleted_one_too(client, people, run):
    ana, ben, chloe, _ = people
    kept_private = _list_with_wishes(run, ana, "friends", "Trail Jacket")
    deleted = run(services.wishlist_create, owner=ana, title="Wedding", visibility="friends")

    run(
        services.wishlist_update,
        wishlist=kept_private,
        title="Birthday",
        occasion_on=None,
        visibility="private",
    )
    run(services.wishlist_delete, wishlist=deleted)

    seen = _feed(client, chloe)
    assert "Birthday" not in seen and "Trail Jacket" not in seen and "Wedding" not in seen


def test_a_list_shared_later_is_announced_then(client, people, run):
    ana, ben, _, _ = people
    wishlist = _list_with_wishes(run, ana, "private", "Trail Jacket")

    run(
        services.wishlist_update,
        wishlist=wishlist,
        title="Birthday",
        occasion_on=None,
        visibility="friends",
    )

    assert "shared a wishlist" in _feed(client, ben)


def test_a_removed_wish_leaves_the_feeds(client, people, run):
    ana, ben, _, _ = people
    wishlist = _list_with_wishes(run, ana, "friends", "Trail Jacket")

    run(services.wishlist_item_remove, item=wishlist.items.get())

    assert "Trail Jacket" not in _feed(client, ben)


def test_a_blocked_friend_sees_none_of_it(client, people, run):
    ana, ben, _, _ = people
    person_block(blocker=ana, person=ben)

    _list_with_wishes(run, ana, "public", "Trail Jacket")

    seen = _feed(client, ben)
    assert "Birthday" not in seen and "Trail Jacket" not in seen
