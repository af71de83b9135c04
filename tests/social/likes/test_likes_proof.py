"""Social proof on cards and product pages: "Liked by Ana, Ben and 4 other friends" and
"Bought by 2 friends", counting only the friends the viewer may see, in one query for every
product of a page."""

import pytest

from social.likes import proof_cache, services
from social.likes.proof import product_social
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    UserFactory,
    friends_make,
    privacy_set,
    purchases_make,
)
from tests.html import html

pytestmark = pytest.mark.django_db


def _friend(viewer, name, **privacy):
    person = UserFactory(username=name.lower(), display_name=name, verified=False)
    friends_make(viewer, person)
    if privacy:
        privacy_set(person, **privacy)
    return person


def _like(person, product):
    services.like_create(user=person, product=product)


def _proof_text(response) -> list[str]:
    """The proof's lines as read (the avatars' initials are hidden from screen readers)."""
    return [
        line.all("span")[-1].text for line in html(response).all("li", cls="social-proof__line")
    ]


def test_a_card_names_two_friends_and_counts_the_others(client):
    me, jacket = UserFactory(), ProductFactory(title="Trail Jacket", with_variants=1)
    for name in ["Cy", "Di", "Ed", "Fay", "Ben", "Ana"]:  # Ana likes it last
        _like(_friend(me, name), jacket)
    client.force_login(me)

    response = client.get("/products/")

    assert _proof_text(response) == ["Liked by Ana, Ben and 4 other friends"]


@pytest.mark.parametrize(
    "names, line",
    [
        (["Ana"], "Liked by Ana"),
        (["Ben", "Ana"], "Liked by Ana and Ben"),
        (["Cy", "Ben", "Ana"], "Liked by Ana, Ben and Cy"),
        (["Di", "Cy", "Ben", "Ana"], "Liked by Ana, Ben and 2 other friends"),
    ],
)
def test_the_line_reads_well_for_few_friends(client, names, line):
    me, jacket = UserFactory(), ProductFactory(with_variants=1)
    for name in names:
        _like(_friend(me, name), jacket)
    client.force_login(me)

    assert _proof_text(client.get(f"/products/{jacket.slug}/")) == [line]


def test_friends_who_bought_it_and_share_purchases_are_counted(client):
    me, jacket = UserFactory(), ProductFactory(with_variants=1)
    for name in ["Ana", "Ben"]:
        buyer = _friend(me, name, purchases="friends")
        purchases_make(buyer, [jacket])
        purchases_make(buyer, [jacket])  # twice: one friend
    purchases_make(_friend(me, "Cy"), [jacket])  # purchases private (the default)
    client.force_login(me)

    assert _proof_text(client.get(f"/products/{jacket.slug}/")) == ["Bought by 2 friends"]


def test_people_the_viewer_may_not_see_are_never_counted(client):
    me, jacket = UserFactory(), ProductFactory(with_variants=1)
    _like(_friend(me, "Ana"), jacket)
    _like(_friend(me, "Hidden", likes="private"), jacket)
    blocked = _friend(me, "Blocked", likes="public")
    _like(blocked, jacket)
    from social.graph.services import person_block

    person_block(blocker=blocked, person=me)
    stranger = UserFactory(username="stranger", display_name="Stranger")
    privacy_set(stranger, likes="public")
    _like(stranger, jacket)  # not a friend: not "other friends"
    client.force_login(me)

    assert _proof_text(client.get(f"/products/{jacket.slug}/")) == ["Liked by Ana"]


def test_nothing_shows_without_friends(client):
    me, jacket = UserFactory(), ProductFactory(with_variants=1)
    _like(UserFactory(), jacket)
    client.force_login(me)

    response = client.get(f"/products/{jacket.slug}/")

    assert _proof_text(response) == []
    assert html(response).one("button", cls="like-button").text.startswith("♡ Like")


def test_product_social_gives_the_count_and_my_like():
    me, jacket = UserFactory(), ProductFactory(with_variants=1)
    _like(me, jacket)
    _like(UserFactory(), jacket)

    found = product_social(viewer=me, product_ids=[jacket.pk])

    assert found[jacket.pk].state.count == 2
    assert found[jacket.pk].state.liked is True
    assert not found[jacket.pk].proof  # my own like is not a friend's


def _many(n: int):
    """N products, the viewer with 5 friends who each liked and bought them all."""
    merchant, category = MerchantFactory(), CategoryFactory()
    products = ProductFactory.create_batch(
        n, merchant=merchant, category=category, with_variants=1, with_images=1
    )
    me = UserFactory()
    from social.likes.models import Like

    for index in range(5):
        friend = _friend(me, f"Friend{index}", purchases="friends")
        Like.objects.bulk_create([Like(user=friend, product=product) for product in products])
        purchases_make(friend, products)
    return me


@pytest.mark.parametrize("n", [10, 100])
def test_the_product_list_costs_the_same_queries_whatever_the_number(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, n
):
    me = _many(n)
    client.force_login(me)
    client.get("/products/")
    with django_capture_on_commit_callbacks(execute=True):
        proof_cache.viewers_changed(user_ids=[me.pk])  # as a new friend would

    # the session with its user and the header's badges (one query), and the likes'
    # decoration (count, my like, friends' likes and purchases: one query for every card)
    with django_assert_num_queries(2):
        response = client.get("/products/")
    # Then from the cache (the session's read alone), until something it shows changes.
    with django_assert_num_queries(1):
        again = client.get("/products/")

    lines = _proof_text(response)
    assert len(lines) == 2 * min(n, 24)
    assert "Liked by Friend4, Friend3 and 3 other friends" in lines
    assert "Bought by 5 friends" in lines
    assert _proof_text(again) == lines


@pytest.mark.parametrize("n", [10, 100])
def test_product_social_is_one_query_whatever_the_number(django_assert_num_queries, n):
    me = _many(n)
    from shop.catalog.models import Product

    ids = list(Product.objects.values_list("pk", flat=True))

    with django_assert_num_queries(1):
        found = product_social(viewer=me, product_ids=ids)

    assert len(found) == n
    assert all(
        item.proof.liked.total == 5 and item.proof.bought.total == 5 for item in found.values()
    )
