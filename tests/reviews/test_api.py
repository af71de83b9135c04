import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.models import Review, ReviewReply
from shop.catalog.services import merchant_staff_add
from tests.factories import (
    MerchantFactory,
    ProductFactory,
    UserFactory,
    friends_make,
    image_bytes,
)
from tests.reviews.helpers import review_write

pytestmark = pytest.mark.django_db


def test_listing_a_products_reviews_with_filters(api):
    jacket = ProductFactory()
    review_write(UserFactory(), jacket, rating=5, title="Top")
    review_write(UserFactory(), jacket, rating=2, title="Meh", photos=1)

    everything = api.get("/api/v1/reviews", {"product": jacket.slug}).json()
    with_photos = api.get("/api/v1/reviews", {"product": jacket.slug, "photos": "true"}).json()

    assert everything["count"] == 2
    assert [r["title"] for r in with_photos["results"]] == ["Meh"]
    assert with_photos["results"][0]["photos"][0]["thumbnail_url"]


@pytest.mark.parametrize("params", [{}, {"product": "no-such-thing"}, {"product": "\x00"}])
def test_the_list_needs_a_product(api, params):
    response = api.get("/api/v1/reviews", params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["product"]


def test_an_unpublished_products_list_names_the_product_field(api):
    jacket = ProductFactory(is_published=False)

    response = api.get("/api/v1/reviews", {"product": jacket.slug})

    assert response.status_code == 400
    assert response.json()["errors"]["product"][0]["code"] == "product_not_available"


def test_creating_a_review_with_a_photo_as_multipart(api):
    jacket, ana = ProductFactory(), UserFactory()
    api.force_authenticate(ana)

    response = api.post(
        "/api/v1/reviews",
        {
            "product": jacket.slug,
            "rating": 4,
            "title": "Warm",
            "body": "Good.",
            "photos": [SimpleUploadedFile("a.png", image_bytes(size=(30, 30)), "image/png")],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["rating"] == 4 and len(response.json()["photos"]) == 1
    product = api.get(f"/api/v1/products/{jacket.slug}").json()
    assert product["rating"]["count"] == 1 and product["rating"]["average"] == 4.0
    assert product["rating"]["distribution"]["four"] == 1


def test_a_second_review_and_a_bad_rating_name_their_field(api):
    jacket, ana = ProductFactory(), UserFactory()
    review_write(ana, jacket)
    api.force_authenticate(ana)

    again = api.post(
        "/api/v1/reviews", {"product": jacket.slug, "rating": 3, "title": "x", "body": "y"}
    )
    bad = api.post(
        "/api/v1/reviews", {"product": jacket.slug, "rating": 9, "title": "x", "body": "y"}
    )

    assert again.status_code == 400
    assert again.json()["errors"]["product"][0]["code"] == "already_reviewed"
    assert bad.status_code == 400 and "rating" in bad.json()["errors"]


@pytest.mark.parametrize(
    "photos, code",
    [
        ([b"not an image"], "invalid_image"),
        ([None] * 7, "max_length"),
    ],
)
def test_bad_photos_name_the_photos_field(api, photos, code):
    jacket = ProductFactory()
    api.force_authenticate(UserFactory())
    files = [
        SimpleUploadedFile(
            f"p{n}.png", data if data is not None else image_bytes(size=(8, 8)), "image/png"
        )
        for n, data in enumerate(photos)
    ]

    response = api.post(
        "/api/v1/reviews",
        {"product": jacket.slug, "rating": 4, "title": "Warm", "body": "Good.", "photos": files},
        format="multipart",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["photos"] and errors["photos"][0]["code"] == code
    assert not Review.objects.exists()


def test_editing_and_deleting_my_review(api):
    ana = UserFactory()
    review = review_write(ana, ProductFactory(), rating=2)
    api.force_authenticate(ana)

    edited = api.put(
        f"/api/v1/reviews/{review.pk}",
        {"rating": 5, "title": "Better", "body": "Now."},
        format="json",
    )
    deleted = api.delete(f"/api/v1/reviews/{review.pk}")

    assert edited.status_code == 200 and edited.json()["edited"] is True
    assert deleted.status_code == 204
    assert not Review.objects.exists()


def test_someone_elses_review_is_not_found_for_editing(api):
    review = review_write(UserFactory(), ProductFactory())
    api.force_authenticate(UserFactory())

    response = api.delete(f"/api/v1/reviews/{review.pk}")

    assert response.status_code == 404
    assert Review.objects.exists()


def test_votes_and_reports(api):
    review = review_write(UserFactory(), ProductFactory())
    api.force_authenticate(UserFactory())

    voted = api.post(f"/api/v1/reviews/{review.pk}/votes", {"helpful": True}, format="json")
    changed = api.post(f"/api/v1/reviews/{review.pk}/votes", {"helpful": False}, format="json")
    reported = api.post(f"/api/v1/reviews/{review.pk}/reports", {"reason": "spam"}, format="json")
    bad = api.post(f"/api/v1/reviews/{review.pk}/reports", {"reason": "why"}, format="json")

    assert voted.json()["helpful_count"] == 1
    assert changed.json() == {"helpful": False, "helpful_count": 0, "unhelpful_count": 1}
    assert reported.status_code == 201
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]


def test_no_vote_on_my_own_review(api):
    ana = UserFactory()
    review = review_write(ana, ProductFactory())
    api.force_authenticate(ana)

    response = api.post(f"/api/v1/reviews/{review.pk}/votes", {"helpful": True}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["review"][0]["code"] == "own_review"


def test_merchant_staff_reply_only_to_their_own_merchants_reviews(api):
    alpha = MerchantFactory()
    staff = UserFactory()
    merchant_staff_add(merchant=alpha, user=staff)
    ours = review_write(UserFactory(), ProductFactory(merchant=alpha))
    theirs = review_write(UserFactory(), ProductFactory())
    api.force_authenticate(staff)

    replied = api.put(f"/api/v1/reviews/{ours.pk}/reply", {"body": "Thanks"}, format="json")
    refused = api.put(f"/api/v1/reviews/{theirs.pk}/reply", {"body": "Hi"}, format="json")

    assert replied.status_code == 200
    assert refused.status_code == 400
    assert refused.json()["errors"]["review"][0]["code"] == "not_your_merchant"
    assert ReviewReply.objects.get().review == ours


@pytest.mark.parametrize("n", [5, 50])
def test_the_list_queries_do_not_grow_with_reviews(api, django_assert_num_queries, n):
    jacket = ProductFactory()
    me = UserFactory()
    for index in range(n):
        author = UserFactory(verified=False)
        if index % 10 == 0:
            friends_make(me, author)
        review_write(author, jacket, photos=index % 2)
    api.force_authenticate(me)

    # product, count, reviews (product, authors, names, replies, friends, my vote), photos
    with django_assert_num_queries(4):
        response = api.get("/api/v1/reviews", {"product": jacket.slug})

    assert len(response.json()["results"]) == min(n, 10)
    assert response.json()["results"][0]["is_friend"] is True
