import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews import moderation
from reviews.models import Review
from tests.factories import (
    ProductFactory,
    UserFactory,
    friends_make,
    image_bytes,
    privacy_set,
    purchases_make,
)
from tests.html import html
from tests.reviews.helpers import review_write

pytestmark = pytest.mark.django_db


def _authors(response) -> list[str]:
    return [node.text for node in html(response).all("span", cls="review__author")]


def test_the_product_page_shows_the_rating_summary_and_links_to_the_reviews(client):
    jacket = ProductFactory()
    review_write(UserFactory(), jacket, rating=5)
    review_write(UserFactory(), jacket, rating=4)

    response = client.get(f"/products/{jacket.slug}/")

    section = html(response).one("section", id="reviews")
    assert "4.5" in section.text and "2 reviews" in section.text
    assert (
        section.one("div", id="reviews-list").attrs["hx-get"] == f"/products/{jacket.slug}/reviews/"
    )
    assert "Read the 2 reviews" in section.text


def test_a_hidden_review_changes_the_product_pages_average(
    client, django_capture_on_commit_callbacks
):
    jacket = ProductFactory()
    bad = review_write(UserFactory(), jacket, rating=1)
    review_write(UserFactory(), jacket, rating=5)
    assert "3.0" in html(client.get(f"/products/{jacket.slug}/")).one("section", id="reviews").text

    with django_capture_on_commit_callbacks(execute=True):
        moderation.review_hide(review_id=bad.pk, by=UserFactory(is_superuser=True), reason="Spam")

    section = html(client.get(f"/products/{jacket.slug}/")).one("section", id="reviews")
    assert "5.0" in section.text and "1 review" in section.text


def test_the_reviews_page_filters_by_stars_photos_and_verified(client):
    jacket = ProductFactory()
    buyer = UserFactory(display_name="Bea Buyer")
    purchases_make(buyer, [jacket], status="delivered")
    review_write(buyer, jacket, rating=5, title="Bought it")
    review_write(UserFactory(display_name="Pia Photo"), jacket, rating=3, title="Pics", photos=1)
    review_write(UserFactory(display_name="Len Low"), jacket, rating=1, title="Low")
    url = f"/products/{jacket.slug}/reviews/"

    assert _authors(client.get(url, {"stars": 1})) == ["Len Low"]
    assert _authors(client.get(url, {"photos": 1})) == ["Pia Photo"]
    assert _authors(client.get(url, {"verified": 1})) == ["Bea Buyer"]
    assert _authors(client.get(url, {"sort": "lowest"})) == ["Len Low", "Pia Photo", "Bea Buyer"]
    assert _authors(client.get(url, {"sort": "highest", "stars": "x"}))[0] == "Bea Buyer"


def test_the_reviews_page_sorts_most_helpful_first_or_newest_first(client):
    jacket = ProductFactory()
    review_write(UserFactory(display_name="Old Olga"), jacket)
    helpful = review_write(UserFactory(display_name="Helpful Hal"), jacket)
    Review.objects.filter(pk=helpful.pk).update(helpful_count=3)
    review_write(UserFactory(display_name="New Nina"), jacket)
    url = f"/products/{jacket.slug}/reviews/"

    assert _authors(client.get(url)) == ["Helpful Hal", "New Nina", "Old Olga"]
    assert _authors(client.get(url, {"sort": "helpful"})) == _authors(client.get(url))
    assert _authors(client.get(url, {"sort": "newest"})) == ["New Nina", "Helpful Hal", "Old Olga"]


def test_the_reviews_come_ten_a_page(client):
    jacket = ProductFactory()
    for n in range(12):
        review_write(UserFactory(display_name=f"Reviewer {n:02}"), jacket)
    url = f"/products/{jacket.slug}/reviews/"

    first = client.get(url, {"sort": "newest"})
    second = client.get(url, {"sort": "newest", "page": 2})

    assert _authors(first) == [f"Reviewer {n:02}" for n in range(11, 1, -1)]
    assert _authors(second) == ["Reviewer 01", "Reviewer 00"]
    assert "12 reviews, showing 11–12" in html(second).one("p", cls="reviews__shown").text
    links = [a.attrs.get("href", "") for a in html(first).all("a")]
    assert any("page=2" in link and "sort=newest" in link for link in links)


