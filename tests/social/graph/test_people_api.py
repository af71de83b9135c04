"""/api/v1/people/<username> (moved here from shop.accounts, now through the audience rule)."""

import pytest
from rest_framework.test import APIClient

from shop.accounts import services as account_services
from social.graph import services
from tests.factories import UserFactory, friends_make, friends_many, privacy_set
from tests.shop.accounts.conftest import verified_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def with_avatar(user):
    return account_services.profile_update(
        user=user,
        display_name=user.display_name,
        bio=user.bio,
        avatar=verified_image(),
        remove_avatar=False,
    )


NO_TIES = {
    "you": False,
    "friend": False,
    "request_sent": None,
    "request_received": None,
    "following": False,
    "can_follow": False,
}


def test_person_returns_the_public_profile_and_nothing_private(api):
    user = UserFactory(username="ada", display_name="Ada", bio="Counts.")
    privacy_set(user, profile="public")

    body = api.get("/api/v1/people/ADA").json()

    assert body == {
        "username": "ada",
        "name": "Ada",
        "display_name": "Ada",
        "avatar": None,
        "avatar_thumbnail": None,
        "whole_profile": True,
        "bio": "Counts.",
        "date_joined": body["date_joined"],
        "friends_count": None,
        "mutual_friends": {"count": 0, "people": []},
        "ties": NO_TIES,
    }
    assert body["date_joined"].startswith(f"{user.date_joined:%Y-%m-%d}")


def test_a_friends_only_profile_shows_strangers_the_name_and_avatar_only(api):
    with_avatar(UserFactory(username="ada", display_name="Ada", bio="Counts."))
    api.force_authenticate(UserFactory())

    body = api.get("/api/v1/people/ada").json()

    assert (body["name"], body["whole_profile"], body["bio"], body["date_joined"]) == (
        "Ada",
        False,
        "",
        None,
    )
    assert body["avatar"].startswith("http")
    assert body["friends_count"] is None


def test_a_friend_sees_the_whole_profile_the_count_and_the_ties(api):
    ada = UserFactory(username="ada", display_name="Ada", bio="Counts.")
    me = UserFactory(display_name="Me")
    both = UserFactory(username="bo", display_name="Bo")
    friends_make(ada, me, both)
    friends_make(me, both)
    api.force_authenticate(me)

    body = api.get("/api/v1/people/ada").json()

    assert (body["whole_profile"], body["bio"], body["friends_count"]) == (True, "Counts.", 2)
    assert body["mutual_friends"] == {
        "count": 1,
        "people": [{"username": "bo", "name": "Bo", "avatar_thumbnail": None}],
    }
    assert body["ties"] == {**NO_TIES, "friend": True}


def test_the_ties_name_the_pending_requests(api):
    ada, me = UserFactory(username="ada"), UserFactory()
    sent = services.friend_request_send(sender=me, to=ada)
    api.force_authenticate(me)

    assert api.get("/api/v1/people/ada").json()["ties"]["request_sent"] == sent.pk

    api.force_authenticate(ada)
    assert api.get(f"/api/v1/people/{me.username}").json()["ties"]["request_received"] == sent.pk


def test_your_own_profile_says_so(api):
    me = UserFactory(username="me")
    api.force_authenticate(me)

    body = api.get("/api/v1/people/me").json()

    assert body["ties"] == {**NO_TIES, "you": True}
    assert body["whole_profile"] is True and body["friends_count"] == 0


@pytest.mark.parametrize("username", ["nobody", "gone"])
def test_person_is_404_for_unknown_or_inactive_people(api, username):
    UserFactory(username="gone", is_active=False)

    response = api.get(f"/api/v1/people/{username}")

    assert response.status_code == 404
    assert response.json()["errors"]["detail"][0]["code"] == "not_found"


@pytest.mark.parametrize("blocker", ["them", "me"])
def test_person_is_404_when_either_has_blocked_the_other(api, blocker):
    ada, me = UserFactory(username="ada"), UserFactory()
    if blocker == "them":
        services.person_block(blocker=ada, person=me)
    else:
        services.person_block(blocker=me, person=ada)
    api.force_authenticate(me)

    response = api.get("/api/v1/people/ada")

    assert response.status_code == 404
    assert response.json()["errors"]["detail"][0]["code"] == "not_found"


@pytest.mark.parametrize("size", [2, 30])
def test_person_queries_do_not_grow_with_people(api, django_assert_num_queries, size):
    people = UserFactory.create_batch(size)
    with_avatar(people[0])

    for person in (people[0], people[-1]):
        with django_assert_num_queries(2):  # the person, their privacy settings
            assert api.get(f"/api/v1/people/{person.username}").status_code == 200


@pytest.mark.parametrize("n", [10, 200])
def test_person_takes_the_same_queries_for_10_or_200_friends(api, django_assert_num_queries, n):
    ada, me = UserFactory(username="ada"), UserFactory()
    friends = friends_many(ada, n)
    friends_make(me, ada, *friends[:5])
    api.force_authenticate(me)

    # the person, the blocks, the ties, the mutual friends, the friends count
    with django_assert_num_queries(5):
        body = api.get("/api/v1/people/ada").json()

    assert (body["friends_count"], body["mutual_friends"]["count"]) == (n + 1, 5)


@pytest.mark.parametrize("username", ["%00", "a" * 151])
def test_person_with_an_impossible_username_is_404(api, username):
    assert api.get(f"/api/v1/people/{username}").status_code == 404
