"""The signed-in home page, built for each person from their picks, and the ordinary one for
visitors and for people who turned personalisation off."""

import pytest
from django.core.cache import cache

from social.graph import services as graph_services
from social.likes import services as like_services
from social.recommendations import products_services
from tests.factories import ProductFactory, UserFactory, friends_make, friends_many
from tests.html import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    return UserFactory(username="me", display_name="Me")


@pytest.fixture
def ana(me):
    person = UserFactory(username="ana", display_name="Ana")
    friends_make(me, person)
    return person


def _headings(response) -> list[str]:
    return [h2.text for h2 in html(response).all("h2")]


def test_my_home_shows_what_my_friends_like_and_says_why(client, me, ana):
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))
    products_services.picks_compute(user_id=me.pk)
    client.force_login(me)

    response = client.get("/")

    page = html(response)
    assert "From your friends" in _headings(response)
    assert "Because Ana liked it" in [note.text for note in page.all("p", cls="pick__note")]
    assert page.one("summary").text == "Why am I seeing this?"
    assert "Clay Mug" in response.content.decode()


def test_a_visitor_gets_the_ordinary_home(client, me, ana):
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))
    products_services.picks_compute(user_id=me.pk)

    response = client.get("/")

    assert "From your friends" not in _headings(response)
    assert html(response).one("h1").text.startswith("Welcome to")


def test_turning_personalisation_off_gives_the_ordinary_home(
    client, me, ana, django_capture_on_commit_callbacks
):
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))
    products_services.picks_compute(user_id=me.pk)
    client.force_login(me)
    assert "From your friends" in _headings(client.get("/"))

    with django_capture_on_commit_callbacks(execute=True):
        graph_services.privacy_settings_update(user=me, personalised=False)

    response = client.get("/")
    assert "From your friends" not in _headings(response)
    assert html(response).one("h1").text.startswith("Welcome to")


def test_a_friend_who_blocks_me_disappears_from_my_cached_home(
    client, me, ana, django_capture_on_commit_callbacks
):
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))
    products_services.picks_compute(user_id=me.pk)
    client.force_login(me)
    assert "Because Ana liked it" in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        graph_services.person_block(blocker=ana, person=me)

    assert "Ana" not in client.get("/").content.decode()


def test_a_newcomer_gets_the_ordinary_home_then_their_own_once_computed(client, me):
    ProductFactory(title="Best Seller", units_sold=40)
    client.force_login(me)

    first = client.get("/")  # asks for the picks (run at once here: Celery is eager)
    cache.delete(products_services.home_version_key(me.pk))
    second = client.get("/")

    assert html(first).one("h1").text.startswith("Welcome to")
    assert "Popular right now" in _headings(second)


@pytest.mark.parametrize("friends", [10, 100])
def test_home_queries_do_not_grow_with_friends(client, me, friends, django_assert_num_queries):
    people = friends_many(me, friends)
    for index, person in enumerate(people):
        like_services.like_create(user=person, product=ProductFactory(title=f"Liked {index}"))
    products_services.picks_compute(user_id=me.pk)
    client.force_login(me)
    cache.clear()

    # Every cache empty: the session with its user, home version, picks, products, images,
    # category tree, the header's two badges (read with the session), likes'
    # decorations of the cards, the cards' titles for "Add to wishlist"
    # (gifting.wishlists.decorations)
    with django_assert_num_queries(8):
        response = client.get("/")

    assert "From your friends" in _headings(response)


@pytest.mark.parametrize("friends", [10, 100])
def test_my_cached_home_costs_no_query_of_its_own(client, me, friends, django_assert_num_queries):
    people = friends_many(me, friends)
    for index, person in enumerate(people):
        like_services.like_create(user=person, product=ProductFactory(title=f"Liked {index}"))
    products_services.picks_compute(user_id=me.pk)
    client.force_login(me)
    client.get("/")

    # the session with its user and the header's two badges (one query): the page, its version
    # and the cards' decorations come from the cache
    with django_assert_num_queries(1):
        response = client.get("/")

    assert "From your friends" in _headings(response)
