""" "People you may know" on /friends/ and beside the feed, and its buttons, with and without
htmx (social/recommendations/people_views.py)."""

import pytest

from social.graph.models import FriendRequest
from social.recommendations.models import Dismissal
from tests.factories import UserFactory, friends_make, friends_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client):
    me = UserFactory(username="me", display_name="Me Myself")
    client.force_login(me)
    return me


@pytest.fixture
def zoe(me):
    """Zoe, a friend of my friends Ana and Ben."""
    ana = UserFactory(username="ana", display_name="Ana")
    ben = UserFactory(username="ben", display_name="Ben")
    zoe = UserFactory(username="zoe", display_name="Zoe Zed")
    friends_make(me, ana, ben)
    friends_make(zoe, ana, ben)
    return zoe


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("page", ["/friends/", "/feed/"])
def test_the_page_shows_people_you_may_know_with_mutual_friends(client, zoe, page):
    response = client.get(page)

    html = response.content.decode()
    assert "People you may know" in html
    assert "Zoe Zed" in html
    assert "2 mutual friends: " in html
    assert ">Ana</a> and <a" in html and ">Ben</a>" in html
    assert 'Add friend<span class="visually-hidden"> Zoe Zed</span>' in html
    assert 'Not now<span class="visually-hidden"> Zoe Zed</span>' in html


@pytest.mark.parametrize("page", ["/friends/", "/feed/"])
def test_nobody_to_suggest_leaves_the_section_out(client, me, page):
    assert "People you may know" not in client.get(page).content.decode()


def test_add_friend_without_javascript_sends_a_request_and_comes_back(client, me, zoe):
    response = client.post("/friends/suggestions/zoe/add/", {"next": "/feed/"}, follow=True)

    assert response.redirect_chain == [("/feed/", 302)]
    assert _messages(response) == ["Friend request sent to Zoe Zed."]
    assert FriendRequest.objects.filter(from_user=me, to_user=zoe, status="pending").exists()
    assert "People you may know" not in response.content.decode()


def test_not_now_without_javascript_dismisses_for_good(client, me, zoe):
    response = client.post("/friends/suggestions/zoe/dismiss/", {"next": "/friends/"}, follow=True)

    assert response.redirect_chain == [("/friends/", 302)]
    assert _messages(response) == ["Zoe Zed will not be suggested again."]
    assert Dismissal.objects.filter(user=me, person=zoe).exists()
    assert "People you may know" not in response.content.decode()


def test_with_htmx_the_line_is_replaced_by_what_happened(client, me, zoe):
    response = client.post("/friends/suggestions/zoe/dismiss/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="suggestion-zoe"' in html and 'role="status"' in html
    assert "Zoe Zed will not be suggested again." in html
    assert Dismissal.objects.filter(user=me, person=zoe).exists()


def test_add_friend_with_htmx_says_when_it_is_refused(client, me, zoe):
    client.post("/friends/suggestions/zoe/add/")

    response = client.post("/friends/suggestions/zoe/add/", HTTP_HX_REQUEST="true")

    assert (
        "You have already asked Zoe Zed; they have not answered yet." in response.content.decode()
    )


def test_a_next_elsewhere_goes_back_to_friends(client, me, zoe):
    response = client.post("/friends/suggestions/zoe/dismiss/", {"next": "https://evil.example/"})

    assert response["Location"] == "/friends/"


def test_an_unknown_person_is_told_plainly(client, me):
    response = client.post("/friends/suggestions/nobody/add/", follow=True)

    assert _messages(response) == ["There is no one with this username."]


def test_dismissing_oneself_is_refused(client, me):
    response = client.post("/friends/suggestions/me/dismiss/", follow=True)

    assert _messages(response) == ["You cannot dismiss yourself."]
    assert not Dismissal.objects.exists()


def test_the_buttons_need_a_sign_in(client, zoe):
    client.logout()

    response = client.post("/friends/suggestions/zoe/dismiss/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _suggestions_of(me, n: int) -> None:
    """N friends of mine, each with a friend of their own, who is a friend of all N."""
    friends = friends_many(me, n)
    for stranger in UserFactory.create_batch(n, verified=False):
        friends_make(stranger, *friends)


@pytest.mark.parametrize("n", [4, 40])
def test_the_friends_page_takes_the_same_queries_with_4_or_40_people_to_suggest(
    client, me, django_assert_num_queries, n
):
    _suggestions_of(me, n)
    client.get("/friends/")  # the header's cached parts, and the ranking

    # As without suggestions (11: tests/social/graph/test_views.py): the suggestions are
    # one cached answer.
    with django_assert_num_queries(10):
        response = client.get("/friends/")

    assert response.content.decode().count('class="people-list__item suggestion"') == min(n, 6)
    assert f"{n} mutual friends" in response.content.decode()


@pytest.mark.parametrize("n", [4, 40])
def test_the_feed_takes_the_same_queries_with_4_or_40_people_to_suggest(
    client, me, django_assert_num_queries, n
):
    _suggestions_of(me, n)
    client.get("/feed/")

    # the session with its user and the header's badges (one query); the feed's version (being
    # rebuilt after the first log-in: never cached); feed state; the pulled activities (none); the
    # people suggested are one cached answer
    with django_assert_num_queries(4):
        response = client.get("/feed/")

    assert response.content.decode().count('class="people-list__item suggestion"') == min(n, 3)


@pytest.mark.parametrize("n", [4, 40])
def test_ranking_takes_one_query_whatever_the_numbers(
    client, me, django_assert_num_queries, settings, n
):
    settings.PEOPLE_SUGGESTIONS_CACHE_SECONDS = 0
    _suggestions_of(me, n)
    client.get("/friends/")

    with django_assert_num_queries(13):  # the 15 above, and the ranking
        client.get("/friends/")
