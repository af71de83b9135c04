"""The header's navigation registry (shop.core.navigation) and how the header shows it."""

import pytest
from django.contrib.auth import get_user_model

from shop.core.compiled_reads import PersonCount
from shop.core.navigation import (
    NavPlace,
    nav_entry_register,
    nav_entry_unregister,
    nav_menu_for,
)
from tests.factories import ProductFactory, UserFactory
from tests.html import html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nav_registry_empty")]


@pytest.fixture
def register(nav_registry_empty):
    """Register entries for one test: register(key=..., ...); all removed afterwards."""
    keys = []

    def _register(**kwargs):
        keys.append(kwargs["key"])
        return nav_entry_register(**kwargs)

    yield _register
    for key in keys:
        nav_entry_unregister(key=key)


@pytest.fixture
def social(register):
    """The five entries the social apps will register: Feed, Friends, the bell, Wishlists, Pools."""
    calls = []

    def unread(*, viewer):
        calls.append(viewer)
        return 3

    register(key="feed", label="Feed", url="/feed/", icon="feed", order=10)
    register(key="friends", label="Friends", url="/friends/", icon="friends", order=20)
    register(key="wishlists", label="Wishlists", url="/wishlists/", icon="heart", order=30)
    register(key="pools", label="Pools", url="/pools/", icon="gift", order=40)
    register(
        key="notifications",
        label="Notifications",
        url="/notifications/",
        icon="bell",
        places=[NavPlace.HEADER],
        badge=unread,
        badge_label="{count} unread",
    )
    return calls


def header(response):
    return html(response).one("header", cls="site-header")


# --- the registry -------------------------------------------------------------------------------


def test_a_signed_in_visitor_gets_the_entries_by_place_in_order(social):
    ada = UserFactory()

    menu = nav_menu_for(viewer=ada)

    assert [item.label for item in menu.drawer] == ["Feed", "Friends", "Wishlists", "Pools"]
    assert [(item.label, item.count) for item in menu.header] == [("Notifications", 3)]
    assert menu.account == []
    assert social == [ada]  # the badge was read once, for the viewer


def test_anonymous_visitors_get_no_entries_and_no_badge_is_read(social):
    from django.contrib.auth.models import AnonymousUser

    for viewer in (None, AnonymousUser()):
        menu = nav_menu_for(viewer=viewer)

        assert (menu.header, menu.drawer, menu.account) == ([], [], [])
    assert social == []


def test_an_entry_may_show_in_several_places(register):
    register(key="pools", label="Pools", url="/pools/", places=["drawer", "account"])

    menu = nav_menu_for(viewer=UserFactory())

    assert [item.label for item in menu.drawer] == ["Pools"]
    assert [item.label for item in menu.account] == ["Pools"]


def test_registering_a_key_again_replaces_its_entry(register):
    register(key="feed", label="Feed", url="/feed/")
    register(key="feed", label="Your feed", url="/feed/")

    assert [item.label for item in nav_menu_for(viewer=UserFactory()).drawer] == ["Your feed"]


