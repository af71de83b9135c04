from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from gifting.wishlists import selectors, services
from tests.factories import UserFactory, friends_make, privacy_set
from tests.gifting.wishlists.helpers import wish_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ana, ben, chloe = (
        UserFactory(username=n, display_name=n.title()) for n in ("ana", "ben", "chloe")
    )
    friends_make(ana, ben, chloe)
    return ana, ben, chloe


def test_the_owner_is_told_nothing_of_claims_before_the_occasion(people):
    ana, ben, _ = people
    item = wish_make(ana, wanted=2, occasion_on=timezone.localdate() + timedelta(days=3))
    services.claim_create(item=item, claimer=ben)

    shown = selectors.wishlist_shown(viewer=ana, wishlist=item.wishlist)

    assert shown.is_owner and not shown.claims_shown
    assert shown.items[0].taken is None and shown.items[0].claims == []
    assert not hasattr(shown.items[0].item, "taken")


def test_the_owner_sees_claims_once_revealed(people):
    ana, ben, _ = people
    item = wish_make(ana, wanted=2)
    services.claim_create(item=item, claimer=ben)

    services.wishlist_reveal(wishlist=item.wishlist)
    shown = selectors.wishlist_shown(viewer=ana, wishlist=item.wishlist)

    assert shown.claims_shown and [c.name for c in shown.items[0].claims] == ["Ben"]


def test_the_owner_sees_claims_once_the_occasion_has_passed(people):
    ana, ben, _ = people
    item = wish_make(ana, occasion_on=timezone.localdate() - timedelta(days=1))
    services.claim_create(item=item, claimer=ben)

    shown = selectors.wishlist_shown(viewer=ana, wishlist=item.wishlist)

    assert shown.items[0].taken == 1


def test_a_friend_sees_what_is_taken_and_by_whom_when_they_know_the_claimer(people):
    ana, ben, chloe = people
    friends_make(ben, chloe)
    item = wish_make(ana, wanted=3)
    services.claim_create(item=item, claimer=ben, quantity=2)

    shown = selectors.wishlist_shown(viewer=chloe, wishlist=item.wishlist)

    assert (shown.items[0].taken, shown.items[0].left) == (2, 1)
    assert [(c.name, c.quantity, c.mine) for c in shown.items[0].claims] == [("Ben", 2, False)]


def test_a_claimer_whose_profile_the_viewer_may_not_see_is_someone(people):
    ana, _, chloe = people
    item = wish_make(ana, visibility="public")
    services.claim_create(item=item, claimer=chloe)  # Chloé's profile: friends only
    dave = UserFactory(username="dave")

    shown = selectors.wishlist_shown(viewer=dave, wishlist=item.wishlist)
    privacy_set(chloe, profile="public")
    shown_public = selectors.wishlist_shown(viewer=dave, wishlist=item.wishlist)

    assert [c.name for c in shown.items[0].claims] == ["Someone"]
    assert [c.name for c in shown_public.items[0].claims] == ["Chloe"]


def test_a_released_claim_is_not_taken(people):
    ana, ben, chloe = people
    item = wish_make(ana)
    services.claim_release(claim=services.claim_create(item=item, claimer=ben), by=ben)

    shown = selectors.wishlist_shown(viewer=chloe, wishlist=item.wishlist)

    assert shown.items[0].taken == 0 and shown.items[0].claims == []


def test_a_wrong_or_odd_token_is_a_404(people):
    ana, ben, _ = people
    wish_make(ana)

    for token in ("nope", "", "x" * 500, "\x00"):
        with pytest.raises(Http404):
            selectors.wishlist_get_by_token(viewer=ben, token=token)


def test_a_link_list_opens_by_its_token_for_a_stranger_but_is_not_listed(people):
    ana, _, _ = people
    wishlist = wish_make(ana, visibility="link").wishlist
    stranger = UserFactory()

    opened = selectors.wishlist_get_by_token(viewer=stranger, token=wishlist.token)

    assert opened == wishlist
    assert not selectors.wishlist_list_of_person(viewer=stranger, person=ana).exists()