def test_a_friends_review_comes_first_and_says_so(client):
    jacket = ProductFactory()
    me, ana = UserFactory(), UserFactory(display_name="Ana")
    friends_make(me, ana)
    review_write(ana, jacket, rating=2)
    for _ in range(3):
        review = review_write(UserFactory(), jacket, rating=5)
        Review.objects.filter(pk=review.pk).update(helpful_count=10)
    client.force_login(me)

    response = client.get(f"/products/{jacket.slug}/reviews/", headers={"HX-Request": "true"})

    authors = _authors(response)
    assert authors[0] == "Your friend Ana"
    assert len(authors) == 4
    # The vote forms post with the CSRF token (the fragment is rendered per request).
    forms = html(response).all("form", cls="review__vote-form")
    assert len(forms) == 4
    assert all(form.all("input", name="csrfmiddlewaretoken") for form in forms)


def test_a_reviewer_who_hides_their_name_is_a_verified_buyer_even_to_friends(client):
    jacket = ProductFactory()
    me, ana = UserFactory(), UserFactory(display_name="Ana")
    friends_make(me, ana)
    privacy_set(ana, reviews_show_name=False)
    purchases_make(ana, [jacket], status="delivered")
    review_write(ana, jacket)
    client.force_login(me)

    assert _authors(client.get(f"/products/{jacket.slug}/reviews/")) == ["A verified buyer"]


def test_the_htmx_request_gets_the_list_only(client):
    jacket = ProductFactory()
    review_write(UserFactory(), jacket)

    response = client.get(f"/products/{jacket.slug}/reviews/", headers={"HX-Request": "true"})

    assert b"<html" not in response.content
    assert len(_authors(response)) == 1


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_reviews_page_queries_do_not_grow_with_reviews(
    client, django_assert_num_queries, n, signed_in
):
    jacket = ProductFactory()
    for index in range(n):
        review_write(UserFactory(verified=False), jacket, rating=1 + index % 5, photos=index % 2)
    if signed_in:
        client.force_login(UserFactory())

    # product, count, reviews (authors, names, replies, friends first, my vote), photos, the
    # header's category menu; signed in also the session with its user and the header's badges
    with django_assert_num_queries(6 if signed_in else 5):
        response = client.get(f"/products/{jacket.slug}/reviews/")

    assert len(_authors(response)) == min(n, 10)


def test_writing_a_review_with_a_photo(client):
    jacket, ana = ProductFactory(), UserFactory()
    client.force_login(ana)

    response = client.post(
        f"/products/{jacket.slug}/reviews/write/",
        {
            "rating": 4,
            "title": "Warm",
            "body": "Kept me warm all winter.",
            "feed_visibility": "friends",
            "photos": [SimpleUploadedFile("me.png", image_bytes(size=(50, 50)), "image/png")],
        },
    )

    assert response.status_code == 302
    review = Review.objects.get(author=ana)
    assert (review.rating, review.photo_count) == (4, 1)
    jacket.refresh_from_db()
    assert jacket.rating_count == 1


def test_a_bad_review_form_names_the_field(client):
    jacket, ana = ProductFactory(), UserFactory()
    client.force_login(ana)

    response = client.post(
        f"/products/{jacket.slug}/reviews/write/",
        {
            "rating": 9,
            "title": "",
            "body": "x",
            "feed_visibility": "friends",
            "photos": [SimpleUploadedFile("x.png", b"not an image", "image/png")],
        },
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"rating", "title", "photos"} <= set(errors)
    assert not Review.objects.exists()


def test_editing_my_review_through_the_form(client):
    jacket, ana = ProductFactory(), UserFactory()
    review_write(ana, jacket, rating=2)
    client.force_login(ana)

    page = client.get(f"/products/{jacket.slug}/reviews/write/")
    client.post(
        f"/products/{jacket.slug}/reviews/write/",
        {"rating": 5, "title": "Better", "body": "Much.", "feed_visibility": "public"},
    )

    assert "Edit your review" in html(page).one("h1").text
    assert Review.objects.get(author=ana).rating == 5


