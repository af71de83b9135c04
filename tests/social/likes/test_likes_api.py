"""/api/v1/likes and the social proof endpoints."""

import pytest

from social.likes import services
from tests.factories import ProductFactory, UserFactory, friends_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def jacket():
    return ProductFactory(title="Trail Jacket", slug="trail-jacket", with_variants=1)


@pytest.fixture
def ana(api):
    person = UserFactory(username="ana", display_name="Ana")
    api.force_authenticate(person)
    return person


def test_liking_answers_201_then_200(api, ana, jacket):
    first = api.post("/api/v1/likes", {"product": "trail-jacket"}, format="json")
    again = api.post("/api/v1/likes", {"product": "trail-jacket"}, format="json")

    assert first.status_code == 201
    assert first.json() == {"product": "trail-jacket", "liked": True, "like_count": 1}
    assert again.status_code == 200
    assert again.json()["like_count"] == 1


@pytest.mark.parametrize(
    "body, code",
    [
        ({}, "required"),
        ({"product": "no-such-thing"}, "product_not_available"),
        ({"product": ""}, "blank"),
        ({"product": "x" * 300}, "max_length"),
    ],
)
def test_a_bad_product_is_a_400_naming_the_field(api, ana, body, code):
    response = api.post("/api/v1/likes", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["product"][0]["code"] == code


def test_an_unpublished_product_cannot_be_liked(api, ana):
    ProductFactory(slug="draft", is_published=False)

    response = api.post("/api/v1/likes", {"product": "draft"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["product"][0]["code"] == "product_not_available"


def test_unliking_is_204_and_safe_to_repeat(api, ana, jacket):
    services.like_create(user=ana, product=jacket)

    assert api.delete("/api/v1/likes/trail-jacket").status_code == 204
    assert api.delete("/api/v1/likes/trail-jacket").status_code == 204
    assert api.delete("/api/v1/likes/no-such-thing").status_code == 404


def test_listing_my_likes_by_cursor(api, ana, monkeypatch):
    from social.likes import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    products = ProductFactory.create_batch(3, with_variants=1)
    for product in products:
        services.like_create(user=ana, product=product)

    first = api.get("/api/v1/likes").json()
    second = api.get("/api/v1/likes", {"cursor": first["next_cursor"]}).json()

    slugs = [r["product"]["slug"] for r in first["results"] + second["results"]]
    assert slugs == [p.slug for p in reversed(products)]
    assert second["next_cursor"] is None
    assert first["results"][0]["product"]["price_min"] == 1000


def test_a_malformed_cursor_is_a_400_naming_it(api, ana):
    response = api.get("/api/v1/likes", {"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert response.json()["errors"]["cursor"][0]["code"] == "invalid_cursor"


@pytest.mark.parametrize("n", [3, 30])
def test_listing_my_likes_costs_the_same_queries(api, ana, django_assert_num_queries, n):
    for product in ProductFactory.create_batch(n, with_variants=1, with_images=1):
        services.like_create(user=ana, product=product)

    with django_assert_num_queries(3):  # likes, their products, the products' images
        assert api.get("/api/v1/likes").status_code == 200


@pytest.mark.parametrize(
    "call",
    [
        lambda api: api.get("/api/v1/likes"),
        lambda api: api.post("/api/v1/likes", {"product": "trail-jacket"}, format="json"),
        lambda api: api.delete("/api/v1/likes/trail-jacket"),
        lambda api: api.get("/api/v1/products/trail-jacket/social-proof"),
        lambda api: api.get("/api/v1/social-proof", {"products": "trail-jacket"}),
    ],
)
def test_likes_and_proof_are_for_signed_in_people(api, jacket, call):
    assert call(api).status_code in (401, 403)


def test_the_social_proof_of_a_product(api, ana, jacket):
    ben = UserFactory(username="ben", display_name="Ben")
    friends_make(ana, ben)
    services.like_create(user=ben, product=jacket)

    response = api.get("/api/v1/products/trail-jacket/social-proof")

    assert response.json() == {
        "product": "trail-jacket",
        "liked": False,
        "like_count": 1,
        "liked_by": {"total": 1, "friends": [{"username": "ben", "name": "Ben"}]},
        "bought_by": {"total": 0, "friends": []},
    }


def test_the_social_proof_of_an_unknown_product_is_a_404(api, ana):
    ProductFactory(slug="draft", is_published=False)

    assert api.get("/api/v1/products/draft/social-proof").status_code == 404
    assert api.get("/api/v1/products/nothing/social-proof").status_code == 404


def test_the_social_proof_of_several_products_keeps_their_order(api, ana):
    one = ProductFactory(slug="one")
    ProductFactory(slug="two")
    services.like_create(user=ana, product=one)

    response = api.get("/api/v1/social-proof", {"products": "two,nothing,one"})

    assert [(p["product"], p["liked"]) for p in response.json()] == [
        ("two", False),
        ("one", True),
    ]


@pytest.mark.parametrize(
    "products, code", [("", "product_required"), (",".join(["x"] * 101), "product_required")]
)
def test_the_social_proof_of_several_products_needs_a_sensible_list(api, ana, products, code):
    response = api.get("/api/v1/social-proof", {"products": products})

    assert response.status_code == 400
    assert response.json()["errors"]["products"][0]["code"] == code


@pytest.mark.parametrize("n", [10, 100])
def test_the_social_proof_of_many_products_costs_the_same_queries(
    api, ana, django_assert_num_queries, n
):
    products = ProductFactory.create_batch(n, with_variants=1)
    for friend in UserFactory.create_batch(3, verified=False):
        friends_make(ana, friend)
        for product in products:
            services.like_create(user=friend, product=product)
    slugs = ",".join(p.slug for p in products)

    with django_assert_num_queries(2):  # the slugs' ids, then counts, likes and purchases
        response = api.get("/api/v1/social-proof", {"products": slugs})

    assert len(response.json()) == n
    assert all(p["liked_by"]["total"] == 3 for p in response.json())
