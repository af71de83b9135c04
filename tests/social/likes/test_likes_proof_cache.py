"""The likes' decoration is cached per viewer; whatever it shows that changes shows at once:
a friend's like or unlike, a friend's paid or refunded order, a friendship made or ended, a
block, a friend's privacy settings."""

import pytest

from social.graph import services as graph
from social.likes import services
from tests.factories import ProductFactory, UserFactory, friends_make, privacy_set
from tests.html import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    me = UserFactory(username="me", display_name="Me")
    ana = UserFactory(username="ana", display_name="Ana")
    friends_make(me, ana)
    jacket = ProductFactory(title="Trail Jacket", slug="trail-jacket", with_variants=1)
    client.force_login(me)
    return me, ana, jacket


def _proof(client) -> list[str]:
    page = html(client.get("/products/"))
    return [line.all("span")[-1].text for line in page.all("li", cls="social-proof__line")]


def _button(client) -> str:
    return html(client.get("/products/trail-jacket/")).one("button", cls="like-button").text


def test_a_friends_like_and_unlike_show_at_once(client, world, django_capture_on_commit_callbacks):
    me, ana, jacket = world
    assert _proof(client) == []

    with django_capture_on_commit_callbacks(execute=True):
        services.like_create(user=ana, product=jacket)
    assert _proof(client) == ["Liked by Ana"]

    with django_capture_on_commit_callbacks(execute=True):
        services.like_delete(user=ana, product=jacket)
    assert _proof(client) == []


def test_my_own_like_shows_pressed_at_once(client, world, django_capture_on_commit_callbacks):
    me, ana, jacket = world
    assert "Like" in _button(client) and "Liked" not in _button(client)

    with django_capture_on_commit_callbacks(execute=True):
        services.like_create(user=me, product=jacket)

    assert "Liked" in _button(client)


def test_a_friends_paid_order_shows_at_once(
    client, world, paid_order, django_capture_on_commit_callbacks
):
    from tests.factories import VariantFactory, cart_make

    me, ana, jacket = world
    privacy_set(ana, purchases="friends")
    assert _proof(client) == []
    variant = VariantFactory(product=jacket)

    with django_capture_on_commit_callbacks(execute=True):
        paid_order(cart_make((variant, 1)), customer=ana)

    assert _proof(client) == ["Bought by 1 friend"]


def test_a_friends_privacy_change_shows_at_once(client, world, django_capture_on_commit_callbacks):
    me, ana, jacket = world
    with django_capture_on_commit_callbacks(execute=True):
        services.like_create(user=ana, product=jacket)
    assert _proof(client) == ["Liked by Ana"]

    with django_capture_on_commit_callbacks(execute=True):
        graph.privacy_settings_update(user=ana, likes="private")

    assert _proof(client) == []


def test_an_ended_friendship_shows_at_once(client, world, django_capture_on_commit_callbacks):
    me, ana, jacket = world
    with django_capture_on_commit_callbacks(execute=True):
        services.like_create(user=ana, product=jacket)
    assert _proof(client) == ["Liked by Ana"]

    with django_capture_on_commit_callbacks(execute=True):
        graph.friendship_delete(user=ana, friend=me)

    assert _proof(client) == []


def test_a_block_shows_at_once(client, world, django_capture_on_commit_callbacks):
    me, ana, jacket = world
    with django_capture_on_commit_callbacks(execute=True):
        services.like_create(user=ana, product=jacket)
    assert _proof(client) == ["Liked by Ana"]

    with django_capture_on_commit_callbacks(execute=True):
        graph.person_block(blocker=ana, person=me)

    assert _proof(client) == []


def test_a_new_friendship_shows_at_once(client, world, django_capture_on_commit_callbacks):
    me, ana, jacket = world
    ben = UserFactory(username="ben", display_name="Ben")
    with django_capture_on_commit_callbacks(execute=True):
        services.like_create(user=ben, product=jacket)
    assert _proof(client) == []

    with django_capture_on_commit_callbacks(execute=True):
        request = graph.friend_request_send(sender=ben, to=me)
        graph.friend_request_accept(friend_request=request, user=me)

    assert _proof(client) == ["Liked by Ben"]


def test_a_friend_who_deletes_their_account_is_gone_at_once(
    client, world, paid_order, django_capture_on_commit_callbacks
):
    from shop.accounts.data_services import account_delete
    from tests.factories import DEFAULT_PASSWORD, VariantFactory, cart_make

    me, ana, jacket = world
    privacy_set(ana, purchases="friends")
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(cart_make((VariantFactory(product=jacket), 1)), customer=ana)
    assert _proof(client) == ["Bought by 1 friend"]

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=ana, password=DEFAULT_PASSWORD)

    assert _proof(client) == []
