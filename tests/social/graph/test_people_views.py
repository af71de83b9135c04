"""People's pages: /people/<username>/ (moved here from shop.accounts, now through the audience
rule), its buttons, /people/<username>/report/ and /people/?q=."""

import html
import re

import pytest

from shop.accounts import services as account_services
from shop.catalog.category_selectors import category_tree
from social.graph import services
from social.graph.models import Block, Follow, FriendRequest, Friendship, Report
from social.graph.report_services import REPORTS_PER_DAY
from tests.factories import UserFactory, friends_make, friends_many, privacy_set
from tests.html import html as page_of
from tests.shop.accounts.conftest import verified_image

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def main(response) -> str:
    return text(response).split("<main", 1)[1]


def words(response) -> str:
    """The page's main content as read: tags dropped, spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", "", main(response)).split())


def with_avatar(user):
    return account_services.profile_update(
        user=user,
        display_name=user.display_name,
        bio=user.bio,
        avatar=verified_image(),
        remove_avatar=False,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def me(client):
    user = UserFactory(username="me", display_name="Mia Meyer")
    client.force_login(user)
    return user


@pytest.fixture
def ana():
    return UserFactory(username="ana", display_name="Ana Alves", bio="Knits.")


# --- /people/<username>/ (moved from tests/shop/accounts/test_views.py) -----------------------


def test_people_page_shows_the_public_profile(client):
    user = with_avatar(UserFactory(username="ada", display_name="Ada Lovelace", bio="Counts."))
    privacy_set(user, profile="public")

    page = text(client.get("/people/ada/"))

    assert page.count("<h1>") == 1
    assert "<h1>Ada Lovelace</h1>" in page
    assert "@ada" in page
    assert "Counts." in page
    assert f'Joined <time datetime="{user.date_joined:%Y-%m-%d}">{user.date_joined:%B %Y}' in page
    assert f'src="{user.avatar.url}" alt="Ada Lovelace\'s avatar"' in page
    assert "Edit profile</a>" not in page.split("</header>", 1)[1].split("</article>")[0]
    assert user.email not in page


def test_people_page_of_a_friends_only_profile_shows_strangers_the_name_and_avatar_only(client):
    user = with_avatar(UserFactory(username="ada", display_name="Ada Lovelace", bio="Counts."))

    page = text(client.get("/people/ada/"))

    assert "<h1>Ada Lovelace</h1>" in page
    assert f'src="{user.avatar.url}"' in page
    assert "Counts." not in page
    assert "Joined" not in page
    assert "Ada Lovelace shares their profile with friends only." in page
    assert "Log in to add Ada Lovelace as a friend" in page


def test_people_page_without_avatar_shows_the_initial(client):
    UserFactory(username="bob", display_name="", bio="")

    page = text(client.get("/people/bob/"))

    assert "<h1>bob</h1>" in page
    assert 'aria-hidden="true">B</span>' in page
    assert "<img" not in page.split("<main", 1)[1]


def test_own_people_page_links_to_the_profile_form(client):
    user = UserFactory(username="ada", bio="Mine.")
    client.force_login(user)

    page = main(client.get("/people/ada/"))

    assert 'href="/accounts/profile/">Edit profile</a>' in page
    assert 'href="/settings/privacy/">Privacy settings</a>' in page
    assert "Mine." in page
    assert "You have 0 friends" in page
    assert "Add friend" not in page and "Block" not in page


def test_people_page_finds_the_username_whatever_its_case(client):
    UserFactory(username="AdaL")

    assert client.get("/people/adal/").status_code == 200


@pytest.mark.parametrize("username", ["nobody", "gone"])
def test_people_page_is_404_for_unknown_or_inactive_people(client, username):
    UserFactory(username="gone", is_active=False)

    assert client.get(f"/people/{username}/").status_code == 404


@pytest.mark.parametrize("blocker", ["me", "ana"])
def test_people_page_is_404_when_either_has_blocked_the_other(client, me, ana, blocker):
    if blocker == "me":
        services.person_block(blocker=me, person=ana)
    else:
        services.person_block(blocker=ana, person=me)

    assert client.get("/people/ana/").status_code == 404


@pytest.mark.parametrize("size", [2, 30])
def test_people_page_queries_do_not_grow_with_people_or_avatars(
    client, django_assert_num_queries, size
):
    people = UserFactory.create_batch(size)
    with_avatar(people[0])
    client.force_login(UserFactory())
    category_tree()  # the header's categories menu: cached, read once per catalogue version

    for person in (people[0], people[-1]):
        # session with the viewer and the header's badges; the person, the blocks, the ties, the
        # mutual friends; the activity section (the feed's)
        with django_assert_num_queries(6):
            assert client.get(f"/people/{person.username}/").status_code == 200


@pytest.mark.parametrize("size", [2, 30])
def test_people_page_for_anonymous_visitors_takes_two_queries(
    client, django_assert_num_queries, size
):
    people = UserFactory.create_batch(size)
    with_avatar(people[0])
    category_tree()  # the header's categories menu: cached, read once per catalogue version

    for person in (people[0], people[-1]):
        # the person, their privacy settings; the activity section (the feed's)
        with django_assert_num_queries(3):
            assert client.get(f"/people/{person.username}/").status_code == 200


@pytest.mark.parametrize("n", [10, 200])
def test_a_friends_page_takes_the_same_queries_for_10_or_200_friends(
    client, me, ana, django_assert_num_queries, n
):
    friends = friends_many(ana, n)
    friends_make(me, *friends[:5])
    privacy_set(ana, friends_list="public")
    category_tree()

    # session with the viewer and the header's badges; the person, the blocks, the ties, the
    # mutual friends, the friends count; the activity section (the feed's)
    with django_assert_num_queries(7):
        page = main(client.get("/people/ana/"))

    assert f"Ana Alves has {n} friends" in page


def test_mutual_friends_are_named_up_to_three_then_counted(client, me, ana):
    names = ["Bea", "Cy", "Dan", "Eve", "Fay"]
    people = [UserFactory(display_name=name) for name in names]
    friends_make(me, *people)
    friends_make(ana, *people[:3])

    assert "Mutual friends: Bea, Cy and Dan" in words(client.get("/people/ana/"))

    friends_make(ana, *people[3:])

    assert "Mutual friends: Bea, Cy, Dan and 2 more" in words(client.get("/people/ana/"))


def test_the_friends_count_shows_only_when_the_list_is_shared(client, me, ana):
    friends_many(ana, 3)

    assert "3 friends" not in main(client.get("/people/ana/"))  # friends only, by default

    friends_make(me, ana)

    assert "Ana Alves has 4 friends" in main(client.get("/people/ana/"))


# --- the buttons ------------------------------------------------------------------------------


def _button_names(response) -> str:
    return main(response).split("</header>", 1)[0]


def test_a_stranger_asks_then_withdraws_from_the_page(client, me, ana):
    assert "Add friend" in _button_names(client.get("/people/ana/"))

    response = client.post("/people/ana/add-friend/", follow=True)

    assert _messages(response) == ["Friend request sent to Ana Alves."]
    assert response.redirect_chain == [("/people/ana/", 302)]
    assert "Cancel request" in _button_names(response)

    response = client.post("/people/ana/cancel-request/", follow=True)

    assert _messages(response) == ["Request to Ana Alves withdrawn."]
    assert "Add friend" in _button_names(response)
    assert not FriendRequest.objects.filter(status=FriendRequest.Status.PENDING).exists()


def test_asking_twice_says_so(client, me, ana):
    client.post("/people/ana/add-friend/", follow=True)

    response = client.post("/people/ana/add-friend/", follow=True)

    assert _messages(response) == ["You have already asked Ana Alves; they have not answered yet."]


def test_asking_yourself_says_so(client, me):
    response = client.post("/people/me/add-friend/", follow=True)

    assert _messages(response) == ["You cannot send a friend request to yourself."]


def test_a_request_received_is_accepted_or_declined_from_the_page(client, me, ana):
    services.friend_request_send(sender=ana, to=me)
    page = _button_names(client.get("/people/ana/"))
    assert "Accept" in page and "Decline" in page

    response = client.post("/people/ana/accept/", follow=True)

    assert _messages(response) == ["You and Ana Alves are now friends."]
    assert "Friends ✓ Unfriend Ana Alves" in words(response)

    response = client.post("/people/ana/unfriend/", follow=True)

    assert _messages(response) == ["You and Ana Alves are no longer friends."]
    assert not Friendship.objects.exists()


def test_declining_from_the_page(client, me, ana):
    services.friend_request_send(sender=ana, to=me)

    response = client.post("/people/ana/decline/", follow=True)

    assert _messages(response) == ["Request from Ana Alves declined."]
    assert FriendRequest.objects.get().status == FriendRequest.Status.DECLINED


def test_accepting_without_a_request_says_so(client, me, ana):
    response = client.post("/people/ana/accept/", follow=True)

    assert _messages(response) == ["Ana Alves has no request waiting for your answer."]


def test_a_public_profile_is_followed_and_unfollowed_from_the_page(client, me, ana):
    assert "Follow" not in _button_names(client.get("/people/ana/"))  # friends only
    privacy_set(ana, profile="public")

    response = client.post("/people/ana/follow/", follow=True)

    assert _messages(response) == ["You now follow Ana Alves."]
    assert "Unfollow" in _button_names(response)

    response = client.post("/people/ana/unfollow/", follow=True)

    assert _messages(response) == ["You no longer follow Ana Alves."]
    assert not Follow.objects.exists()


def test_the_buttons_go_back_to_the_page_they_came_from_only_if_it_is_ours(client, me, ana):
    response = client.post("/people/ana/add-friend/", {"next": "/people/?q=ana"})
    assert response["Location"] == "/people/?q=ana"

    client.post("/people/ana/cancel-request/")
    response = client.post("/people/ana/add-friend/", {"next": "https://evil.example/"})
    assert response["Location"] == "/people/ana/"


def test_the_more_menu_offers_block_and_report(client, me, ana):
    page = _button_names(client.get("/people/ana/"))

    menu = page.split('<details class="more-menu">', 1)[1].split("</details>", 1)[0]
    assert "<summary" in menu and "More" in menu
    assert 'action="/people/ana/block/"' in menu
    assert 'href="/people/ana/report/"' in menu


def test_blocking_from_the_page_hides_each_from_the_other(client, me, ana):
    response = client.post("/people/ana/block/", follow=True)

    assert response.redirect_chain == [("/settings/privacy/", 302)]
    assert _messages(response)[0].startswith("You blocked Ana Alves:")
    assert "Ana Alves" in main(response)  # listed, to unblock
    assert client.get("/people/ana/").status_code == 404
    client.force_login(ana)
    assert client.get("/people/me/").status_code == 404


def test_someone_who_blocked_you_cannot_be_asked_from_a_page_left_open(client, me, ana):
    services.person_block(blocker=ana, person=me)

    response = client.post("/people/ana/add-friend/", follow=True)

    assert _messages(response) == ["There is no one with this username."]
    assert response.redirect_chain == [("/people/", 302)]
    assert not FriendRequest.objects.exists()


def test_someone_you_blocked_is_unblocked_from_the_privacy_page(client, me, ana):
    services.person_block(blocker=me, person=ana)

    response = client.post(
        "/people/ana/unblock/", {"next": "/settings/privacy/#blocked"}, follow=True
    )

    assert _messages(response) == ["You unblocked Ana Alves."]
    assert not Block.objects.exists()
    assert client.get("/people/ana/").status_code == 200


@pytest.mark.parametrize("action", ["add-friend", "block"])
def test_the_buttons_ask_visitors_to_log_in_and_take_posts_only(client, ana, action):
    response = client.post(f"/people/ana/{action}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    client.force_login(UserFactory())
    assert client.get(f"/people/ana/{action}/").status_code == 405


def test_an_unknown_action_is_a_404(client, me, ana):
    assert client.post("/people/ana/befriend-forcefully/").status_code == 404


# --- /people/<username>/report/ ---------------------------------------------------------------


def test_reporting_someone(client, me, ana):
    page = text(client.get("/people/ana/report/"))
    assert "<h1>Report Ana Alves</h1>" in page
    assert '<label for="id_text">What happened' in page

    response = client.post(
        "/people/ana/report/", {"reason": "spam", "text": "Sells fakes."}, follow=True
    )

    assert _messages(response) == ["Thank you: your report about Ana Alves is with our team."]
    report = Report.objects.get()
    assert (report.reporter, report.person, report.reason, report.text, report.handled) == (
        me,
        ana,
        "spam",
        "Sells fakes.",
        False,
    )
    assert not Block.objects.exists()


def test_reporting_and_blocking_at_once(client, me, ana):
    response = client.post(
        "/people/ana/report/", {"reason": "harassment", "block": "on"}, follow=True
    )

    assert response.redirect_chain == [("/settings/privacy/", 302)]
    assert _messages(response) == [
        "Thank you: your report about Ana Alves is with our team. You also blocked them."
    ]
    assert Block.objects.filter(blocker=me, blocked=ana).exists()


def test_a_report_without_a_reason_is_explained_on_the_form(client, me, ana):
    response = client.post("/people/ana/report/", {"text": "Hm."})

    assert "reason" in response.context["form"].errors
    assert not Report.objects.exists()


def test_reports_are_limited_per_day(client, me):
    people = UserFactory.create_batch(REPORTS_PER_DAY + 1)
    for person in people[:REPORTS_PER_DAY]:
        client.post(f"/people/{person.username}/report/", {"reason": "spam"})

    response = client.post(f"/people/{people[-1].username}/report/", {"reason": "spam"})

    assert response.status_code == 200
    assert "the most we allow" in text(response)
    assert Report.objects.count() == REPORTS_PER_DAY


def test_reporting_yourself_or_someone_blocked_is_refused(client, me, ana):
    response = client.get("/people/me/report/", follow=True)
    assert _messages(response) == ["You cannot report yourself."]

    services.person_block(blocker=ana, person=me)
    assert client.get("/people/ana/report/").status_code == 404


# --- /people/?q= ------------------------------------------------------------------------------


def test_search_finds_people_by_name_with_their_button_and_mutual_friends(client, me, ana):
    friend = UserFactory(display_name="Bea")
    friends_make(me, friend)
    friends_make(ana, friend)
    services.friend_request_send(sender=me, to=UserFactory(display_name="Ana Sent"))

    page = main(client.get("/people/", {"q": "ana"}))

    assert "2 people found for “ana”" in page
    assert "Ana Alves" in page and "1 mutual friend" in page
    assert 'Add friend<span class="visually-hidden"> Ana Alves' in page
    assert 'Cancel request<span class="visually-hidden"> to Ana Sent' in page
    assert '<label for="people-q">Name or username</label>' in page


def test_search_leaves_out_people_blocked_either_way(client, me, ana):
    blocker = UserFactory(display_name="Ana Blocker")
    services.person_block(blocker=blocker, person=me)
    services.person_block(blocker=me, person=UserFactory(display_name="Ana Blocked"))

    page = main(client.get("/people/", {"q": "ana"}))

    assert "Ana Alves" in page
    assert "Ana Blocker" not in page and "Ana Blocked" not in page


def test_people_who_are_not_discoverable_are_found_by_exact_username_only(client, me, ana):
    privacy_set(ana, discoverable=False)

    assert "Ana Alves" not in main(client.get("/people/", {"q": "Alves"}))
    assert "Ana Alves" in main(client.get("/people/", {"q": "ANA"}))


def test_an_empty_search_says_who_to_invite(client, me):
    page = main(client.get("/people/", {"q": "zed"}))

    assert "No one found for “zed”" in page
    assert 'href="/friends/#invite"' in page


def test_a_too_long_search_is_explained(client, me):
    page = main(client.get("/people/", {"q": "x" * 151}))

    assert "Search with at most 150 characters." in page
    assert 'aria-invalid="true"' in page


def test_search_is_paginated_keeping_the_query(client, me):
    UserFactory.create_batch(25, display_name="Quux Zed")

    page = main(client.get("/people/", {"q": "quux", "page": 2}))

    assert "25 people found" in page
    assert 'href="/people/?q=quux&page=1"' in text(client.get("/people/", {"q": "quux", "page": 2}))


def test_search_asks_visitors_to_log_in(client):
    response = client.get("/people/", {"q": "ana"})

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("n", [10, 200])
def test_search_takes_the_same_queries_for_10_or_200_friends(
    client, me, django_assert_num_queries, n
):
    friends = friends_many(me, n)
    found = UserFactory.create_batch(30, display_name="Quux Zed")
    for person in found:
        friends_make(person, *friends[:3])
    category_tree()

    # session with the viewer and the header's badges; the count, the page of people with
    # their ties
    with django_assert_num_queries(3):
        response = client.get("/people/", {"q": "quux"})

    assert len(response.context["people"]) == 20


def test_the_header_product_search_box_does_not_take_the_people_search_words(client):
    viewer = UserFactory(username="viewer")
    client.force_login(viewer)

    response = client.get("/people/?q=robin")

    box = page_of(response).one("input", id="site-search-q")
    assert (box.attrs.get("value") or "") == ""
