"""/api/v1/recommendations and /api/v1/products/<slug>/bought-together."""

import pytest

from social.likes import services as like_services
from social.recommendations import products_services
from tests.factories import ProductFactory, UserFactory, friends_make, friends_many, purchases_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(api):
    person = UserFactory(username="me", display_name="Me")
    api.force_authenticate(person)
    return person


def test_my_recommendations_carry_their_reasons(api, me):
    ana = UserFactory(username="ana", display_name="Ana")
    friends_make(me, ana)
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug", slug="clay-mug"))
    products_services.picks_compute(user_id=me.pk)

    response = api.get("/api/v1/recommendations")

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["product"]["slug"] == "clay-mug"
    assert first["reason"]["kind"] == "friend_liked"
    assert first["reason"]["text"] == "Because Ana liked it"
    assert first["reason"]["person"] == {"username": "ana", "name": "Ana"}


@pytest.mark.parametrize("limit", ["0", "abc", "49", "-1"])
def test_a_bad_limit_is_a_400_naming_the_field(api, me, limit):
    response = api.get("/api/v1/recommendations", {"limit": limit})

    assert response.status_code == 400
    assert response.json()["errors"]["limit"][0]["code"] == "invalid_limit"


def test_recommendations_need_a_signed_in_person(api):
    assert api.get("/api/v1/recommendations").status_code in (401, 403)


@pytest.mark.parametrize("friends", [10, 100])
def test_recommendations_queries_do_not_grow_with_friends(
    api, me, friends, django_assert_num_queries
):
    for person in friends_many(me, friends):
        like_services.like_create(user=person, product=ProductFactory())
    products_services.picks_compute(user_id=me.pk)

    with django_assert_num_queries(1):  # the picks, their reasons re-checked
        response = api.get("/api/v1/recommendations", {"limit": "48"})

    kinds = [item["reason"]["kind"] for item in response.json()["results"]]
    assert kinds.count("friend_liked") == min(friends, 48)


def test_bought_together_lists_the_products_most_often_bought_with_one(api):
    tent = ProductFactory(slug="tent")
    lamp = ProductFactory(slug="lamp")
    for _ in range(2):
        order = purchases_make(UserFactory(), [tent, lamp])
        products_services.copurchase_order_count(order_id=order.pk)

    response = api.get("/api/v1/products/tent/bought-together")

    assert response.status_code == 200
    body = response.json()
    assert body["product"] == "tent"
    assert [(item["slug"], item["orders"]) for item in body["results"]] == [("lamp", 2)]
    assert body["results"][0]["variant"] == lamp.variants.first().pk


def test_bought_together_of_an_unknown_product_is_a_404(api):
    assert api.get("/api/v1/products/nothing/bought-together").status_code == 404


def test_bought_together_with_a_bad_limit_is_a_400_naming_the_field(api):
    ProductFactory(slug="tent")

    response = api.get("/api/v1/products/tent/bought-together", {"limit": "21"})

    assert response.status_code == 400
    assert "limit" in response.json()["errors"]


@pytest.mark.parametrize("pairs", [3, 20])
def test_bought_together_queries_do_not_grow_with_pairs(api, pairs, django_assert_num_queries):
    tent = ProductFactory(slug="tent")
    for _ in range(pairs):
        order = purchases_make(UserFactory(), [tent, ProductFactory()])
        products_services.copurchase_order_count(order_id=order.pk)

    with django_assert_num_queries(3):  # the product, the pairs, their variants
        response = api.get("/api/v1/products/tent/bought-together")

    assert len(response.json()["results"]) == pairs
