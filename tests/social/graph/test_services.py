"""Friend requests, friendships, follows, blocks and privacy settings: the services' rules."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.core.errors import DomainError, RateLimitError
from social.graph import selectors, services
from social.graph.errors import GraphError
from social.graph.models import Block, Follow, FriendRequest, Friendship, PrivacySettings
from tests.factories import MerchantFactory, UserFactory, friends_make, privacy_set

pytestmark = pytest.mark.django_db

PENDING = FriendRequest.Status.PENDING


@pytest.fixture
def ana():
    return UserFactory(username="ana", display_name="Ana")


@pytest.fixture
def ben():
    return UserFactory(username="ben", display_name="Ben")


def _code(excinfo) -> str:
    return excinfo.value.code


def _friends(a, b) -> bool:
    return selectors.is_friend(user=a, other=b) and selectors.is_friend(user=b, other=a)


# --- friend requests --------------------------------------------------------------------------


def test_a_request_waits_for_the_other_with_its_message(ana, ben):
    request = services.friend_request_send(sender=ana, to=ben, message="  Met at the market!  ")

    assert request.status == PENDING
    assert request.message == "Met at the market!"
    assert list(selectors.friend_request_list_received(user=ben)) == [request]
    assert list(selectors.friend_request_list_sent(user=ana)) == [request]
    assert not _friends(ana, ben)


def test_accepting_makes_both_friends_of_each_other(ana, ben):
    request = services.friend_request_send(sender=ana, to=ben)

    services.friend_request_accept(friend_request=request, user=ben)

    assert _friends(ana, ben)
    assert Friendship.objects.count() == 2
    request.refresh_from_db()
    assert request.status == FriendRequest.Status.ACCEPTED
    assert request.decided_at is not None
    assert not selectors.friend_request_list_received(user=ben).exists()


def test_asking_someone_who_already_asked_you_accepts_their_request(ana, ben):
    theirs = services.friend_request_send(sender=ben, to=ana)

    answer = services.friend_request_send(sender=ana, to=ben, message="Yes!")

    assert answer.pk == theirs.pk
    assert answer.status == FriendRequest.Status.ACCEPTED
    assert _friends(ana, ben)
    assert FriendRequest.objects.count() == 1


def test_declining_leaves_them_strangers_and_the_request_answered(ana, ben):
    request = services.friend_request_send(sender=ana, to=ben)

    services.friend_request_decline(friend_request=request, user=ben)

    request.refresh_from_db()
    assert request.status == FriendRequest.Status.DECLINED
    assert not _friends(ana, ben)
    assert not selectors.friend_request_list_sent(user=ana).exists()


def test_the_sender_can_withdraw_a_request(ana, ben):
    request = services.friend_request_send(sender=ana, to=ben)

    services.friend_request_cancel(friend_request=request, user=ana)

    assert FriendRequest.objects.get().status == FriendRequest.Status.CANCELLED
    assert not selectors.friend_request_list_received(user=ben).exists()


@pytest.mark.parametrize(
    "answer, who",
    [
        (services.friend_request_accept, "ana"),
        (services.friend_request_decline, "ana"),
        (services.friend_request_cancel, "ben"),
    ],
)
def test_only_the_right_side_may_answer_or_withdraw(ana, ben, answer, who):
    request = services.friend_request_send(sender=ana, to=ben)

    with pytest.raises(DomainError) as excinfo:
        answer(friend_request=request, user={"ana": ana, "ben": ben}[who])

    assert _code(excinfo) == GraphError.NOT_YOURS
    assert FriendRequest.objects.get().status == PENDING


def test_a_request_answered_already_cannot_be_answered_again(ana, ben):
    request = services.friend_request_send(sender=ana, to=ben)
    services.friend_request_cancel(friend_request=request, user=ana)

    with pytest.raises(DomainError) as excinfo:
        services.friend_request_accept(friend_request=request, user=ben)

    assert _code(excinfo) == GraphError.REQUEST_NOT_PENDING
    assert not _friends(ana, ben)


def test_asking_twice_is_refused_on_the_to_field(ana, ben):
    services.friend_request_send(sender=ana, to=ben)

    with pytest.raises(DomainError) as excinfo:
        services.friend_request_send(sender=ana, to=ben)

    assert _code(excinfo) == GraphError.ALREADY_REQUESTED
    assert excinfo.value.field == "to"
    assert FriendRequest.objects.count() == 1


def test_asking_yourself_is_refused(ana):
    with pytest.raises(DomainError) as excinfo:
        services.friend_request_send(sender=ana, to=ana)

    assert _code(excinfo) == GraphError.SELF_NOT_ALLOWED
    assert excinfo.value.field == "to"


def test_asking_a_friend_is_refused(ana, ben):
    friends_make(ana, ben)

    with pytest.raises(DomainError) as excinfo:
        services.friend_request_send(sender=ana, to=ben)

    assert _code(excinfo) == GraphError.ALREADY_FRIENDS


def test_asking_someone_you_blocked_says_to_unblock_first(ana, ben):
    services.person_block(blocker=ana, person=ben)

    with pytest.raises(DomainError) as excinfo:
        services.friend_request_send(sender=ana, to=ben)

    assert _code(excinfo) == GraphError.PERSON_BLOCKED
    assert "unblock" in excinfo.value.message


def test_someone_who_blocked_you_is_answered_as_if_they_did_not_exist(ana, ben):
    services.person_block(blocker=ben, person=ana)

    with pytest.raises(DomainError) as excinfo:
        services.friend_request_send(sender=ana, to=ben)

    assert _code(excinfo) == GraphError.PERSON_NOT_FOUND
    assert excinfo.value.message == "There is no one with this username."
    assert not FriendRequest.objects.filter(status=PENDING).exists()


@pytest.mark.parametrize(
    "message", ["x" * (FriendRequest.MESSAGE_MAX_LENGTH + 1), "hi\x00there", 42]
)
def test_a_bad_message_is_refused_on_the_message_field(ana, ben, message):
    with pytest.raises(DomainError) as excinfo:
        services.friend_request_send(sender=ana, to=ben, message=message)

    assert _code(excinfo) == GraphError.INVALID_MESSAGE
    assert excinfo.value.field == "message"
    assert not FriendRequest.objects.exists()


def test_the_database_refuses_a_second_pending_request_either_way(ana, ben):
    FriendRequest.objects.create(from_user=ana, to_user=ben)

    with pytest.raises(IntegrityError), transaction.atomic():
        FriendRequest.objects.create(from_user=ben, to_user=ana)

    # An answered request does not count: a new one may follow it.
    FriendRequest.objects.update(status=FriendRequest.Status.DECLINED)
    FriendRequest.objects.create(from_user=ben, to_user=ana)


def test_the_51st_request_of_the_day_is_rate_limited(ana, monkeypatch):
    monkeypatch.setattr(services, "FRIEND_REQUESTS_PER_DAY", 3)
    people = UserFactory.create_batch(4, verified=False)
    for person in people[:3]:
        services.friend_request_send(sender=ana, to=person)

    with pytest.raises(RateLimitError) as excinfo:
        services.friend_request_send(sender=ana, to=people[3])

    assert _code(excinfo) == GraphError.RATE_LIMITED
    assert 0 < excinfo.value.retry_after <= 86400
    assert FriendRequest.objects.count() == 3


def test_requests_older_than_a_day_do_not_count_against_the_limit(ana, monkeypatch):
    monkeypatch.setattr(services, "FRIEND_REQUESTS_PER_DAY", 2)
    people = UserFactory.create_batch(3, verified=False)
    for person in people[:2]:
        services.friend_request_send(sender=ana, to=person)
    FriendRequest.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))

    services.friend_request_send(sender=ana, to=people[2])

    assert FriendRequest.objects.filter(status=PENDING).count() == 3


def test_accepting_their_request_is_not_counted_against_the_limit(ana, ben, monkeypatch):
    monkeypatch.setattr(services, "FRIEND_REQUESTS_PER_DAY", 1)
    services.friend_request_send(sender=ana, to=UserFactory(verified=False))
    services.friend_request_send(sender=ben, to=ana)

    services.friend_request_send(sender=ana, to=ben)

    assert _friends(ana, ben)


def test_unfriending_ends_the_friendship_on_both_sides(ana, ben):
    friends_make(ana, ben)

    services.friendship_delete(user=ben, friend=ana)

    assert not Friendship.objects.exists()


def test_unfriending_a_stranger_is_refused(ana, ben):
    with pytest.raises(DomainError) as excinfo:
        services.friendship_delete(user=ana, friend=ben)

    assert _code(excinfo) == GraphError.NOT_FRIENDS


# --- follows ----------------------------------------------------------------------------------


def test_anyone_can_follow_a_person_with_a_public_profile(ana, ben):
    privacy_set(ben, profile="public")

    follow = services.person_follow(follower=ana, person=ben)

    assert follow.person == ben
    assert list(selectors.follow_list(user=ana)) == [follow]
    assert selectors.follower_count(person=ben) == 1


def test_a_person_with_a_friends_only_profile_cannot_be_followed(ana, ben):
    with pytest.raises(DomainError) as excinfo:
        services.person_follow(follower=ana, person=ben)

    assert _code(excinfo) == GraphError.PROFILE_NOT_PUBLIC
    assert excinfo.value.field == "person"


@pytest.mark.parametrize(
    "arrange, code",
    [
        ("self", GraphError.SELF_NOT_ALLOWED),
        ("twice", GraphError.ALREADY_FOLLOWING),
        ("blocked_by_them", GraphError.PERSON_NOT_FOUND),
        ("blocked_by_me", GraphError.PERSON_BLOCKED),
    ],
)
def test_following_a_person_is_refused_when(ana, ben, arrange, code):
    privacy_set(ben, profile="public")
    target = ana if arrange == "self" else ben
    if arrange == "twice":
        services.person_follow(follower=ana, person=ben)
    elif arrange == "blocked_by_them":
        services.person_block(blocker=ben, person=ana)
    elif arrange == "blocked_by_me":
        services.person_block(blocker=ana, person=ben)

    with pytest.raises(DomainError) as excinfo:
        services.person_follow(follower=ana, person=target)

    assert _code(excinfo) == code


def test_following_a_merchant_once_and_unfollowing(ana):
    merchant = MerchantFactory(name="Alpine")
    follow = services.merchant_follow(follower=ana, merchant=merchant)

    with pytest.raises(DomainError) as excinfo:
        services.merchant_follow(follower=ana, merchant=merchant)
    assert _code(excinfo) == GraphError.ALREADY_FOLLOWING
    assert excinfo.value.field == "merchant"

    services.merchant_unfollow(follower=ana, merchant=merchant)
    assert not Follow.objects.filter(pk=follow.pk).exists()


def test_unfollowing_someone_not_followed_is_refused(ana, ben):
    with pytest.raises(DomainError) as excinfo:
        services.person_unfollow(follower=ana, person=ben)

    assert _code(excinfo) == GraphError.NOT_FOLLOWING


# --- blocks -----------------------------------------------------------------------------------


def test_blocking_ends_friendship_requests_and_follows_both_ways(ana, ben):
    friends_make(ana, ben)
    privacy_set(ana, profile="public")
    privacy_set(ben, profile="public")
    services.person_follow(follower=ana, person=ben)
    services.person_follow(follower=ben, person=ana)
    carol = UserFactory(verified=False)
    friends_make(ana, carol)

    services.person_block(blocker=ben, person=ana)

    assert not _friends(ana, ben)
    assert not Follow.objects.exists()
    assert _friends(ana, carol)  # nobody else is touched
    assert Block.objects.filter(blocker=ben, blocked=ana).exists()


def test_blocking_withdraws_pending_requests_either_way(ana, ben):
    services.friend_request_send(sender=ana, to=ben)

    services.person_block(blocker=ana, person=ben)

    assert FriendRequest.objects.get().status == FriendRequest.Status.CANCELLED
    assert not selectors.friend_request_list_received(user=ben).exists()


def test_blocking_twice_changes_nothing(ana, ben):
    first = services.person_block(blocker=ana, person=ben)

    again = services.person_block(blocker=ana, person=ben)

    assert again.pk == first.pk
    assert Block.objects.count() == 1


def test_blocking_yourself_is_refused(ana):
    with pytest.raises(DomainError) as excinfo:
        services.person_block(blocker=ana, person=ana)

    assert _code(excinfo) == GraphError.SELF_NOT_ALLOWED


def test_after_unblocking_a_request_can_be_sent_again(ana, ben):
    friends_make(ana, ben)
    services.person_block(blocker=ana, person=ben)

    services.person_unblock(blocker=ana, person=ben)
    request = services.friend_request_send(sender=ben, to=ana)

    assert request.status == PENDING
    assert not _friends(ana, ben)  # the block ended the friendship for good


def test_unblocking_someone_not_blocked_is_refused(ana, ben):
    with pytest.raises(DomainError) as excinfo:
        services.person_unblock(blocker=ana, person=ben)

    assert _code(excinfo) == GraphError.NOT_BLOCKED


# --- privacy ----------------------------------------------------------------------------------


def test_a_person_without_settings_has_the_private_by_default_ones(ana):
    settings = selectors.privacy_settings_get(user=ana)

    assert not PrivacySettings.objects.exists()  # read, not written
    assert (settings.profile, settings.friends_list, settings.purchases) == (
        "friends",
        "friends",
        "private",
    )
    assert (settings.likes, settings.wishlists) == ("friends", "friends")
    assert settings.reviews_show_name is True
    assert settings.discoverable is True


def test_changing_one_setting_keeps_the_others(ana):
    services.privacy_settings_update(user=ana, purchases="friends")

    settings = services.privacy_settings_update(user=ana, discoverable=False)

    assert settings.purchases == "friends"
    assert settings.discoverable is False
    assert PrivacySettings.objects.get(user=ana).purchases == "friends"


@pytest.mark.parametrize(
    "field, value",
    [("profile", "private"), ("profile", "link"), ("likes", "link"), ("purchases", "everyone")],
)
def test_a_visibility_a_setting_does_not_take_is_refused_on_its_field(ana, field, value):
    with pytest.raises(DomainError) as excinfo:
        services.privacy_settings_update(user=ana, **{field: value})

    assert _code(excinfo) == GraphError.INVALID_VISIBILITY
    assert excinfo.value.field == field


def test_wishlists_may_default_to_link(ana):
    assert services.privacy_settings_update(user=ana, wishlists="link").wishlists == "link"


def test_importing_friendships_skips_friends_blocked_pairs_and_answers_pending_requests(
    ana, ben, django_assert_max_num_queries
):
    carol, dan, eve = UserFactory.create_batch(3, verified=False)
    friends_make(ana, ben)
    services.person_block(blocker=eve, person=ana)
    request = services.friend_request_send(sender=carol, to=dan)

    # friends, blocks, pending requests, their update, the insert; a savepoint around them
    with django_assert_max_num_queries(7):
        made = services.friendships_import(
            pairs=[
                (ana.pk, ben.pk),
                (ana.pk, carol.pk),
                (carol.pk, dan.pk),
                (dan.pk, carol.pk),
                (ana.pk, eve.pk),
                (ana.pk, ana.pk),
            ]
        )

    assert made == 2
    assert _friends(ana, carol) and _friends(carol, dan)
    assert not _friends(ana, eve)
    assert Friendship.objects.count() == 6
    request.refresh_from_db()
    assert request.status == FriendRequest.Status.ACCEPTED
