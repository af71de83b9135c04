"""An order's stock change shows at once where its product is shown, and nowhere else rebuilds.

Signed-in visitors are served from the same cached parts as anonymous ones, with their own
header and decorations added per request; the product API is cached as the pages are.
"""

import pytest
from django.db import transaction
from django.utils.html import format_html

from shop.catalog import cache_versions, page_cache, services
from shop.catalog.models import Product, Variant
from shop.orders import services as order_services
from tests.factories import (
    CartFactory,
    CartLineFactory,
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ShippingMethodFactory,
    UserFactory,
    VariantFactory,
)
from tests.html import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    """Two products of one merchant and category: a lamp (3 left) and a plentiful shelf."""
    category = CategoryFactory(slug="lighting", name="Lighting")
    merchant = MerchantFactory(slug="lumen")
    lamp = ProductFactory(
        title="Brass lamp", slug="brass-lamp", with_variants=0, category=category, merchant=merchant
    )
    VariantFactory(product=lamp, sku="LAMP-1", price=4900, stock=3)
    shelf = ProductFactory(
        title="Oak shelf", slug="oak-shelf", with_variants=0, category=category, merchant=merchant
    )
    VariantFactory(product=shelf, sku="SHELF-1", price=9900, stock=50)
    return lamp, shelf


def order(product: Product, quantity: int, capture):
    """Place a guest order of `quantity` units of `product`'s variant, running its on-commit."""
    cart = CartFactory()
    CartLineFactory(cart=cart, variant=product.variants.get(), quantity=quantity)
    with capture(execute=True):
        return order_services.order_place(
            cart=cart,
            customer=None,
            email="ada@example.com",
            address=order_services.AddressInput(
                full_name="Ada Lovelace",
                line1="12 Rue des Lilas",
                line2="",
                postal_code="75011",
                city="Paris",
                country="FR",
            ),
            shipping_method_id=ShippingMethodFactory().pk,
        )


LIST_URLS = ["/", "/products/", "/categories/lighting/", "/merchants/lumen/"]
SHELF_URLS = ["/products/oak-shelf/", "/api/v1/products/oak-shelf"]


def warm(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url


def text(client, url) -> str:
    return client.get(url).content.decode()


# --- an order's stock change ------------------------------------------------------------------


def test_an_order_shows_the_stock_left_at_once_on_the_product_page_and_api(
    client, shop, django_capture_on_commit_callbacks
):
    lamp, _ = shop
    warm(client, ["/products/brass-lamp/", "/api/v1/products/brass-lamp"])
    assert "Only 3 left" in text(client, "/products/brass-lamp/")

    order(lamp, 1, django_capture_on_commit_callbacks)

    assert "Only 2 left" in text(client, "/products/brass-lamp/")
    assert client.get("/api/v1/products/brass-lamp").json()["variants"][0]["stock"] == 2


def test_an_order_keeps_every_other_cached_page(
    client, shop, django_assert_num_queries, django_capture_on_commit_callbacks
):
    lamp, _ = shop
    urls = [*LIST_URLS, "/products/?q=lamp", *SHELF_URLS, "/api/v1/products/"]
    warm(client, urls)

    order(lamp, 1, django_capture_on_commit_callbacks)  # the lamp has stock left

    # The lists show the lamp's card, which says only whether it is in stock: unchanged.
    with django_assert_num_queries(0):
        for url in urls:
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [*LIST_URLS, "/products/brass-lamp/"])
def test_selling_the_last_unit_shows_sold_out_at_once(
    client, shop, url, django_capture_on_commit_callbacks
):
    lamp, _ = shop
    warm(client, [url])

    order(lamp, 3, django_capture_on_commit_callbacks)

    assert "Out of stock" in text(client, url)


