import pytest

from shop.catalog.product_filters import ProductFilters
from shop.catalog.selectors import product_list
from tests.factories import ProductFactory
from tests.html import html

pytestmark = pytest.mark.django_db


def _rated(title, ratings: list[int]):
    return ProductFactory(
        title=title,
        rating_count=len(ratings),
        rating_sum=sum(ratings),
        **{f"rating_{s}": ratings.count(s) for s in (1, 2, 3, 4, 5)},
    )


def test_one_five_star_review_does_not_outrank_a_hundred_good_ones(settings):
    settings.REVIEWS_RATING_DAMPING = 10
    _rated("One lucky five", [5])
    _rated("Hundred good", [5] * 80 + [4] * 20)
    _rated("Middling", [3] * 30)
    ProductFactory(title="Unrated")

    titles = [p.title for p in product_list(filters=ProductFilters(sort="rating"))]

    assert titles == ["Hundred good", "One lucky five", "Middling", "Unrated"]


def test_without_damping_the_plain_average_decides(settings):
    settings.REVIEWS_RATING_DAMPING = 0
    _rated("One lucky five", [5])
    _rated("Hundred good", [5] * 80 + [4] * 20)

    titles = [p.title for p in product_list(filters=ProductFilters(sort="rating"))]

    assert titles == ["One lucky five", "Hundred good"]


def test_cards_show_stars_and_count_and_the_sort_menu_explains_the_rating(client):
    _rated("Lamp", [5, 4, 4])
    ProductFactory(title="Chair")

    page = html(client.get("/products/", {"sort": "rating"}))

    rating = page.one("p", cls="product-card__rating")
    assert rating.one("span", cls="stars").attrs["aria-label"] == "Rated 4.3 out of 5"
    assert "(3 reviews)" in rating.text
    assert "damped average" in page.one("span", id="sort-rating-hint").attrs["title"]


@pytest.mark.parametrize("n", [10, 100])
def test_the_rating_sort_queries_do_not_grow_with_products(client, django_assert_num_queries, n):
    for index in range(n):
        _rated(f"P{index}", [1 + index % 5] * (index % 7))

    # tree, count, products, images, brands, merchants (as the unsorted list)
    with django_assert_num_queries(6):
        response = client.get("/products/", {"sort": "rating"})

    assert response.status_code == 200