def test_voting_from_the_page_and_with_htmx(client):
    review = review_write(UserFactory(), ProductFactory())
    client.force_login(UserFactory())

    client.post(f"/reviews/{review.pk}/vote/", {"helpful": "1", "next": "/"})
    swapped = client.post(
        f"/reviews/{review.pk}/vote/", {"helpful": "0"}, headers={"HX-Request": "true"}
    )

    review.refresh_from_db()
    assert (review.helpful_count, review.unhelpful_count) == (0, 1)
    assert "0 found this helpful" in html(swapped).text


@pytest.mark.parametrize("helpful", ["maybe", ""])
def test_a_vote_that_is_neither_button_counts_nothing_and_says_so(client, helpful):
    review = review_write(UserFactory(), ProductFactory())
    client.force_login(UserFactory())

    response = client.post(f"/reviews/{review.pk}/vote/", {"helpful": helpful}, follow=True)
    swapped = client.post(
        f"/reviews/{review.pk}/vote/", {"helpful": helpful}, headers={"HX-Request": "true"}
    )

    review.refresh_from_db()
    assert (review.helpful_count, review.unhelpful_count) == (0, 0)
    assert not review.votes.exists()
    assert "Choose “Helpful” or “Not helpful”." in response.content.decode()
    assert "Choose “Helpful” or “Not helpful”." in swapped.content.decode()


def test_reporting_a_review(client):
    review = review_write(UserFactory(), ProductFactory())
    client.force_login(UserFactory())

    bad = client.post(f"/reviews/{review.pk}/report/", {"reason": "nope"})
    client.post(f"/reviews/{review.pk}/report/", {"reason": "spam", "note": "An ad"})

    assert bad.status_code == 400
    review.refresh_from_db()
    assert review.needs_moderation and review.report_count == 1


def test_the_write_form_needs_a_sign_in(client):
    jacket = ProductFactory()

    response = client.get(f"/products/{jacket.slug}/reviews/write/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_product_pages_structured_data_carries_the_rating(client):
    import json

    jacket = ProductFactory()
    review_write(UserFactory(), jacket, rating=5)
    review_write(UserFactory(), jacket, rating=4)

    page = html(client.get(f"/products/{jacket.slug}/"))

    data = json.loads(page.one("script", type="application/ld+json").text)
    assert data["aggregateRating"]["ratingValue"] == 4.5
    assert data["aggregateRating"]["reviewCount"] == 2


# --- a visitor's list, cached (reviews.list_cache) --------------------------------------------

HTMX = {"HX-Request": "true"}


def _visitor_list(client, product, **params) -> str:
    response = client.get(f"/products/{product.slug}/reviews/", params, headers=HTMX)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_visitors_list_is_built_once_then_read_from_the_cache(client, django_assert_num_queries):
    jacket = ProductFactory()
    review_write(UserFactory(display_name="Ana"), jacket, title="Warm")
    first = _visitor_list(client, jacket)

    with django_assert_num_queries(0):  # found by the slug: versions and list, cache reads
        again = _visitor_list(client, jacket)

    assert again == first and "Warm" in again
    assert "Warm" not in _visitor_list(client, jacket, stars="1")  # each filter its own entry


def test_the_list_and_the_page_at_one_address_vary_on_htmx(client):
    """The reviews address answers htmx with the list alone and others with the page: a
    browser's cache must keep them apart, on a cache hit as on a build."""
    jacket = ProductFactory()
    _visitor_list(client, jacket)  # built
    hit = client.get(f"/products/{jacket.slug}/reviews/", headers=HTMX)
    page = client.get(f"/products/{jacket.slug}/reviews/")

    for response in (hit, page):
        assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "change", ["new", "edit", "vote", "hide", "reply", "delete", "name", "name hidden"]
)
def test_a_change_shows_at_once_in_a_visitors_cached_list(
    client, change, django_capture_on_commit_callbacks
):
    from reviews import services
    from shop.accounts import services as account_services
    from shop.catalog.services import merchant_staff_add
    from social.graph import services as graph_services

    jacket = ProductFactory()
    ana = UserFactory(display_name="Ana")
    review = review_write(ana, jacket, title="Warm")
    before = _visitor_list(client, jacket)

    with django_capture_on_commit_callbacks(execute=True):
        if change == "new":
            review_write(UserFactory(), jacket, title="Second opinion")
        elif change == "edit":
            services.review_update(
                author=ana,
                review_id=review.pk,
                data=services.ReviewInput(rating=2, title="Cold after all", body="Hm."),
            )
        elif change == "vote":
            services.review_vote(voter=UserFactory(), review_id=review.pk, helpful=True)
        elif change == "hide":
            moderation.review_hide(review_id=review.pk, by=UserFactory(), reason="Spam")
        elif change == "reply":
            staff = UserFactory()
            merchant_staff_add(merchant=jacket.merchant, user=staff)
            moderation.review_reply_save(review_id=review.pk, by=staff, body="Thank you, Ana!")
        elif change == "delete":
            services.review_delete(author=ana, review_id=review.pk)
        elif change == "name":
            account_services.profile_update(
                user=ana, display_name="Ana Alves", bio="", avatar=None, remove_avatar=False
            )
        elif change == "name hidden":
            graph_services.privacy_settings_update(user=ana, reviews_show_name=False)

    after = _visitor_list(client, jacket)
    assert after != before
    expected = {
        "new": "Second opinion",
        "edit": "Cold after all",
        "vote": "1 found this helpful",
        "reply": "Thank you, Ana!",
        "name": "Ana Alves",
        "name hidden": "A shopper",  # not a buyer of it
    }
    if change in expected:
        assert expected[change] in after
    else:
        assert "Warm" not in after