def test_selling_out_rebuilds_that_products_card_not_the_page_nor_other_products(
    client, shop, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # A sort asked for keeps its order whatever is in stock: only the card changes. (The
    # default sorts put products in stock first: the next test.)
    lamp, _ = shop
    warm(client, ["/products/?sort=price_asc", *SHELF_URLS])

    order(lamp, 3, django_capture_on_commit_callbacks)

    with django_assert_num_queries(2):  # the lamp's row (prices, stock), its images
        page = client.get("/products/?sort=price_asc")
    with django_assert_num_queries(0):
        warm(client, SHELF_URLS)
    card = html(page).all("article", cls="product-card--sold-out")
    assert [node.one("a", cls="product-card__link").text for node in card] == ["Brass lamp"]


@pytest.mark.parametrize("url", ["/products/", "/products/?q=lighting", "/categories/lighting/"])
def test_selling_out_moves_the_product_last_on_a_list_in_the_default_order_at_once(
    client, shop, url, django_capture_on_commit_callbacks
):
    lamp, shelf = shop
    Product.objects.filter(pk=lamp.pk).update(created_at=shelf.created_at.replace(year=2100))
    # The same brand and words for both, so the search's relevance ties and the order is the
    # stock's and the date's (PostgreSQL ranks the factories' random descriptions apart).
    Product.objects.filter(pk__in=[lamp.pk, shelf.pk]).update(
        brand="Atelier", description="Made to last for years."
    )
    titles = lambda: [  # noqa: E731
        link.text for link in html(client.get(url)).all("a", cls="product-card__link")
    ]
    assert titles() == ["Brass lamp", "Oak shelf"]  # newest first

    order(lamp, 3, django_capture_on_commit_callbacks)

    assert titles() == ["Oak shelf", "Brass lamp"]


def test_selling_out_shows_at_once_on_the_api(client, shop, django_capture_on_commit_callbacks):
    lamp, _ = shop
    warm(client, ["/api/v1/products/", "/api/v1/products/?in_stock=1"])

    order(lamp, 3, django_capture_on_commit_callbacks)

    listed = {item["slug"]: item for item in client.get("/api/v1/products/").json()["results"]}
    assert listed["brass-lamp"]["in_stock"] is False
    in_stock = client.get("/api/v1/products/?in_stock=1").json()["results"]
    assert [item["slug"] for item in in_stock] == ["oak-shelf"]


def test_an_in_stock_list_drops_a_product_an_order_sold_out(
    client, shop, django_capture_on_commit_callbacks
):
    lamp, _ = shop
    warm(client, ["/products/?in_stock=1"])

    order(lamp, 3, django_capture_on_commit_callbacks)

    assert "Brass lamp" not in text(client, "/products/?in_stock=1")


def test_a_cancelled_order_brings_its_product_back_in_stock_at_once(
    client, shop, django_capture_on_commit_callbacks
):
    lamp, _ = shop
    placed = order(lamp, 3, django_capture_on_commit_callbacks)
    warm(client, ["/products/?in_stock=1", "/products/brass-lamp/", "/products/"])

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_cancel(order=placed, by=None)

    assert "Brass lamp" in text(client, "/products/?in_stock=1")
    assert "Only 3 left" in text(client, "/products/brass-lamp/")
    assert "Out of stock" not in text(client, "/products/")


def test_a_stock_take_that_rolls_back_keeps_the_cache(
    client, shop, django_assert_num_queries, django_capture_on_commit_callbacks
):
    lamp, _ = shop
    warm(client, ["/products/brass-lamp/"])

    with django_capture_on_commit_callbacks(execute=False):
        services.variant_stock_take(quantities={lamp.variants.get().pk: 1})

    with django_assert_num_queries(0):
        client.get("/products/brass-lamp/")


def test_cards_rendered_while_a_product_sells_out_are_not_cached(shop):
    lamp, shelf = shop
    key = page_cache.page_key("test-listing")
    renders = []

    def build():
        # The rows are read, then an order sells the lamp out and commits before the
        # build reads the versions: what was rendered may be older than those versions.
        cache_versions.product_stock_bump(slugs=["brass-lamp"], flipped_ids=[lamp.pk])
        return (lamp.pk, shelf.pk), {lamp.pk: "old lamp", shelf.pk: "shelf"}

    def render_missing(product_ids):
        renders.append(sorted(product_ids))
        return {pk: f"fresh {pk}" for pk in product_ids}

    def get():
        return page_cache.listing_get(
            key=key,
            build=build,
            product_ids=lambda ids: ids,
            kind="test",
            render_missing=render_missing,
        )

    _, first, versions = get()
    _, second, _ = get()

    assert versions is None  # nothing derived from the first answer may be cached either
    assert first[lamp.pk] == "old lamp"
    assert renders == [sorted([lamp.pk, shelf.pk])]
    assert second[lamp.pk] == f"fresh {lamp.pk}"


def test_an_evicted_version_never_brings_back_older_entries(client, shop):
    lamp, _ = shop
    versions = cache_versions.product_stock_versions(slugs=["brass-lamp"])
    warm(client, ["/products/brass-lamp/"])
    with transaction.atomic():
        Variant.objects.filter(product=lamp).update(stock=1)
    cache_versions.product_stock_bump(slugs=["brass-lamp"], flipped_ids=[])

    page_cache.cache.delete("catalog:stock-version:brass-lamp")  # evicted

    assert cache_versions.product_stock_versions(slugs=["brass-lamp"]) != versions
    assert "Only 1 left" in text(client, "/products/brass-lamp/")


# --- signed-in visitors -----------------------------------------------------------------------


def catalogue(n: int) -> Product:
    products = ProductFactory.create_batch(
        n,
        merchant=MerchantFactory(slug="shop"),
        category=CategoryFactory(slug="things"),
        with_variants=2,
        with_images=1,
        is_featured=True,
        units_sold=1,
    )
    return products[0]


SIGNED_IN_URLS = [
    "/",
    "/products/",
    "/products/?q=product&in_stock=1",
    "/categories/things/",
    "/merchants/shop/",
]


@pytest.mark.parametrize("n", [10, 100])
@pytest.mark.parametrize("url", [*SIGNED_IN_URLS, "product"])
def test_signed_in_pages_come_from_the_shared_cache(client, django_assert_num_queries, n, url):
    product = catalogue(n)
    is_product = url == "product"
    url = f"/products/{product.slug}/" if is_product else url
    client.get(url)  # cached by an anonymous visitor
    client.force_login(UserFactory(display_name="Ada Byron"))
    # The viewer's first visit fills their personal caches (the likes' decoration of the
    # page's products, the recommendations' parts); with eager Celery it also runs inline the
    # tasks that visit queues (browsing recorded, picks computed), which a worker runs apart.
    client.get(url)

    # the session with its user and the header's badges: the page is the cached one;
    # a product page: whether an open question about it concerns the viewer (social.likes'
    # asks; the share control's friends load when it opens); a merchant page: the viewer's
    # friends who bought from it (reviews.reputation's section, merchant_sections)
    with django_assert_num_queries(1 + (1 if is_product or "merchants" in url else 0)):
        response = client.get(url)

    header = html(response).one("header", cls="site-header").text
    assert "Ada Byron" in header and "Log out" in header


def test_a_frame_read_again_is_taken_from_the_process_memory_not_the_shared_cache(
    client, shop, shared_cache_reads
):
    client.force_login(UserFactory(display_name="Ada Byron"))
    client.get("/products/")  # built, cached, and kept in this process's memory
    frames_read = shared_cache_reads(lambda key: key.endswith(":frame"))

    assert "Ada Byron" in html(client.get("/products/")).one("header", cls="site-header").text
    assert frames_read == []
    page_cache._frames.clear()  # another process: it reads the shared cache once
    client.get("/products/")
    client.get("/products/")
    assert len(frames_read) == 1
    cache_versions.catalog_version_bump()  # the catalogue changed: a frame of new versions
    client.get("/products/")
    assert len(frames_read) == 2 and frames_read[1] != frames_read[0]


@pytest.mark.parametrize("n", [10, 100])
def test_signed_in_visitors_see_their_cart_count_on_a_cached_page(
    client, django_assert_num_queries, n
):
    catalogue(n)
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session["cart_count"] = 3
    session.save()
    client.get("/products/")

    # the likes' decoration of the cards is cached per viewer since the first visit
    # (social.likes.proof_cache)
    with django_assert_num_queries(1):  # the session with its user and the header's badges
        response = client.get("/products/")

    assert html(response).one("a", id="cart-link").attrs["aria-label"] == "Cart, 3 items"


def test_an_order_shows_at_once_to_signed_in_visitors(
    client, shop, django_capture_on_commit_callbacks
):
    lamp, _ = shop
    client.force_login(UserFactory())
    warm(client, ["/products/", "/products/brass-lamp/"])

    order(lamp, 3, django_capture_on_commit_callbacks)

    assert "Out of stock" in text(client, "/products/")
    assert "Out of stock" in text(client, "/products/brass-lamp/")


# --- the per-viewer decoration hook -----------------------------------------------------------


@pytest.fixture
def friends_bought():
    """A decorator as a social app would register: one query for every product on the page."""
    calls = []

    def decorate(*, viewer, product_ids, place):
        calls.append((place, len(product_ids)))
        # One query whatever the number of products, as an audience-filtered read would be.
        titles = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "title"))
        return {
            pk: format_html('<p class="proof">{} friends of {} like {}</p>', 3, viewer, title)
            for pk, title in titles.items()
        }

    page_cache.product_decorator_register(decorate)
    yield calls
    page_cache.product_decorator_unregister(decorate)


