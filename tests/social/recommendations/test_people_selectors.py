"""Who "people you may know" suggests, in which order, and with which mutual friends
(social/recommendations/people_selectors.py). Run on SQLite and on PostgreSQL."""

import pytest
from django.core.cache import cache

from social.graph import services as graph_services
from social.recommendations import people_services
from social.recommendations.people_selectors import people_you_may_know, suggestions_rank
from tests.factories import (
    MerchantFactory,
    UserFactory,
    friends_make,
    privacy_set,
    purchases_make,
    variant_make,
)

pytestmark = pytest.mark.django_db


def _names(viewer, **kwargs) -> list[str]:
    return [s.person.username for s in people_you_may_know(viewer=viewer, **kwargs)]


@pytest.fixture
def me():
    return UserFactory(username="me", display_name="Me")


@pytest.fixture
def ana(me):
    ana = UserFactory(username="ana", display_name="Ana")
    friends_make(me, ana)
    return ana


def _friend_of(friend, username: str):
    person = UserFactory(username=username, display_name=username.title())
    friends_make(friend, person)
    return person


def test_friends_of_friends_are_suggested_with_their_mutual_friends(me, ana):
    zoe = _friend_of(ana, "zoe")

    (suggestion,) = people_you_may_know(viewer=me)

    assert suggestion.person == zoe
    assert suggestion.mutual_count == 1
    assert suggestion.mutual_people == [ana]


def test_more_mutual_friends_come_first(me, ana):
    ben = UserFactory(username="ben", display_name="Ben")
    cy = UserFactory(username="cy", display_name="Cy")
    friends_make(me, ben, cy)
    one = _friend_of(ana, "one")
    three = _friend_of(ana, "three")
    friends_make(three, ben, cy)
    two = _friend_of(ben, "two")
    friends_make(two, cy)

    suggestions = people_you_may_know(viewer=me)

    assert [s.person for s in suggestions] == [three, two, one]
    assert [s.mutual_count for s in suggestions] == [3, 2, 1]
    assert [p.username for p in suggestions[0].mutual_people] == ["ana", "ben", "cy"]


def test_at_most_three_mutual_friends_are_named(me):
    friends = UserFactory.create_batch(5)
    friends_make(me, *friends)
    zoe = UserFactory(username="zoe")
    friends_make(zoe, *friends)

    (suggestion,) = people_you_may_know(viewer=me)

    assert suggestion.mutual_count == 5
    assert len(suggestion.mutual_people) == 3
    assert suggestion.mutual_more == 2


def test_merchants_both_follow_break_a_tie_when_the_profile_is_public(me, ana):
    _friend_of(ana, "quiet")
    shopper = _friend_of(ana, "shopper")
    merchant = MerchantFactory()
    graph_services.merchant_follow(follower=me, merchant=merchant)
    graph_services.merchant_follow(follower=shopper, merchant=merchant)
    privacy_set(shopper, profile="public")

    assert _names(me) == ["shopper", "quiet"]  # by id alone, "quiet" would come first


def test_merchants_followed_are_not_counted_when_the_profile_is_for_friends(me, ana):
    first = _friend_of(ana, "first")
    second = _friend_of(ana, "second")
    merchant = MerchantFactory()
    graph_services.merchant_follow(follower=me, merchant=merchant)
    graph_services.merchant_follow(follower=second, merchant=merchant)

    assert [s.person for s in people_you_may_know(viewer=me)] == [first, second]  # by id


def test_products_both_bought_break_a_tie_only_when_shared_publicly(me, ana):
    first = _friend_of(ana, "first")
    second = _friend_of(ana, "second")
    product = variant_make().product
    purchases_make(me, [product])
    purchases_make(second, [product])

    before = [s.person for s in people_you_may_know(viewer=me)]
    privacy_set(second, purchases="public")
    cache.clear()
    after = [s.person for s in people_you_may_know(viewer=me)]

    assert before == [first, second]  # a private purchase changes nothing
    assert after == [second, first]


def test_nobody_excluded_is_ever_suggested(me, ana):
    kept = _friend_of(ana, "kept")
    friend = _friend_of(ana, "friend")
    friends_make(me, friend)
    asked = _friend_of(ana, "asked")
    graph_services.friend_request_send(sender=me, to=asked)
    asking = _friend_of(ana, "asking")
    graph_services.friend_request_send(sender=asking, to=me)
    blocked = _friend_of(ana, "blocked")
    graph_services.person_block(blocker=me, person=blocked)
    blocking = _friend_of(ana, "blocking")
    graph_services.person_block(blocker=blocking, person=me)
    dismissed = _friend_of(ana, "dismissed")
    people_services.suggestion_dismiss(user=me, person=dismissed)
    hidden = _friend_of(ana, "hidden")
    privacy_set(hidden, discoverable=False)
    gone = _friend_of(ana, "gone")
    gone.is_active = False
    gone.save()
    friends_make(ana, UserFactory(username="ana-friend"))

    names = _names(me, limit=30)

    assert "me" not in names
    for excluded in ("ana", "friend", "asked", "asking", "blocked", "blocking", "dismissed"):
        assert excluded not in names
    assert "hidden" not in names and "gone" not in names
    assert set(names) == {"kept", "ana-friend"}
    assert kept.username in suggestions_rank_names(me)