def test_entries_of_the_same_order_sort_by_label(register):
    register(key="b", label="Wishlists", url="/wishlists/")
    register(key="a", label="Feed", url="/feed/")

    assert [item.label for item in nav_menu_for(viewer=UserFactory()).drawer] == [
        "Feed",
        "Wishlists",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"places": ["header"]}, "needs an icon"),
        ({"icon": "unicorn"}, "no icon named 'unicorn'"),
        ({"places": ["sidebar"]}, "'sidebar' is not a valid NavPlace"),
        ({"places": []}, "no place to show"),
    ],
)
def test_a_wrong_entry_is_refused_when_registered(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nav_entry_register(key="bad", label="Bad", url="/bad/", **kwargs)

    assert nav_menu_for(viewer=UserFactory()).drawer == []


def test_a_big_count_is_drawn_capped_and_said_in_full(register):
    register(
        key="bell",
        label="Notifications",
        url="/notifications/",
        icon="bell",
        places=["header"],
        badge=lambda *, viewer: 120,
        badge_label="{count} unread",
    )

    (item,) = nav_menu_for(viewer=UserFactory()).header

    assert (item.count_text, item.badge_words) == ("99+", "120 unread")


# --- the header ---------------------------------------------------------------------------------


def test_the_bell_shows_its_count_in_the_bar_and_says_it(client, social):
    client.force_login(UserFactory())

    bar = header(client.get("/cart/"))

    bell = bar.one("a", href="/notifications/")
    assert bell.one("span", cls="count-badge").text == "3"
    assert bell.one("span", cls="visually-hidden").text == "Notifications, 3 unread"


def test_the_drawer_entries_are_in_the_bar_and_in_the_account_menu(client, social):
    client.force_login(UserFactory())

    bar = header(client.get("/cart/"))

    # Wide screens show the bar's copy, narrow ones the account menu's (CSS hides the other).
    wide = bar.one("ul", cls="header-actions").all("li", cls="header-actions__wide")
    assert [li.one("a").attrs["href"] for li in wide] == [
        "/feed/",
        "/friends/",
        "/wishlists/",
        "/pools/",
    ]
    narrow = bar.one("div", id="account-menu").one("ul", cls="account-menu__narrow")
    assert [a.text for a in narrow.all("a")] == ["Feed", "Friends", "Wishlists", "Pools"]


def test_a_zero_count_shows_no_badge(client, register):
    register(
        key="bell",
        label="Notifications",
        url="/notifications/",
        icon="bell",
        places=["header"],
        badge=lambda *, viewer: 0,
    )
    client.force_login(UserFactory())

    bell = header(client.get("/cart/")).one("a", href="/notifications/")

    assert bell.all("span", cls="count-badge") == []
    assert bell.text == "Notifications"


def test_signed_out_visitors_see_no_entries(client, social):
    bar = header(client.get("/cart/"))

    assert bar.all("a", href="/feed/") == []
    assert bar.all("a", href="/notifications/") == []


def test_the_entries_show_on_cached_catalogue_pages(client, social):
    ProductFactory()
    client.get("/products/")  # cached by an anonymous visitor
    client.force_login(UserFactory())

    bar = header(client.get("/products/"))

    assert bar.one("a", href="/notifications/").one("span", cls="count-badge").text == "3"
    assert bar.one("ul", cls="account-menu__narrow").all("a", href="/pools/")


@pytest.mark.parametrize("people", [2, 30])
def test_a_badge_costs_its_own_query_on_a_cached_page_whatever_the_count(
    client, django_assert_num_queries, register, people
):
    def others(*, viewer):  # one query, as a real badge must answer
        return get_user_model().objects.exclude(pk=viewer.pk).count()

    register(
        key="bell", label="People", url="/people/", icon="bell", places=["header"], badge=others
    )
    UserFactory.create_batch(people)
    ProductFactory()
    client.force_login(UserFactory())
    client.get("/products/")

    with django_assert_num_queries(2):  # the session with its user, the badge
        response = client.get("/products/")

    assert header(response).one("a", href="/people/").one("span", cls="count-badge").text == str(
        people
    )


@pytest.mark.parametrize("people", [2, 30])
def test_badges_that_count_rows_are_read_together_in_one_query(
    client, django_assert_num_queries, register, people
):
    User = get_user_model()
    others = PersonCount(
        name="test.nav-others", model=User, build=lambda pk: User.objects.exclude(pk=pk)
    )
    staff = PersonCount(
        name="test.nav-staff",
        model=User,
        build=lambda pk: User.objects.filter(is_staff=True).exclude(pk=pk),
    )
    register(
        key="bell", label="People", url="/people/", icon="bell", places=["header"], badge=others
    )
    register(key="staff", label="Staff", url="/staff/", icon="friends", badge=staff)
    UserFactory.create_batch(people, is_staff=True)
    ProductFactory()
    client.force_login(UserFactory())
    client.get("/products/")

    with django_assert_num_queries(1):  # the session with its user and both badges
        response = client.get("/products/")

    bar = header(response)
    assert bar.one("a", href="/people/").one("span", cls="count-badge").text == str(people)
    assert bar.all("a", href="/staff/")[0].one("span", cls="count-badge").text == str(people)