@pytest.mark.parametrize("n", [10, 100])
def test_decorations_cost_one_query_per_decorator_whatever_the_number_of_cards(
    client, django_assert_num_queries, friends_bought, n
):
    catalogue(n)
    client.force_login(UserFactory(username="ada"))
    client.get("/products/")

    # the session with its user and the header's badges, the decorator's one query
    # (the likes' decoration is cached per viewer since the first visit: social.likes)
    with django_assert_num_queries(1 + 1):
        response = client.get("/products/")

    cards = html(response).all("article", cls="product-card")
    assert len(cards) == min(n, 24)
    assert all("3 friends of ada like" in card.text for card in cards)
    assert friends_bought[-1] == ("card", min(n, 24))


def test_a_product_page_shows_the_viewers_decoration(client, shop, friends_bought):
    client.force_login(UserFactory(username="ada"))

    page = text(client, "/products/brass-lamp/")

    assert "3 friends of ada like Brass lamp" in page
    # asked for each place of the page: under the title, and below the details
    assert friends_bought == [("page", 1), ("below", 1)]


def test_a_product_page_puts_the_below_place_after_its_buy_box(client, shop):
    def below(*, viewer, product_ids, place):
        if place != "below":
            return {}
        return {pk: format_html('<p class="below-note">{}</p>', "For you") for pk in product_ids}

    page_cache.product_decorator_register(below)
    try:
        client.force_login(UserFactory(username="ada"))
        page = client.get("/products/brass-lamp/").content.decode()
    finally:
        page_cache.product_decorator_unregister(below)

    assert page.count('class="below-note"') == 1
    assert page.index('class="buy-box"') < page.index('class="below-note"')


