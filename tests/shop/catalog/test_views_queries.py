"""Query counts of the storefront pages and what their cache serves."""

import pytest

from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    UserFactory,
)
from tests.html import html
from tests.shop.catalog.pages import card_titles

pytestmark = pytest.mark.django_db


def catalogue(n: int):
    root = CategoryFactory(slug="root")
    child = CategoryFactory(slug="child", parent=root)
    merchant = MerchantFactory(slug="shop")
    products = ProductFactory.create_batch(
        n,
        merchant=merchant,
        category=child,
        with_variants=2,
        with_images=1,
        title="Desk lamp",
        is_featured=True,
        units_sold=1,
    )
    return products[0]


# Each first (uncached) anonymous request; the category tree is read once (then cached).
PAGE_QUERIES = {
    # tree, then featured, newest, best selling, each with its images
    "/": 7,
    # tree, count, products, images, brands, merchants for the filter
    "/products/": 6,
    "/products/?q=lamp": 6,
    # the same, the merchant read too
    "/products/?merchant=shop&min_price=1&max_price=100&in_stock=1&sort=price_asc": 7,
    "/products/?min_price=11&max_price=100": 6,
    "/categories/root/": 6,
    # merchant, tree, count, products, images, brands (no merchant choice), and the
    # sections other apps fill in on every request (merchant_sections): reviews.reputation's,
    # on its cache's first miss, the merchant's rating totals and its fulfilment record
    "/merchants/shop/": 8,
}


@pytest.mark.parametrize("n", [10, 100])
@pytest.mark.parametrize(("url", "queries"), PAGE_QUERIES.items())
def test_page_queries_do_not_grow_with_products(client, django_assert_num_queries, n, url, queries):
    catalogue(n)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    # The home page has three sections of eight.
    assert len(card_titles(response)) == (3 * min(n, 8) if url == "/" else min(n, 24))


@pytest.mark.parametrize(("variants", "images"), [(2, 2), (20, 20)])
def test_product_page_queries_do_not_grow_with_variants_or_images(
    client, django_assert_num_queries, variants, images
):
    product = ProductFactory(with_variants=variants, with_images=images)

    # tree, product (with merchant and category), variants, images
    with django_assert_num_queries(4):
        response = client.get(f"/products/{product.slug}/")

    assert len(html(response).all("input", type="radio")) == variants


@pytest.mark.parametrize("n", [10, 100])
def test_a_misspelt_search_queries_do_not_grow_with_products(client, django_assert_num_queries, n):
    catalogue(n)

    # tree, count (nothing found), brands, merchants for the filter, then the vocabulary
    # (SQLite) or the similar titles (PostgreSQL), and the suggestion's own search
    with django_assert_num_queries(6):
        response = client.get("/products/?q=dsek")

    assert html(response).one("p", cls="search-suggestion").text == "Did you mean “desk”?"


@pytest.mark.parametrize("n", [10, 100])
@pytest.mark.parametrize("url", [*PAGE_QUERIES, "/products/desk-lamp/"])
def test_second_anonymous_request_runs_no_query(client, django_assert_num_queries, n, url):
    catalogue(n)
    ProductFactory(slug="desk-lamp")
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content


def test_signed_in_visitors_are_served_from_the_cache(client, django_assert_num_queries):
    catalogue(10)
    client.force_login(UserFactory())
    client.get("/products/")

    # the session with its user and the header's badges: the page's parts and cards come from
    # the cache (issue 7: signed-in visitors no longer bypass it; test_page_cache.py), and the
    # likes' decoration is cached per viewer since the first visit (social.likes)
    with django_assert_num_queries(1):
        response = client.get("/products/")

    assert "Log out" in html(response).one("header", cls="site-header").text


def test_cached_page_does_not_serve_one_visitors_header_to_another(client):
    ProductFactory()
    user = UserFactory(display_name="Ada")
    client.get("/products/?q=")  # cached by an anonymous visitor
    client.force_login(user)

    header = html(client.get("/products/?q=")).one("header", cls="site-header").text

    assert "Ada" in header
    client.logout()
    assert "Ada" not in html(client.get("/products/?q=")).one("header", cls="site-header").text


def test_unknown_query_parameters_share_the_cached_page(client, django_assert_num_queries):
    ProductFactory()
    client.get("/products/?q=lamp")

    with django_assert_num_queries(0):
        response = client.get("/products/?utm_source=newsletter&q=lamp")

    assert response.status_code == 200
