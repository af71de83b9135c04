"""The graph's header entries (GraphConfig.ready): Friends with the number of requests waiting,
and Privacy settings in the account menu."""

import pytest

from shop.core.navigation import nav_menu_for
from social.graph import services
from tests.factories import ProductFactory, UserFactory
from tests.html import html

pytestmark = pytest.mark.django_db


def header(response):
    return html(response).one("header", cls="site-header")


def _wide_friends(bar):
    """The Friends link of the wide header (other apps add entries of their own there)."""
    (link,) = [
        a for li in bar.all("li", cls="header-actions__wide") for a in li.all("a", href="/friends/")
    ]
    return link


def test_friends_and_privacy_settings_are_in_the_header(client):
    me = UserFactory()
    for asker in UserFactory.create_batch(2):
        services.friend_request_send(sender=asker, to=me)
    services.friend_request_send(sender=me, to=UserFactory())  # sent: not counted
    client.force_login(me)

    bar = header(client.get("/cart/"))

    friends = _wide_friends(bar)
    assert friends.one("span", cls="count-badge").text == "2"
    assert friends.attrs["aria-label"] == "Friends, friend requests waiting: 2"
    assert friends.text.split() == ["2", "Friends"]
    panel = bar.one("div", id="account-menu")
    assert panel.one("ul", cls="account-menu__narrow").one("a", href="/friends/")
    assert panel.one("a", href="/settings/privacy/").text == "Privacy settings"


def test_the_friends_badge_disappears_when_the_requests_are_answered(client):
    me, asker = UserFactory(), UserFactory()
    friend_request = services.friend_request_send(sender=asker, to=me)
    services.friend_request_accept(friend_request=friend_request, user=me)

    menu = nav_menu_for(viewer=me)

    assert [
        (item.entry.key, item.count) for item in menu.drawer if item.entry.key == "friends"
    ] == [("friends", 0)]


def test_visitors_see_neither_entry(client):
    bar = header(client.get("/cart/"))

    assert bar.all("a", href="/friends/") == []
    assert bar.all("a", href="/settings/privacy/") == []


@pytest.mark.parametrize("waiting", [2, 40])
def test_the_friends_badge_costs_no_query_of_its_own_whatever_the_count(
    client, django_assert_num_queries, waiting
):
    me = UserFactory()
    for asker in UserFactory.create_batch(waiting, verified=False):
        services.friend_request_send(sender=asker, to=me)
    ProductFactory()
    client.force_login(me)
    client.get("/products/")

    # the session with its user and the badges, one query (the likes' decoration of the
    # cards is cached per viewer since the first visit: social.likes)
    with django_assert_num_queries(1):
        response = client.get("/products/")

    wide = _wide_friends(header(response))
    assert wide.one("span", cls="count-badge").text == str(waiting)
