"""/feed/, /feed/new-count/ and the API: what a signed-in person sees, in constant queries."""

import re

import pytest
from django.utils import timezone

from social.feed import selectors
from social.feed.models import Activity, FeedItem, FeedState
from tests.factories import MerchantFactory, ProductFactory, friends_make
from tests.social.feed.conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client):
    me = person("me")
    client.force_login(me)  # a first log-in asks for a rebuild: say it is done
    FeedState.objects.filter(user=me).update(rebuilt_at=timezone.now())
    return me


def _fill(owner, n: int, *, friends: int = 5) -> list[Activity]:
    """N activities of OWNER's friends (likes, purchases, new friendships) in OWNER's feed."""
    people = [person(f"friend{i}") for i in range(friends)]
    friends_make(owner, *people)
    merchant = MerchantFactory(name="Outdoor Co")
    products = ProductFactory.create_batch(3, merchant=merchant)
    now = timezone.now()
    verbs = ["like", "purchase", "friendship", "share"]
    activities = Activity.objects.bulk_create(
        [
            Activity(
                verb=verbs[i % 4],
                actor=people[i % friends],
                product=products[i % 3] if verbs[i % 4] != "friendship" else None,
                snapshot={
                    "title": f"Thing {i}",
                    "image_url": "/media/x.png",
                    "price": 1000 + i,
                    "currency": "EUR",
                    "url": f"/products/thing-{i}/",
                    "merchant": "Outdoor Co",
                },
                visibility="friends",
                dedupe_key=f"fill-{i}",
                created_at=now - timezone.timedelta(minutes=i),
            )
            for i in range(n)
        ]
    )
    FeedItem.objects.bulk_create(
        [FeedItem(owner=owner, activity=a, created_at=a.created_at) for a in activities]
    )
    return activities


def test_the_feed_groups_one_friends_purchases_and_several_friends_likes(client, me):
    ana, ben, cy = person("ana"), person("ben"), person("cy")
    friends_make(me, ana, ben, cy)
    jacket = ProductFactory(title="Trail Jacket")
    now = timezone.now()

    def add(actor, verb, key, product=None, title="Trail Jacket", minutes=0):
        activity = Activity.objects.create(
            verb=verb,
            actor=actor,
            product=product,
            snapshot={"title": title, "price": 100, "url": "/p/", "merchant": "Outdoor Co"},
            visibility="friends",
            dedupe_key=key,
            created_at=now - timezone.timedelta(minutes=minutes),
        )
        FeedItem.objects.create(owner=me, activity=activity, created_at=activity.created_at)

    add(ana, "like", "l1", jacket, minutes=1)
    add(ben, "like", "l2", jacket, minutes=2)
    add(cy, "like", "l3", jacket, minutes=3)
    for i in range(3):
        add(ben, "purchase", f"p{i}", ProductFactory(), title=f"Tent {i}", minutes=10 + i)

    text = " ".join(client.get("/feed/").content.decode().split())

    assert "Ana</strong></a> and 2 friends liked Trail Jacket" in text
    assert "Ben</strong></a> bought 3 things from Outdoor Co" in text


def test_a_share_says_it_was_shared_with_the_viewer(client, me):
    ana = person("ana")
    friends_make(me, ana)
    for owner, key in ((me, "s-theirs"), (ana, "s-mine")):
        activity = Activity.objects.create(
            verb="share",
            actor=ana if owner == me else me,
            product=ProductFactory(),
            snapshot={"title": "Trail Jacket", "price": 100, "url": "/p/"},
            visibility="friends",
            dedupe_key=key,
        )
        FeedItem.objects.create(owner=me, activity=activity, created_at=activity.created_at)

    text = " ".join(client.get("/feed/").content.decode().split())

    assert "Ana</strong></a> shared Trail Jacket with you" in text
    assert "Me</strong></a> shared Trail Jacket <time" in text  # one's own: not "with you"


def test_a_product_gone_since_is_shown_as_no_longer_available(client, me):
    ana = person("ana")
    friends_make(me, ana)
    activity = Activity.objects.create(
        verb="purchase",
        actor=ana,
        product=None,
        snapshot={"title": "Old Lamp", "price": 5},
        visibility="friends",
        dedupe_key="gone",
    )
    FeedItem.objects.create(owner=me, activity=activity, created_at=activity.created_at)

    text = client.get("/feed/").content.decode()

    assert "Old Lamp" in text and "No longer available" in text


def test_an_empty_feed_suggests_finding_friends(client, me):
    text = client.get("/feed/").content.decode()

    assert "Your feed is empty" in text
    assert "Search for people you know and add them as friends" in " ".join(text.split())
    assert 'href="/friends/"' in text and 'href="/people/"' in text


def test_show_more_pages_through_the_feed_without_repeating(client, me, monkeypatch):
    activities = _fill(me, 7)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    seen, cursor = [], None
    for _ in range(5):
        page = client.get("/feed/", {"cursor": cursor} if cursor else {}).context["page"]
        seen += [a.pk for e in page.entries for a in e.activities]
        cursor = page.next_cursor
        if cursor is None:
            break

    assert seen == [a.pk for a in activities]