def suggestions_rank_names(viewer) -> list[str]:
    from django.contrib.auth import get_user_model

    ids = suggestions_rank(viewer=viewer)
    return list(get_user_model().objects.filter(pk__in=ids).values_list("username", flat=True))


def _change(change: str, me, zoe) -> None:
    """Make CHANGE between ME and ZOE through the services, their events heard on commit."""
    if change == "dismiss":
        people_services.suggestion_dismiss(user=me, person=zoe)
    elif change == "request_sent":
        graph_services.friend_request_send(sender=me, to=zoe)
    elif change == "request_received":
        graph_services.friend_request_send(sender=zoe, to=me)
    elif change == "friends":
        friend_request = graph_services.friend_request_send(sender=zoe, to=me)
        graph_services.friend_request_accept(friend_request=friend_request, user=me)
    elif change == "block":
        graph_services.person_block(blocker=me, person=zoe)
    elif change == "blocked_by":
        graph_services.person_block(blocker=zoe, person=me)
    elif change == "hidden":
        graph_services.privacy_settings_update(user=zoe, discoverable=False)


@pytest.mark.parametrize(
    "change",
    ["dismiss", "request_sent", "request_received", "friends", "block", "blocked_by", "hidden"],
)
def test_a_change_shows_at_once_despite_the_cached_answer(
    me, ana, change, django_capture_on_commit_callbacks
):
    zoe = _friend_of(ana, "zoe")
    assert _names(me) == ["zoe"]  # ranked, and the answer cached

    with django_capture_on_commit_callbacks(execute=True):
        _change(change, me, zoe)

    assert _names(me) == []


@pytest.mark.parametrize("undo", ["declined", "withdrawn", "unblocked"])
def test_an_undone_tie_brings_the_person_back_at_once(
    me, ana, undo, django_capture_on_commit_callbacks
):
    zoe = _friend_of(ana, "zoe")
    with django_capture_on_commit_callbacks(execute=True):
        if undo == "unblocked":
            graph_services.person_block(blocker=me, person=zoe)
        else:
            friend_request = graph_services.friend_request_send(sender=zoe, to=me)
    assert _names(me) == []  # cached without her

    with django_capture_on_commit_callbacks(execute=True):
        if undo == "declined":
            graph_services.friend_request_decline(friend_request=friend_request, user=me)
        elif undo == "withdrawn":
            graph_services.friend_request_cancel(friend_request=friend_request, user=zoe)
        else:
            graph_services.person_unblock(blocker=me, person=zoe)

    assert _names(me) == ["zoe"]


def test_a_new_name_shows_at_once_in_the_cached_answer(me, ana, django_capture_on_commit_callbacks):
    from shop.accounts import services as account_services

    zoe = _friend_of(ana, "zoe")
    assert [s.person.public_name for s in people_you_may_know(viewer=me)] == [zoe.public_name]

    with django_capture_on_commit_callbacks(execute=True):
        account_services.profile_update(
            user=zoe, display_name="Zoe Q", bio="", avatar=None, remove_avatar=False
        )
        account_services.profile_update(
            user=ana, display_name="Ana B", bio="", avatar=None, remove_avatar=False
        )

    (suggestion,) = people_you_may_know(viewer=me)
    assert suggestion.person.public_name == "Zoe Q"
    assert [friend.public_name for friend in suggestion.mutual_people] == ["Ana B"]


def test_a_friends_new_friend_is_suggested_at_once(me, ana, django_capture_on_commit_callbacks):
    assert _names(me) == []  # nobody yet, and cached
    zoe = UserFactory(username="zoe")

    with django_capture_on_commit_callbacks(execute=True):
        friend_request = graph_services.friend_request_send(sender=zoe, to=ana)
        graph_services.friend_request_accept(friend_request=friend_request, user=ana)

    assert _names(me) == ["zoe"]


def test_a_cached_answer_holds_no_password_nor_email(me, ana):
    zoe = _friend_of(ana, "zoe")
    people_you_may_know(viewer=me)

    (suggestion,) = people_you_may_know(viewer=me)

    for person in (suggestion.person, *suggestion.mutual_people):
        assert {"password", "email"}.isdisjoint(vars(person))
    assert suggestion.person == zoe


def test_a_new_friendship_brings_its_friends_at_once(me, ana, django_capture_on_commit_callbacks):
    assert _names(me) == []  # nobody yet, and cached
    ben = UserFactory(username="ben")
    friends_make(ben, UserFactory(username="ben-friend"))

    with django_capture_on_commit_callbacks(execute=True):
        friend_request = graph_services.friend_request_send(sender=ben, to=me)
    with django_capture_on_commit_callbacks(execute=True):
        graph_services.friend_request_accept(friend_request=friend_request, user=me)

    assert _names(me) == ["ben-friend"]


def test_a_friend_who_keeps_their_friends_list_private_is_never_a_reason(me, ana):
    ben = UserFactory(username="ben", display_name="Ben")
    friends_make(me, ben)
    privacy_set(ben, friends_list="private")
    both = _friend_of(ana, "both")
    friends_make(both, ben)
    _friend_of(ben, "only-ben")

    suggestions = people_you_may_know(viewer=me)

    assert [s.person.username for s in suggestions] == ["both"]
    assert suggestions[0].mutual_count == 1
    assert suggestions[0].mutual_people == [ana]


def test_a_visitor_is_suggested_nobody():
    from django.contrib.auth.models import AnonymousUser

    assert people_you_may_know(viewer=AnonymousUser()) == []
