"""/api/v1/ friends, friend-requests, follows, blocks, people, invites, settings/privacy."""

import pytest
from django.core import mail

from social.graph import invite_services, services
from social.graph.models import Follow, FriendRequest, Friendship, Invite
from tests.factories import MerchantFactory, UserFactory, friends_make, friends_many, privacy_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(api):
    user = UserFactory(username="me", display_name="Mia Meyer")
    api.force_authenticate(user)
    return user


@pytest.fixture
def ana():
    return UserFactory(username="ana", display_name="Ana Alves")


def _error(response, field: str) -> dict:
    return response.json()["errors"][field][0]


# --- friends ----------------------------------------------------------------------------------


def test_my_friends_are_listed_newest_first(api, me, ana):
    ben = UserFactory(username="ben", display_name="")
    friends_make(me, ana)
    friends_make(me, ben)

    body = api.get("/api/v1/friends").json()

    assert body["count"] == 2
    assert [item["person"] for item in body["results"]] == [
        {"username": "ben", "name": "ben", "avatar_thumbnail": None},
        {"username": "ana", "name": "Ana Alves", "avatar_thumbnail": None},
    ]
    assert body["results"][0]["since"]


def test_unfriending_through_the_api(api, me, ana):
    friends_make(me, ana)

    response = api.delete("/api/v1/friends/ANA")

    assert response.status_code == 204
    assert not Friendship.objects.exists()


def test_unfriending_an_unknown_username_is_a_404(api, me):
    assert api.delete("/api/v1/friends/nobody").status_code == 404


@pytest.mark.parametrize("n", [10, 200])
def test_the_friends_list_takes_the_same_queries_for_10_or_200_friends(
    api, me, django_assert_num_queries, n
):
    friends_many(me, n)

    with django_assert_num_queries(2):  # count, page with the friends
        response = api.get("/api/v1/friends")

    assert len(response.json()["results"]) == min(n, 24)


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/friends",
        "/api/v1/friend-requests",
        "/api/v1/follows",
        "/api/v1/blocks",
        "/api/v1/people",
        "/api/v1/invites",
        "/api/v1/settings/privacy",
    ],
)
def test_visitors_are_asked_to_sign_in(api, path, method):
    response = getattr(api, method)(path, {}, format="json")

    assert response.status_code in (401, 403, 405)
    if response.status_code != 405:
        assert _error(response, "detail")["code"] == "not_authenticated"


# --- friend requests --------------------------------------------------------------------------