def test_decorations_never_reach_anonymous_visitors_or_the_cache(client, shop, friends_bought):
    from django.test import Client

    client.force_login(UserFactory(username="ada"))
    warm(client, ["/products/", "/products/brass-lamp/"])

    anonymous = [
        Client().get(url).content.decode() for url in ("/products/", "/products/brass-lamp/")
    ]

    assert all("friends of" not in page for page in anonymous)
    assert all("agora:" not in page for page in anonymous)  # no slot marker is sent


# --- the product API --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 100])
@pytest.mark.parametrize("url", ["/api/v1/products/?page_size=100", "product"])
def test_repeat_api_requests_run_no_query(client, django_assert_num_queries, n, url):
    product = catalogue(n)
    url = f"/api/v1/products/{product.slug}" if url == "product" else url
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == 200
    assert second.json() == first.json()


def test_api_representations_follow_the_host_asked(client, shop, settings):
    settings.ALLOWED_HOSTS = ["testserver", "shop.example"]
    client.get("/api/v1/products/brass-lamp")
    client.get("/api/v1/products/")

    detail = client.get("/api/v1/products/brass-lamp", HTTP_HOST="shop.example").json()
    listed = client.get("/api/v1/products/", HTTP_HOST="shop.example").json()

    assert detail["url"] == "http://shop.example/products/brass-lamp/"
    assert listed["results"][0]["url"].startswith("http://shop.example/")


