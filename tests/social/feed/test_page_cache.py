"""The cached /feed/ page (social.feed.page_cache): served from the cache in constant queries,
and never stale after what changes what it shows (each test caches the page first)."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from shop.accounts.services import profile_update
from shop.catalog.services import product_delete
from social.feed import page_cache, selectors
from social.feed.models import Activity, FeedItem, FeedState
from social.graph import services as graph
from social.likes.services import like_create, like_delete
from tests.factories import ProductFactory, friends_make, privacy_set
from tests.social.feed.conftest import person
from tests.social.feed.test_views import _fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client):
    me = person("me")
    client.force_login(me)  # a first log-in asks for a rebuild: say it is done
    FeedState.objects.filter(user=me).update(rebuilt_at=timezone.now())
    return me


@pytest.fixture
def builds(monkeypatch):
    """The viewers whose feed page was built (not served from the cache), one per build."""
    built = []
    real = page_cache._page_build

    def counting(viewer, *, versions):
        built.append(viewer.pk)
        return real(viewer, versions=versions)

    monkeypatch.setattr(page_cache, "_page_build", counting)
    return built


def _item(owner, actor, *, key: str, title: str, verb="like", product=None, **fields):
    activity = Activity.objects.create(
        verb=verb,
        actor=actor,
        product=product,
        snapshot=fields.pop("snapshot", None)
        or {"title": title, "price": 900, "url": f"/products/{key}/", "merchant": "Outdoor Co"},
        visibility=fields.pop("visibility", "friends"),
        dedupe_key=key,
        created_at=fields.pop("created_at", timezone.now()),
        **fields,
    )
    FeedItem.objects.create(owner=owner, activity=activity, created_at=activity.created_at)
    return activity


def _newest_of_another_friend(owner) -> None:
    """An item newer than the others, which stays: the feed's newest item does not move (so
    only the invalidation under test can make the cached page go)."""
    zed = person("zed")
    friends_make(owner, zed)
    _item(
        owner,
        zed,
        key="zed",
        title="Zed Hat",
        created_at=timezone.now() + timezone.timedelta(hours=1),
    )


def _text(client) -> str:
    return " ".join(client.get("/feed/").content.decode().split())


def _cached(client, builds, *expected: str) -> None:
    """Show the feed twice: built once, then served from the cache, showing EXPECTED."""
    before = len(builds)
    first, second = _text(client), _text(client)
    assert len(builds) == before + 1
    for text in expected:
        assert text in first and text in second


@pytest.mark.parametrize("n", [20, 200])
def test_a_cached_feed_page_takes_the_same_queries_for_20_or_200_items(
    client, me, django_assert_num_queries, monkeypatch, n
):
    _fill(me, n)
    monkeypatch.setattr(selectors, "PAGE_SIZE", n)  # every item on one page
    client.get("/feed/")

    # the session with its user and the header's badges (one query); the feed's version
    with django_assert_num_queries(2):
        response = client.get("/feed/")

    assert response.content.decode().count("feed-entry__line") == len(
        selectors.feed_page(viewer=me, size=n).entries
    )


@pytest.mark.parametrize("n", [20, 200])
def test_building_the_feed_page_takes_the_same_queries_for_20_or_200_items(
    client, me, django_assert_num_queries, monkeypatch, n
):
    _fill(me, n)
    monkeypatch.setattr(selectors, "PAGE_SIZE", n)
    client.get("/friends/")  # the header's cached parts

    # the session with its user and the header's badges (one query); the feed's version; feed
    # state; the items with activities and actors; pulled ones; the like buttons and the cards'
    # titles for "Add to wishlist" (gifting.wishlists.decorations; both then cached)
    with django_assert_num_queries(7):
        assert client.get("/feed/").status_code == 200


def test_a_page_read_again_is_taken_from_the_process_memory_not_unpickled_again(
    client, me, builds, shared_cache_reads
):
    _newest_of_another_friend(me)
    client.get("/feed/")  # built, cached, and kept in this process's memory
    pages_read = shared_cache_reads(lambda key: key.startswith("feed:page:"))

    assert "Zed Hat" in _text(client)
    assert (pages_read, len(builds)) == ([], 1)
    page_cache._pages.clear()  # another process: it reads the shared cache once
    assert "Zed Hat" in _text(client) and "Zed Hat" in _text(client)
    assert (len(pages_read), len(builds)) == (1, 1)


def test_a_new_item_after_caching_shows(client, me, builds, record):
    ana = person("ana")
    friends_make(me, ana)
    _item(me, ana, key="old", title="Old Boots")
    _cached(client, builds, "Old Boots")

    record(ana, key="new-tent", snapshot={"title": "New Tent", "url": "/p/", "price": 5})

    assert "New Tent" in _text(client)


def test_blocking_after_caching_hides_their_items(
    client, me, builds, django_capture_on_commit_callbacks
):
    ana, ben = person("ana"), person("ben")
    friends_make(me, ana, ben)
    _item(me, ana, key="a1", title="Ana Boots")
    _item(me, ben, key="b1", title="Ben Tent")
    _cached(client, builds, "Ana Boots", "Ben Tent")

    with django_capture_on_commit_callbacks(execute=True):
        graph.person_block(blocker=me, person=ana)
    text = _text(client)

    assert "Ana Boots" not in text and "Ben Tent" in text


def test_being_blocked_after_caching_hides_their_items(
    client, me, builds, django_capture_on_commit_callbacks
):
    ana = person("ana")
    friends_make(me, ana)
    _item(me, ana, key="a1", title="Ana Boots")
    _newest_of_another_friend(me)
    _cached(client, builds, "Ana Boots")

    with django_capture_on_commit_callbacks(execute=True):
        graph.person_block(blocker=ana, person=me)

    assert "Ana Boots" not in _text(client)


def test_blocking_after_caching_hides_a_friends_friendship_naming_them(
    client, me, builds, django_capture_on_commit_callbacks
):
    ben, cy = person("ben"), person("cy")
    friends_make(me, ben)
    friends_make(ben, cy)
    snapshot = {"title": "Cy", "url": "/people/cy/", "price": None, "friend_id": cy.pk}
    _item(me, ben, key="f1", title="", verb="friendship", snapshot=snapshot)
    _cached(client, builds, "became friends with")

    with django_capture_on_commit_callbacks(execute=True):
        graph.person_block(blocker=me, person=cy)

    assert "became friends with" not in _text(client)


def test_unfriending_after_caching_hides_their_items(
    client, me, builds, django_capture_on_commit_callbacks
):
    ana = person("ana")
    friends_make(me, ana)
    _item(me, ana, key="a1", title="Ana Boots")
    _newest_of_another_friend(me)
    _cached(client, builds, "Ana Boots")

    with django_capture_on_commit_callbacks(execute=True):
        graph.friendship_delete(user=ana, friend=me)

    assert "Ana Boots" not in _text(client)


def test_a_privacy_change_after_caching_hides_what_is_no_longer_shared(
    client, me, builds, django_capture_on_commit_callbacks
):
    ana = person("ana")
    privacy_set(ana, profile="public", likes="public")
    with django_capture_on_commit_callbacks(execute=True):
        graph.person_follow(follower=me, person=ana)  # a follower, not a friend
    _item(me, ana, key="a1", title="Ana Boots", visibility="public")
    _newest_of_another_friend(me)
    _cached(client, builds, "Ana Boots")

    with django_capture_on_commit_callbacks(execute=True):
        graph.privacy_settings_update(user=ana, likes="friends")

    assert "Ana Boots" not in _text(client)


def test_an_unlike_after_caching_removes_the_like(
    client, me, builds, django_capture_on_commit_callbacks
):
    ana = person("ana")
    friends_make(me, ana)
    lamp = ProductFactory(title="Desk Lamp", with_variants=1)
    with django_capture_on_commit_callbacks(execute=True):
        like_create(user=ana, product=lamp)
    _newest_of_another_friend(me)
    _cached(client, builds, "liked Desk Lamp")

    with django_capture_on_commit_callbacks(execute=True):
        like_delete(user=ana, product=lamp)

    assert "liked Desk Lamp" not in _text(client)


def test_liking_after_caching_shows_the_viewers_like_on_the_card(
    client, me, builds, django_capture_on_commit_callbacks
):
    ana = person("ana")
    friends_make(me, ana)
    lamp = ProductFactory(title="Desk Lamp", with_variants=1)
    with django_capture_on_commit_callbacks(execute=True):
        like_create(user=ana, product=lamp)
    _cached(client, builds, 'aria-pressed="false"')

    with django_capture_on_commit_callbacks(execute=True):
        like_create(user=me, product=lamp)
    text = _text(client)

    assert 'aria-pressed="true"' in text and 'aria-pressed="false"' not in text


def test_a_new_follows_older_activities_copied_after_caching_show(
    client, me, builds, django_capture_on_commit_callbacks
):
    ana, dan = person("ana"), person("dan")
    privacy_set(dan, profile="public")
    friends_make(me, ana)
    _item(me, ana, key="a1", title="Ana Boots")
    Activity.objects.create(
        verb="like",
        actor=dan,
        snapshot={"title": "Dan Kayak", "url": "/p/", "price": 5},
        visibility="public",
        dedupe_key="d1",
        created_at=timezone.now() - timezone.timedelta(hours=1),
    )
    _cached(client, builds, "Ana Boots")

    with django_capture_on_commit_callbacks(execute=True):
        graph.person_follow(follower=me, person=dan)  # copies dan's recent public ones

    assert "Dan Kayak" in _text(client)


def test_an_actors_new_name_after_caching_shows(
    client, me, builds, django_capture_on_commit_callbacks
):
    ana = person("ana")
    friends_make(me, ana)
    _item(me, ana, key="a1", title="Ana Boots")
    _cached(client, builds, "<strong>Ana</strong>")

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=ana, display_name="Anastasia", bio="", avatar=None, remove_avatar=False)

    assert "<strong>Anastasia</strong>" in _text(client)


def test_a_product_deleted_after_caching_is_no_longer_available(
    client, me, builds, django_capture_on_commit_callbacks
):
    ana = person("ana")
    friends_make(me, ana)
    lamp = ProductFactory(title="Desk Lamp", with_variants=1)
    _item(me, ana, key="a1", title="Desk Lamp", product=lamp)
    _cached(client, builds, "Desk Lamp")

    with django_capture_on_commit_callbacks(execute=True):
        product_delete(product=lamp)

    assert "No longer available" in _text(client)


def test_a_feed_being_rebuilt_is_never_cached(client, me, builds):
    ana = person("ana")
    friends_make(me, ana)
    _item(me, ana, key="a1", title="Ana Boots")
    FeedState.objects.filter(user=me).update(rebuild_requested_at=timezone.now(), rebuilt_at=None)

    client.get("/feed/")
    client.get("/feed/")

    assert len(builds) == 2


def test_each_request_gets_its_own_csrf_token_and_time(me, builds):
    ana = person("ana")
    friends_make(me, ana)
    lamp = ProductFactory(title="Desk Lamp", with_variants=1)
    variant = lamp.variants.first().pk
    _item(
        me,
        ana,
        key="a1",
        title="Desk Lamp",
        product=lamp,
        snapshot={"title": "Desk Lamp", "url": "/p/", "price": 5, "variant_id": variant},
        created_at=timezone.now() - timezone.timedelta(minutes=5),
    )
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(me)
    second.force_login(me)
    first.get("/feed/")

    page = second.get("/feed/").content.decode()

    assert len(builds) == 1
    assert "5\xa0minutes ago" in page
    since = re.search(r'data-since="([^"]+)"', page).group(1)
    assert since.startswith(str(timezone.now().year))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    added = second.post("/cart/add/", {"variant": variant, "csrfmiddlewaretoken": token})
    assert added.status_code != 403