def test_asking_someone_answers_201_with_the_request(api, me, ana):
    response = api.post(
        "/api/v1/friend-requests", {"to": "Ana", "message": "From the climbing club"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["sender"]["username"] == "me"
    assert body["recipient"]["username"] == "ana"
    assert body["message"] == "From the climbing club"
    assert body["status"] == "pending"


def test_asking_someone_who_asked_you_answers_200_friends(api, me, ana):
    services.friend_request_send(sender=ana, to=me)

    response = api.post("/api/v1/friend-requests", {"to": "ana"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert Friendship.objects.filter(user=me, friend=ana).exists()


@pytest.mark.parametrize(
    "data, field, code",
    [
        ({"to": "me"}, "to", "self_not_allowed"),
        ({"to": "nobody"}, "to", "person_not_found"),
        ({}, "to", "required"),
        ({"to": "ana", "message": "x" * 281}, "message", "max_length"),
        ({"to": "ana", "message": "a\x00b"}, "message", "invalid_characters"),
        ({"to": "a\x01"}, "to", "invalid_characters"),
    ],
)
def test_a_bad_request_names_the_field(api, me, ana, data, field, code):
    response = api.post("/api/v1/friend-requests", data, format="json")

    assert response.status_code == 400
    assert _error(response, field)["code"] == code
    assert not FriendRequest.objects.exists()


def test_asking_twice_answers_400_already_requested(api, me, ana):
    api.post("/api/v1/friend-requests", {"to": "ana"}, format="json")

    response = api.post("/api/v1/friend-requests", {"to": "ana"}, format="json")

    assert response.status_code == 400
    error = _error(response, "to")
    assert error["code"] == "already_requested"
    assert error["message"] == "You have already asked Ana Alves; they have not answered yet."


def test_past_the_daily_limit_requests_answer_429_with_a_plain_message(api, me, monkeypatch):
    monkeypatch.setattr(services, "FRIEND_REQUESTS_PER_DAY", 2)
    for person in UserFactory.create_batch(2, verified=False):
        services.friend_request_send(sender=me, to=person)

    response = api.post("/api/v1/friend-requests", {"to": UserFactory().username}, format="json")

    assert response.status_code == 429
    error = _error(response, "detail")
    assert error["code"] == "rate_limited"
    assert error["message"].startswith("You have sent 2 friend requests in the last 24 hours")
    assert 0 < int(response.headers["Retry-After"]) <= 86400


def test_received_and_sent_requests_are_listed_apart(api, me, ana):
    received = services.friend_request_send(sender=ana, to=me)
    sent = services.friend_request_send(sender=me, to=UserFactory())

    assert [r["id"] for r in api.get("/api/v1/friend-requests").json()["results"]] == [received.pk]
    sent_list = api.get("/api/v1/friend-requests?direction=sent").json()["results"]
    assert [r["id"] for r in sent_list] == [sent.pk]
    bad = api.get("/api/v1/friend-requests?direction=sideways")
    assert bad.status_code == 400 and _error(bad, "direction")["code"] == "invalid"


def test_accepting_declining_and_withdrawing_through_the_api(api, me, ana):
    accept = services.friend_request_send(sender=ana, to=me)
    decline = services.friend_request_send(sender=UserFactory(), to=me)
    cancel = services.friend_request_send(sender=me, to=UserFactory())

    assert api.post(f"/api/v1/friend-requests/{accept.pk}/accept").json()["status"] == "accepted"
    assert api.post(f"/api/v1/friend-requests/{decline.pk}/decline").json()["status"] == "declined"
    assert api.post(f"/api/v1/friend-requests/{cancel.pk}/cancel/").json()["status"] == "cancelled"
    again = api.post(f"/api/v1/friend-requests/{accept.pk}/accept")
    assert again.status_code == 400
    assert _error(again, "non_field_errors")["code"] == "request_not_pending"


@pytest.mark.parametrize("request_id", ["0", "99999", str(2**63), "abc", "1e3"])
def test_an_unknown_request_id_is_a_404(api, me, request_id):
    assert api.post(f"/api/v1/friend-requests/{request_id}/accept").status_code == 404


@pytest.mark.parametrize("direction", ["received", "sent"])
@pytest.mark.parametrize("n", [10, 200])
def test_request_lists_take_the_same_queries_for_10_or_200(
    api, me, django_assert_num_queries, direction, n
):
    people = UserFactory.create_batch(n, verified=False)
    FriendRequest.objects.bulk_create(
        [
            FriendRequest(from_user=person, to_user=me)
            if direction == "received"
            else FriendRequest(from_user=me, to_user=person)
            for person in people
        ]
    )

    with django_assert_num_queries(2):
        response = api.get("/api/v1/friend-requests", {"direction": direction})

    assert response.json()["count"] == n


# --- follows ----------------------------------------------------------------------------------


def test_following_a_merchant_and_a_public_person(api, me, ana):
    MerchantFactory(slug="alpine", name="Alpine")
    privacy_set(ana, profile="public")

    merchant = api.post("/api/v1/follows", {"merchant": "alpine"}, format="json")
    person = api.post("/api/v1/follows", {"person": "ana"}, format="json")

    assert merchant.status_code == 201
    assert merchant.json()["merchant"] == {"slug": "alpine", "name": "Alpine"}
    assert merchant.json()["person"] is None
    assert person.json()["person"]["username"] == "ana"
    listed = api.get("/api/v1/follows").json()["results"]
    assert [f["id"] for f in listed] == [person.json()["id"], merchant.json()["id"]]


@pytest.mark.parametrize(
    "data, field, code",
    [
        ({"merchant": "nowhere"}, "merchant", "merchant_not_found"),
        ({"person": "ana"}, "person", "profile_not_public"),
        ({}, "non_field_errors", "invalid"),
        ({"person": "ana", "merchant": "alpine"}, "non_field_errors", "invalid"),
        ({"merchant": "not a slug!"}, "merchant", "invalid"),
    ],
)
def test_a_bad_follow_names_the_field(api, me, ana, data, field, code):
    response = api.post("/api/v1/follows", data, format="json")

    assert response.status_code == 400
    assert _error(response, field)["code"] == code


def test_unfollowing_by_id(api, me):
    follow = services.merchant_follow(follower=me, merchant=MerchantFactory())

    assert api.delete(f"/api/v1/follows/{follow.pk}").status_code == 204
    assert not Follow.objects.exists()
    assert api.delete(f"/api/v1/follows/{follow.pk}").status_code == 404


@pytest.mark.parametrize("n", [10, 200])
def test_the_follows_list_takes_the_same_queries_for_10_or_200(
    api, me, django_assert_num_queries, n
):
    people = UserFactory.create_batch(n // 2, verified=False)
    merchants = MerchantFactory.create_batch(n // 2)
    Follow.objects.bulk_create(
        [Follow(follower=me, person=p) for p in people]
        + [Follow(follower=me, merchant=m) for m in merchants]
    )

    with django_assert_num_queries(2):
        response = api.get("/api/v1/follows", {"page_size": 100})

    assert response.json()["count"] == n


# --- blocks -----------------------------------------------------------------------------------


def test_blocking_and_unblocking_through_the_api(api, me, ana):
    friends_make(me, ana)

    first = api.post("/api/v1/blocks", {"person": "ana"}, format="json")
    again = api.post("/api/v1/blocks", {"person": "ana"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["person"]["username"] == "ana"
    assert not Friendship.objects.exists()
    assert [b["person"]["username"] for b in api.get("/api/v1/blocks").json()["results"]] == ["ana"]
    assert api.delete("/api/v1/blocks/ana").status_code == 204
    assert _error(api.delete("/api/v1/blocks/ana"), "person")["code"] == "not_blocked"


@pytest.mark.parametrize("n", [10, 200])
def test_the_blocks_list_takes_the_same_queries_for_10_or_200(
    api, me, django_assert_num_queries, n
):
    for person in UserFactory.create_batch(n, verified=False):
        services.person_block(blocker=me, person=person)

    with django_assert_num_queries(2):
        response = api.get("/api/v1/blocks")

    assert response.json()["count"] == n


# --- people -----------------------------------------------------------------------------------


def test_people_search_answers_each_person_with_their_ties(api, me, ana):
    friend = UserFactory(username="anabel", display_name="Anabel")
    friends_make(me, friend)
    friends_make(ana, friend)

    results = api.get("/api/v1/people", {"q": "ana"}).json()["results"]

    assert results == [
        {
            "username": "ana",
            "name": "Ana Alves",
            "avatar_thumbnail": None,
            "friend": False,
            "request_sent": None,
            "request_received": None,
            "following": False,
            "mutual_friends": 1,
        },
        {
            "username": "anabel",
            "name": "Anabel",
            "avatar_thumbnail": None,
            "friend": True,
            "request_sent": None,
            "request_received": None,
            "following": False,
            "mutual_friends": 0,
        },
    ]


def test_a_search_too_long_is_refused_on_q(api, me):
    response = api.get("/api/v1/people", {"q": "x" * 151})

    assert response.status_code == 400
    assert _error(response, "q")["code"] == "invalid_query"


@pytest.mark.parametrize("n", [10, 200])
def test_people_search_takes_the_same_queries_for_10_or_200_found(
    api, me, django_assert_num_queries, n
):
    people = UserFactory.create_batch(n, display_name="Robin Same", verified=False)
    friends_make(me, *people[::2])
    friends_make(people[1], *people[2::2][:5])

    with django_assert_num_queries(2):
        response = api.get("/api/v1/people", {"q": "robin"})

    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [10, 200])
def test_someones_friends_list_takes_the_same_queries_for_10_or_200(
    api, me, ana, django_assert_num_queries, n
):
    privacy_set(ana, friends_list="public")
    friends_many(ana, n)

    # the person, the audience rule (blocks included), count, page
    with django_assert_num_queries(4):
        response = api.get("/api/v1/people/ana/friends")

    assert response.json()["count"] == n


# --- invites ----------------------------------------------------------------------------------


def test_inviting_by_email_sends_the_link_and_lists_the_invite(
    api, me, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/invites", {"email": "new@example.com"}, format="json")

    assert response.status_code == 201
    assert response.json()["email"] == "new@example.com"
    (email,) = mail.outbox
    assert email.to == ["new@example.com"]
    assert "Mia Meyer invites you" in email.subject
    token = Invite.objects.get(kind="email").token
    assert f"/invite/{token}/" in email.body
    listed = api.get("/api/v1/invites").json()["results"]
    assert listed[0]["sent"] is True and listed[0]["accepted"] is False


@pytest.mark.parametrize(
    "email, code",
    [("not-an-email", "invalid_email"), ("me@example.com", "self_not_allowed"), ("", "blank")],
)
def test_a_bad_invite_names_the_email_field(api, me, email, code):
    response = api.post("/api/v1/invites", {"email": email}, format="json")

    assert response.status_code == 400
    assert _error(response, "email")["code"] == code


def test_past_the_daily_limit_invites_answer_429(api, me, monkeypatch):
    monkeypatch.setattr(invite_services, "INVITES_PER_DAY", 1)
    api.post("/api/v1/invites", {"email": "one@example.com"}, format="json")

    response = api.post("/api/v1/invites", {"email": "two@example.com"}, format="json")

    assert response.status_code == 429
    assert _error(response, "detail")["code"] == "rate_limited"


def test_the_personal_link_is_made_once(api, me):
    first = api.post("/api/v1/invites/link").json()
    again = api.post("/api/v1/invites/link/").json()

    assert first == again
    assert first["url"].endswith(f"/invite/{first['token']}/")
    assert len(first["token"]) >= 30


@pytest.mark.parametrize("n", [10, 200])
def test_the_invites_list_takes_the_same_queries_for_10_or_200(
    api, me, django_assert_num_queries, n
):
    Invite.objects.bulk_create(
        [
            Invite(inviter=me, kind="email", email=f"p{i}@example.com", email_status="sent")
            for i in range(n)
        ]
    )

    with django_assert_num_queries(2):
        response = api.get("/api/v1/invites")

    assert response.json()["count"] == n


# --- privacy settings -------------------------------------------------------------------------


def test_privacy_settings_start_private_by_default(api, me):
    assert api.get("/api/v1/settings/privacy").json() == {
        "profile": "friends",
        "friends_list": "friends",
        "purchases": "private",
        "likes": "friends",
        "wishlists": "friends",
        "reviews_show_name": True,
        "discoverable": True,
        "personalised": True,
    }


def test_putting_privacy_settings_changes_those_sent(api, me):
    response = api.put(
        "/api/v1/settings/privacy", {"purchases": "friends", "discoverable": False}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["purchases"] == "friends"
    assert response.json()["discoverable"] is False
    assert api.get("/api/v1/settings/privacy").json()["profile"] == "friends"


@pytest.mark.parametrize(
    "data, field", [({"profile": "private"}, "profile"), ({"likes": "link"}, "likes")]
)
def test_a_visibility_a_setting_does_not_take_names_the_setting(api, me, data, field):
    response = api.put("/api/v1/settings/privacy", data, format="json")

    assert response.status_code == 400
    assert _error(response, field)["code"] == "invalid_choice"