def test_show_more_with_htmx_returns_only_the_next_entries(client, me, monkeypatch):
    _fill(me, 5)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    cursor = client.get("/feed/").context["page"].next_cursor

    response = client.get("/feed/", {"cursor": cursor}, headers={"HX-Request": "true"})

    assert "<h1>" not in response.content.decode()
    assert 'class="feed-entry card"' in response.content.decode()


def test_the_new_count_counts_items_written_since_the_page_was_made(client, me):
    before = timezone.now() - timezone.timedelta(hours=1)
    _fill(me, 3)

    response = client.get("/feed/new-count/", {"since": before.isoformat()})

    assert response.json() == {"count": 3}
    assert client.get("/feed/new-count/", {"since": "nonsense"}).json() == {"count": 0}


def test_the_feed_asks_visitors_to_log_in(client):
    response = client.get("/feed/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("n", [20, 200])
def test_a_feed_being_rebuilt_is_pulled_directly_in_the_same_queries(
    client, me, django_assert_num_queries, monkeypatch, n
):
    _fill(me, n)
    FeedItem.objects.filter(owner=me).delete()
    FeedState.objects.filter(user=me).update(rebuilt_at=None)
    monkeypatch.setattr(selectors, "PAGE_SIZE", n)
    client.get("/feed/")

    # the session with its user and the header's badges (one query); the feed's version (it says
    # the feed is being rebuilt: never cached); feed state; the pulled activities
    with django_assert_num_queries(4):
        response = client.get("/feed/")

    assert sum(len(e.activities) for e in response.context["page"].entries) == n
    assert "catching up" in response.content.decode()


@pytest.mark.parametrize("n", [20, 200])
def test_the_feed_api_pages_by_cursor_in_constant_queries(
    api, me, django_assert_num_queries, monkeypatch, n
):
    _fill(me, n)
    monkeypatch.setattr(selectors, "PAGE_SIZE", n)
    api.force_authenticate(me)

    # feed state; items; pulled
    with django_assert_num_queries(3):
        body = api.get("/api/v1/feed").json()

    assert sum(len(entry["actors"]) >= 1 for entry in body["results"]) == len(body["results"])
    assert body["results"][0]["objects"][0]["title"] == "Thing 0"


def test_the_feed_api_says_how_many_are_new(api, me):
    since = timezone.now() - timezone.timedelta(hours=1)
    _fill(me, 2)
    api.force_authenticate(me)

    assert api.get("/api/v1/feed/new-count", {"since": since.isoformat()}).json() == {"count": 2}


def _one(me, *, product=None, variant_id=None, title="Trail Jacket"):
    ana = person(f"ana-{title.lower().replace(' ', '-')}")
    friends_make(me, ana)
    activity = Activity.objects.create(
        verb="like",
        actor=ana,
        product=product,
        snapshot={"title": title, "price": 100, "url": "/products/x/", "variant_id": variant_id},
        visibility="friends",
        dedupe_key=f"one-{title}",
    )
    FeedItem.objects.create(owner=me, activity=activity, created_at=activity.created_at)
    return activity


def test_a_card_adds_its_variant_to_the_cart_without_reloading(client, me):
    product = ProductFactory()
    variant = product.variants.get()
    _one(me, product=product, variant_id=variant.pk)

    text = " ".join(client.get("/feed/").content.decode().split())

    assert 'action="/cart/add/"' in text and f'name="variant" value="{variant.pk}"' in text
    assert 'hx-post="/cart/add/"' in text
    response = client.post("/cart/add/", {"variant": variant.pk}, HTTP_HX_REQUEST="true")
    assert "Added" in response.content.decode()


def test_a_card_without_one_variant_links_to_the_product_and_a_gone_one_offers_nothing(client, me):
    _one(me, product=ProductFactory(with_variants=2), title="Tent")
    _one(me, product=None, title="Old Lamp")

    text = " ".join(client.get("/feed/").content.decode().split())

    # The product's own link is the only link whose name holds "Tent" (a person, or a test,
    # clicking the link named Tent finds one); "Choose options" is described by that title.
    tent = re.search(r'id="(feed-title-[\w-]+)" href="/products/x/">Tent<', text).group(1)
    assert f'aria-describedby="{tent}">Choose options</a>' in text
    assert "Choose options: Tent" not in text
    assert "No longer available" in text and text.count(">Choose options</a>") == 1
    assert text.count("Add to cart") == 0


def test_cards_carry_the_product_decorations_of_other_apps_in_one_call(client, me):
    from shop.catalog.page_cache import product_decorator_register, product_decorator_unregister

    product = ProductFactory()
    _one(me, product=product, variant_id=product.variants.get().pk)
    calls = []

    def liked(*, viewer, product_ids, place):
        calls.append((viewer.pk, sorted(product_ids), place))
        return {pk: f'<button class="like-test">Like {pk}</button>' for pk in product_ids}

    product_decorator_register(liked)
    try:
        text = client.get("/feed/").content.decode()
    finally:
        product_decorator_unregister(liked)

    assert f'<button class="like-test">Like {product.pk}</button>' in text
    assert calls == [(me.pk, [product.pk], "card")]