def test_api_list_links_are_the_requests_own(client):
    ProductFactory.create_batch(5)
    client.get("/api/v1/products/?page_size=2&page=2")

    body = client.get("/api/v1/products/?page_size=2&page=2&utm_source=x").json()

    # As DRF's pagination writes them (parameters sorted).
    assert body["next"] == "http://testserver/api/v1/products/?page=3&page_size=2&utm_source=x"
    assert body["previous"] == "http://testserver/api/v1/products/?page_size=2&utm_source=x"


@pytest.mark.parametrize("url", ["/api/v1/products/", "/api/v1/products/brass-lamp"])
def test_a_price_change_shows_at_once_on_the_api(
    client, shop, url, django_capture_on_commit_callbacks
):
    lamp, _ = shop
    warm(client, [url])
    variant = lamp.variants.get()
    variant.price = 3900

    with django_capture_on_commit_callbacks(execute=True):
        services.variant_save(variant=variant)

    body = client.get(url).json()
    item = body if "slug" in body else next(i for i in body["results"] if i["slug"] == "brass-lamp")
    assert item["price_min"] == 3900


def test_an_unpublished_product_leaves_the_api_at_once(
    client, shop, django_capture_on_commit_callbacks
):
    lamp, _ = shop
    warm(client, ["/api/v1/products/", "/api/v1/products/brass-lamp"])
    lamp.is_published = False

    with django_capture_on_commit_callbacks(execute=True):
        services.product_save(product=lamp)

    assert client.get("/api/v1/products/brass-lamp").status_code == 404
    slugs = [item["slug"] for item in client.get("/api/v1/products/").json()["results"]]
    assert slugs == ["oak-shelf"]


def test_signed_in_search_box_echoes_this_visitors_words_escaped(client, shop):
    client.get("/products/?q=lamp")  # the frame is cached by another visitor's search
    client.force_login(UserFactory())

    page = client.get("/products/", {"q": 'lamp"<b>'})

    search = html(page).one("input", id="site-search-q")
    assert search.attrs["value"] == 'lamp"<b>'
    assert 'value="lamp&quot;&lt;b&gt;"' in page.content.decode()


def test_a_card_rebuilt_in_a_price_filtered_list_keeps_the_prices_in_the_range(
    client, shop, django_capture_on_commit_callbacks
):
    # The lamp sells out while the list stays cached: its card alone is rendered again, and
    # under the list's price filter (€40-€60: its €49.00 variant, not the €19.00 one).
    lamp, _ = shop
    VariantFactory(product=lamp, sku="LAMP-SMALL", price=1900, stock=0)
    url = "/products/?min_price=40&max_price=60&sort=price_asc"
    warm(client, ["/products/", url])

    cart = CartFactory()
    CartLineFactory(cart=cart, variant=Variant.objects.get(sku="LAMP-1"), quantity=3)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_place(
            cart=cart,
            customer=None,
            email="ada@example.com",
            address=order_services.AddressInput(
                full_name="Ada Lovelace",
                line1="12 Rue des Lilas",
                line2="",
                postal_code="75011",
                city="Paris",
                country="FR",
            ),
            shipping_method_id=ShippingMethodFactory().pk,
        )

    card = html(client.get(url)).one("article", cls="product-card--sold-out")
    assert card.one("p", cls="price").text == "€49.00"
    unfiltered = html(client.get("/products/")).all("article", cls="product-card--sold-out")
    assert [c.one("p", cls="price").text for c in unfiltered] == ["From €19.00"]