def test_an_unpublished_product_has_no_list_at_once(client, django_capture_on_commit_callbacks):
    from shop.catalog.models import Product
    from shop.catalog.services import product_publish

    jacket = ProductFactory()
    review_write(UserFactory(), jacket, title="Warm")
    assert "Warm" in _visitor_list(client, jacket)

    with django_capture_on_commit_callbacks(execute=True):
        product_publish(products=Product.objects.filter(pk=jacket.pk), published=False)

    response = client.get(f"/products/{jacket.slug}/reviews/", headers=HTMX)
    assert response.status_code == 404


def test_a_renamed_product_has_its_list_at_its_new_address_only(
    client, django_capture_on_commit_callbacks
):
    from shop.catalog.services import product_save

    jacket = ProductFactory(slug="warm-jacket")
    review_write(UserFactory(), jacket, title="Warm")
    assert "Warm" in _visitor_list(client, jacket)

    jacket.slug, jacket.title = "winter-jacket", "Winter jacket"
    with django_capture_on_commit_callbacks(execute=True):
        product_save(product=jacket)

    assert client.get("/products/warm-jacket/reviews/", headers=HTMX).status_code == 404
    assert "Warm" in _visitor_list(client, jacket)


def test_a_write_on_a_renamed_product_shows_at_its_new_address(
    client, django_capture_on_commit_callbacks
):
    """The write's version is moved under the slug the product has once the write commits."""
    from reviews import services
    from shop.catalog.models import Product

    jacket = ProductFactory(slug="warm-jacket")
    review = review_write(UserFactory(), jacket, title="Warm")
    Product.objects.filter(pk=jacket.pk).update(slug="winter-jacket")  # its version not moved
    jacket.slug = "winter-jacket"
    before = _visitor_list(client, jacket)

    with django_capture_on_commit_callbacks(execute=True):
        services.review_vote(voter=UserFactory(), review_id=review.pk, helpful=True)

    after = _visitor_list(client, jacket)
    assert after != before and "1 found this helpful" in after


def test_an_unknown_product_starts_no_version(client):
    from django.core.cache import cache

    from reviews import list_cache

    response = client.get("/products/no-such-thing/reviews/", headers=HTMX)

    assert response.status_code == 404
    assert cache.get(list_cache._product_key("no-such-thing")) is None


def test_a_list_built_while_a_write_commits_is_not_kept(client):
    """The product's version was missing: a write that starts it while the list is built
    (the list may be older than the write) keeps the list out of the cache."""
    from reviews import list_cache

    jacket = ProductFactory()
    review_write(UserFactory(), jacket, title="Warm")
    cached, entry = list_cache.list_get(slug=jacket.slug, variant="v")
    assert cached is None and entry.started is not None

    list_cache._product_bump(jacket.pk)  # a write committed meanwhile
    list_cache.list_set(entry, b"old list")

    assert list_cache.list_get(slug=jacket.slug, variant="v")[0] is None
