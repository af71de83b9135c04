"""The graph's pages: /friends/ and its buttons, /settings/privacy/, the header's entries."""

import re

import pytest
from django.core import mail

from social.graph import selectors, services
from social.graph.models import Follow, FriendRequest, Friendship, Invite
from tests.factories import MerchantFactory, UserFactory, friends_make, friends_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client):
    user = UserFactory(username="me", display_name="Mia Meyer")
    client.force_login(user)
    return user


@pytest.fixture
def ana():
    return UserFactory(username="ana", display_name="Ana Alves")


def _text(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("path", ["/friends/", "/settings/privacy/"])
def test_the_pages_ask_visitors_to_log_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- /friends/ --------------------------------------------------------------------------------


def test_friends_page_shows_friends_requests_both_ways_and_follows(client, me, ana):
    friends_make(me, ana)
    services.friend_request_send(sender=UserFactory(display_name="Rita Asks"), to=me, message="Hi!")
    services.friend_request_send(sender=me, to=UserFactory(display_name="Sven Asked"))
    services.merchant_follow(follower=me, merchant=MerchantFactory(name="Alpine Goods"))

    page = _text(client.get("/friends/"))

    assert "<h1>Friends</h1>" in page
    for shown in ("Ana Alves", "Rita Asks", "“Hi!”", "Sven Asked", "Alpine Goods"):
        assert shown in page
    assert ">Accept<" in page and ">Decline<" in page and ">Cancel request<" in page


def test_an_empty_friends_page_says_what_to_do_next(client, me):
    page = _text(client.get("/friends/"))

    assert "No friends yet" in page
    assert "Search for someone you know above and press Add friend" in page
    assert 'action="/people/"' in page
    assert "No requests waiting" in page
    assert "You follow no one yet" in page
    assert "Get my invite link" in page


@pytest.mark.parametrize("n", [10, 200])
def test_the_friends_page_takes_the_same_queries_for_10_or_200_friends(
    client, me, django_assert_num_queries, n
):
    friends = friends_many(me, n)
    for person in UserFactory.create_batch(3, verified=False):
        services.friend_request_send(sender=person, to=me)
    services.friend_request_send(sender=me, to=UserFactory(verified=False))
    Follow.objects.bulk_create([Follow(follower=me, person=p) for p in friends[:5]])
    client.get("/friends/")  # the header's cached parts

    # the session with its user; friends count and page; received, its count; sent, its count;
    # follows, their count; the invite link (the header's badges come with the session)
    with django_assert_num_queries(10):
        response = client.get("/friends/")

    assert response.status_code == 200
    assert len(response.context["friends"].object_list) == min(n, 24)


def test_accepting_on_the_page_makes_friends(client, me, ana):
    request = services.friend_request_send(sender=ana, to=me)

    response = client.post(f"/friends/requests/{request.pk}/accept/", follow=True)

    assert selectors.is_friend(user=me, other=ana)
    assert "You and Ana Alves are now friends." in _messages(response)
    assert response.redirect_chain[-1][0] == "/friends/#friends"


def test_declining_and_withdrawing_on_the_page(client, me, ana):
    theirs = services.friend_request_send(sender=ana, to=me)
    mine = services.friend_request_send(sender=me, to=UserFactory(display_name="Bo"))

    declined = client.post(f"/friends/requests/{theirs.pk}/decline/", follow=True)
    withdrawn = client.post(f"/friends/requests/{mine.pk}/cancel/", follow=True)

    assert "Request from Ana Alves declined." in _messages(declined)
    assert "Request to Bo withdrawn." in _messages(withdrawn)
    assert not FriendRequest.objects.filter(status="pending").exists()


def test_an_answer_already_given_is_explained_not_an_error(client, me, ana):
    request = services.friend_request_send(sender=ana, to=me)
    services.friend_request_cancel(friend_request=request, user=ana)

    response = client.post(f"/friends/requests/{request.pk}/accept/", follow=True)

    assert response.status_code == 200
    assert "This friend request has already been answered or withdrawn." in _messages(response)


@pytest.mark.parametrize(
    "path",
    [
        "/friends/requests/{pk}/shout/",
        "/friends/requests/999999/accept/",
        f"/friends/requests/{2**63}/accept/",
        f"/friends/follows/{2**63}/unfollow/",
    ],
)
def test_unknown_requests_and_answers_are_a_404(client, me, ana, path):
    request = services.friend_request_send(sender=ana, to=me)

    assert client.post(path.format(pk=request.pk)).status_code == 404


def test_someone_elses_request_is_a_404(client, me, ana):
    request = services.friend_request_send(sender=ana, to=UserFactory())

    assert client.post(f"/friends/requests/{request.pk}/accept/").status_code == 404
    assert FriendRequest.objects.get().status == "pending"


def test_the_answers_take_posts_only(client, me, ana):
    request = services.friend_request_send(sender=ana, to=me)

    assert client.get(f"/friends/requests/{request.pk}/accept/").status_code == 405


def test_unfriending_and_unfollowing_on_the_page(client, me, ana):
    friends_make(me, ana)
    follow = services.merchant_follow(follower=me, merchant=MerchantFactory(name="Alpine"))

    unfriended = client.post("/friends/ana/unfriend/", follow=True)
    unfollowed = client.post(f"/friends/follows/{follow.pk}/unfollow/", follow=True)

    assert "You and Ana Alves are no longer friends." in _messages(unfriended)
    assert "You no longer follow Alpine." in _messages(unfollowed)
    assert not Friendship.objects.exists() and not Follow.objects.exists()


def test_inviting_by_email_from_the_page(client, me, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/friends/invite/", {"email": "pal@example.com"}, follow=True)

    assert any("Invitation on its way to pal@example.com" in m for m in _messages(response))
    assert mail.outbox[0].to == ["pal@example.com"]


@pytest.mark.parametrize("email", ["", "not-an-email", "me@example.com"])
def test_a_bad_invitation_says_why(client, me, email):
    response = client.post("/friends/invite/", {"email": email}, follow=True)

    assert len(_messages(response)) == 1
    assert not Invite.objects.exists()


def test_the_invite_link_is_made_on_asking_and_shown(client, me):
    assert 'id="invite-link"' not in _text(client.get("/friends/"))

    page = _text(client.post("/friends/invite/link/", follow=True))

    assert f"/invite/{Invite.objects.get(kind='link').token}/" in page


# --- /settings/privacy/ -----------------------------------------------------------------------


def test_the_privacy_page_shows_the_current_choices(client, me):
    services.privacy_settings_update(user=me, purchases="friends")

    response = client.get("/settings/privacy/")

    page = _text(response)
    assert "<h1>Privacy</h1>" in page
    assert re.search(r'<input[^>]*name="purchases" value="friends"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="purchases" value="private"[^>]*checked', page)
    assert "nobody sees your purchases until you choose" in page


def test_saving_the_privacy_page(client, me):
    data = {
        "profile": "public",
        "friends_list": "private",
        "purchases": "friends",
        "likes": "public",
        "wishlists": "link",
        "discoverable": "on",
    }

    response = client.post("/settings/privacy/", data, follow=True)

    assert "Your privacy settings are saved." in _messages(response)
    settings = selectors.privacy_settings_get(user=me)
    assert (settings.profile, settings.friends_list, settings.purchases) == (
        "public",
        "private",
        "friends",
    )
    assert (settings.likes, settings.wishlists) == ("public", "link")
    assert settings.discoverable is True and settings.reviews_show_name is False
    assert settings.personalised is False  # its box was left unticked


def test_a_choice_a_setting_does_not_take_is_shown_on_the_page(client, me):
    response = client.post("/settings/privacy/", {"profile": "private", "purchases": "friends"})

    assert response.status_code == 200
    assert "Please check" in _text(response)
    assert selectors.privacy_settings_get(user=me).purchases == "private"  # nothing saved
