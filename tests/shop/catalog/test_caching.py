"""Anonymous catalogue pages come from the cache, and a catalogue write shows at once.

The services bump the catalogue version on commit; every cached page part is keyed by it.
"""

import pytest

from shop.catalog import services
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lamp():
    product = ProductFactory(
        title="Brass lamp",
        slug="brass-lamp",
        with_variants=0,
        category=CategoryFactory(slug="lighting"),
        merchant=MerchantFactory(slug="lumen"),
    )
    VariantFactory(product=product, sku="LAMP-1", price=4900, stock=8)
    return product


LISTING_URLS = [
    "/",
    "/products/",
    "/products/?q=brass",
    "/categories/lighting/",
    "/merchants/lumen/",
]
ALL_URLS = [*LISTING_URLS, "/products/brass-lamp/"]


def warm(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200


def test_repeat_anonymous_requests_are_served_from_the_cache(
    client, lamp, django_assert_num_queries
):
    warm(client, ALL_URLS)
    lamp.variants.update(price=100)  # behind the services' back: no version bump

    with django_assert_num_queries(0):
        pages = [client.get(url).content.decode() for url in ALL_URLS]

    assert all("€49.00" in page for page in pages)


@pytest.mark.parametrize("url", ALL_URLS)
def test_a_price_change_shows_on_the_next_anonymous_request(
    client, lamp, url, django_capture_on_commit_callbacks
):
    warm(client, [url])
    variant = lamp.variants.get()
    variant.price = 3900

    with django_capture_on_commit_callbacks(execute=True):
        services.variant_save(variant=variant)

    page = client.get(url).content.decode()
    assert "€39.00" in page
    assert "€49.00" not in page


@pytest.mark.parametrize("url", ALL_URLS)
def test_running_out_of_stock_shows_on_the_next_anonymous_request(
    client, lamp, url, django_capture_on_commit_callbacks
):
    warm(client, [url])
    variant = lamp.variants.get()
    variant.stock = 0

    with django_capture_on_commit_callbacks(execute=True):
        services.variant_save(variant=variant)

    assert "Out of stock" in client.get(url).content.decode()


@pytest.mark.parametrize("url", LISTING_URLS)
def test_an_unpublished_product_leaves_the_lists_at_once(
    client, lamp, url, django_capture_on_commit_callbacks
):
    warm(client, [url])
    lamp.is_published = False

    with django_capture_on_commit_callbacks(execute=True):
        services.product_save(product=lamp)

    assert "Brass lamp" not in client.get(url).content.decode()


def test_an_unpublished_product_page_is_404_at_once(
    client, lamp, django_capture_on_commit_callbacks
):
    warm(client, ["/products/brass-lamp/"])
    lamp.is_published = False

    with django_capture_on_commit_callbacks(execute=True):
        services.product_save(product=lamp)

    assert client.get("/products/brass-lamp/").status_code == 404


def test_a_new_product_appears_at_once(client, lamp, django_capture_on_commit_callbacks):
    warm(client, ["/products/"])
    product = ProductFactory.build(
        title="Oak shelf", slug="oak-shelf", merchant=lamp.merchant, category=lamp.category
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.product_save(product=product)

    assert "Oak shelf" in client.get("/products/").content.decode()


def test_a_write_that_rolls_back_keeps_the_cache(
    client, lamp, django_assert_num_queries, django_capture_on_commit_callbacks
):
    warm(client, ["/products/"])

    # Nothing is committed, so the on-commit bump never runs.
    with django_capture_on_commit_callbacks(execute=False):
        services.variant_save(variant=lamp.variants.get())

    with django_assert_num_queries(0):
        client.get("/products/")


def test_a_merchant_rename_shows_on_its_page_at_once(
    client, lamp, django_capture_on_commit_callbacks
):
    warm(client, ["/merchants/lumen/", "/products/brass-lamp/"])
    merchant = lamp.merchant
    merchant.name = "Lumen Studio"

    with django_capture_on_commit_callbacks(execute=True):
        services.merchant_save(merchant=merchant)

    assert "Lumen Studio" in client.get("/merchants/lumen/").content.decode()
    assert "Lumen Studio" in client.get("/products/brass-lamp/").content.decode()


def test_a_404_is_not_cached(client, lamp, django_capture_on_commit_callbacks):
    assert client.get("/products/oak-shelf/").status_code == 404
    product = ProductFactory.build(
        title="Oak shelf", slug="oak-shelf", merchant=lamp.merchant, category=lamp.category
    )
    product.save()  # not through the services: no version bump at all

    assert client.get("/products/oak-shelf/").status_code == 200


def test_a_flash_message_reaches_its_visitor_and_no_one_else(client, lamp):
    from django.test import Client

    warm(client, ["/"])  # the whole page is cached for cookie-less visitors
    client.force_login(UserFactory())

    landing = client.post("/accounts/logout/", follow=True)

    assert landing.redirect_chain[-1][0] == "/"
    assert landing.content.decode().count('class="message message--') == 1
    assert 'class="message message--' not in Client().get("/").content.decode()
