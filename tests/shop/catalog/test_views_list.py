"""The product list as a visitor sees it: pages, filters, cards, bad input and prices under
a price filter."""

import pytest

from shop.catalog import cache_versions
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)
from tests.html import html, main_text
from tests.shop.catalog.pages import card_titles, meta

pytestmark = pytest.mark.django_db


def test_product_list_shows_24_per_page_with_a_count_and_pagination(client):
    ProductFactory.create_batch(30)

    response = client.get("/products/")
    doc = html(response)

    assert len(card_titles(response)) == 24
    assert "30 products, showing 1–24" in doc.text
    pages = doc.one("nav", aria_label="Pages")
    assert [a.text for a in pages.all("a")] == ["Page 1", "Page 2", "Next page"]
    assert len(card_titles(client.get("/products/?page=2"))) == 6


def test_pagination_keeps_the_filters(client):
    category = CategoryFactory(slug="lamps")
    ProductFactory.create_batch(25, category=category, title="Lamp")

    doc = html(client.get("/products/?category=lamps&q=lamp&in_stock=1&sort=price_asc"))

    next_link = doc.one("a", rel="next").attrs["href"]
    assert next_link == ("/products/?q=lamp&category=lamps&in_stock=1&sort=price_asc&page=2")


def test_a_page_past_the_end_shows_the_last_page_with_a_message(client):
    ProductFactory.create_batch(30)

    response = client.get("/products/?page=999999")

    assert len(card_titles(response)) == 6
    assert "There is no page 999999; showing the last page (2)." in main_text(response)


def test_search_shows_matches_and_says_what_was_searched(client):
    ProductFactory(title="Brass lamp", description="")
    ProductFactory(title="Oak table", description="")

    response = client.get("/products/?q=lamp")
    doc = html(response)

    assert card_titles(response) == ["Brass lamp"]
    assert doc.one("h1").text == "Results for “lamp”"
    assert doc.one("input", id="site-search-q").attrs["value"] == "lamp"
    assert meta(doc, "robots") == "noindex, follow"


def test_filters_by_category_and_price_and_lists_them_with_remove_links(client):
    lamps = CategoryFactory(name="Lamps", slug="lamps")
    cheap = ProductFactory(title="Cheap lamp", category=lamps, with_variants=0)
    VariantFactory(product=cheap, price=1500)
    dear = ProductFactory(title="Dear lamp", category=lamps, with_variants=0)
    VariantFactory(product=dear, price=9000)
    other = ProductFactory(title="Cheap mug", with_variants=0)
    VariantFactory(product=other, price=1500)

    response = client.get("/products/?category=lamps&min_price=10&max_price=19.99")
    doc = html(response)

    assert card_titles(response) == ["Cheap lamp"]
    chips = {a.text: a.attrs["href"] for a in doc.all("a", cls="chip--removable")}
    assert chips == {
        "Category: Lamps × (remove this filter)": "/products/?min_price=10&max_price=19.99",
        "From: €10.00 × (remove this filter)": "/products/?category=lamps&max_price=19.99",
        "Up to: €19.99 × (remove this filter)": "/products/?category=lamps&min_price=10",
    }
    assert "selected" in doc.one("select", id="id_category").one("option", value="lamps").attrs


@pytest.mark.parametrize(
    ("query", "selected", "default"),
    [
        ("", "", "Newest"),
        ("?sort=newest", "", "Newest"),
        ("?sort=price_asc", "price_asc", "Newest"),
        ("?q=lamp", "", "Relevance"),
        ("?q=lamp&sort=newest", "newest", "Relevance"),
    ],
)
def test_the_default_order_is_sent_as_no_sort_at_all(client, query, selected, default):
    ProductFactory.create_batch(2, title="Desk lamp")

    select = html(client.get(f"/products/{query}")).one("select", id="id_sort")

    options = {option.text: option.attrs["value"] for option in select.all("option")}
    assert options[default] == ""
    assert [o.attrs["value"] for o in select.all("option") if "selected" in o.attrs] == [selected]


def test_filter_form_has_a_label_for_every_control(client):
    ProductFactory.create_batch(2)

    doc = html(client.get("/products/"))

    form = doc.one("form", id="product-filters")
    controls = [c for c in form.all() if c.tag in ("input", "select")]
    controls.append(doc.one("select", id="id_sort"))
    for control in controls:
        if control.attrs.get("type") == "hidden":
            continue
        assert doc.all("label", for_=control.attrs["id"]), control.attrs
    assert form.attrs["method"] == "get"


def test_card_shows_from_price_compare_at_merchant_thumbnail_and_out_of_stock(client):
    merchant = MerchantFactory(name="Lumen")
    product = ProductFactory(title="Lamp", merchant=merchant, with_variants=0)
    VariantFactory(product=product, price=2000, compare_at_price=2500, stock=0)
    VariantFactory(product=product, price=3000, stock=0)
    image = ProductImageFactory(product=product, alt_text="A brass lamp")

    doc = html(client.get("/products/"))

    card = doc.one("article", cls="product-card")
    assert card.text == "Out of stock Lamp Lumen From €20.00 was €25.00"
    img = card.one("img")
    assert (img.attrs["src"], img.attrs["alt"]) == (image.thumbnail.url, "A brass lamp")


def test_card_falls_back_to_the_full_image_without_a_thumbnail(client):
    product = ProductFactory()
    image = ProductImageFactory(product=product, thumbnail="")

    doc = html(client.get("/products/"))

    assert doc.one("article", cls="product-card").one("img").attrs["src"] == image.image.url


def test_empty_result_explains_and_offers_a_way_out(client):
    CategoryFactory(name="Kitchen")
    ProductFactory(title="Lamp")

    response = client.get("/products/?q=unicorn")
    text = main_text(response)

    assert card_titles(response) == []
    assert "No products found" in text
    assert "No products match “unicorn”." in text
    assert "Check the spelling" in text
    assert "Show all products" in text
    assert "Kitchen" in text


NASTY = [
    "sort=cheapest",
    "min_price=abc",
    "max_price=abc",
    "min_price=50&max_price=10",
    "min_price=-1",
    "min_price=1e5",
    "max_price=99999999999999999999999",
    "category=no-such-thing",
    "merchant=no-such-thing",
    "in_stock=maybe",
    "page=abc",
    "page=-1",
    "page=0",
    "page=999999",
    "page=99999999999999999999999999",
    "q=%00",
    "q=" + "a" * 500,
    "q=%27%22%3C%3E%3Bdrop+table",
    "brand=%00%01",
    "category=%00",
    "merchant=%00",
    "min_price=%00",
    "sort=%F0%9F%92%A9",
    "q=a&q=b&page=1&page=2",
]


@pytest.mark.parametrize("query", NASTY)
@pytest.mark.parametrize("path", ["/products/", "/categories/root/", "/merchants/shop/"])
def test_bad_input_never_fails_the_page(client, query, path):
    root = CategoryFactory(slug="root")
    ProductFactory.create_batch(3, category=root, merchant=MerchantFactory(slug="shop"))

    response = client.get(f"{path}?{query}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sort=cheapest", "Choose one of"),
        ("min_price=abc", "Enter a price such as 25 or 19.99."),
        ("min_price=5&max_price=1", "The maximum price must not be below the minimum price."),
        ("category=no-such-thing", "That category does not exist."),
        ("merchant=no-such-thing", "That merchant does not exist."),
        ("page=abc", "“abc” is not a page number; showing page 1."),
    ],
)
def test_bad_input_is_explained_on_the_page(client, query, message):
    ProductFactory.create_batch(2)

    response = client.get(f"/products/?{query}")
    doc = html(response)

    assert message in doc.one("div", role="alert").text
    assert len(card_titles(response)) == 2  # the rest of the filters still apply


def test_a_bad_price_is_shown_on_its_field_with_the_value_typed(client):
    ProductFactory()

    doc = html(client.get("/products/?min_price=abc"))

    field = doc.one("input", id="id_min_price")
    assert field.attrs["value"] == "abc"
    assert field.attrs["aria-invalid"] == "true"
    assert doc.one("ul", id=field.attrs["aria-describedby"]).text == (
        "Enter a price such as 25 or 19.99."
    )


def test_head_request_is_answered(client):
    assert client.head("/products/").status_code == 200


# --- prices under a price filter ---------------------------------------------------------------


@pytest.fixture
def candle():
    product = ProductFactory(title="Candle holder", with_variants=0, description="")
    for price in (2795, 5900, 8900, 25000):
        VariantFactory(product=product, price=price)
    return product


def card_price(response, title: str = "Candle holder") -> str:
    cards = html(response).all("article", cls="product-card")
    [card] = [card for card in cards if card.one("a", cls="product-card__link").text == title]
    return card.one("p", cls="price").text


def test_card_under_a_price_filter_shows_the_prices_in_the_range(client, candle):
    assert card_price(client.get("/products/")) == "From €27.95"

    assert card_price(client.get("/products/?min_price=50&max_price=200")) == "From €59.00"
    assert card_price(client.get("/products/?min_price=80&max_price=200")) == "€89.00"
    # Each list keeps its own cards in the cache.
    assert card_price(client.get("/products/")) == "From €27.95"
    assert card_price(client.get("/products/?min_price=50&max_price=200")) == "From €59.00"


def test_cached_cards_of_a_price_filtered_list_and_of_the_full_list_stay_apart(client, candle):
    # Another product sells out: every page is put together again from its cached list and
    # cached cards (the lists are in a sort asked for, which stock does not change).
    other = ProductFactory()
    full, filtered = "/products/?sort=price_asc", "/products/?sort=price_asc&min_price=50"
    client.get(full), client.get(filtered)

    cache_versions.product_stock_bump(slugs=[other.slug], flipped_ids=[other.pk])

    assert card_price(client.get(filtered)) == "From €59.00"
    assert card_price(client.get(full)) == "From €27.95"


def test_card_under_a_price_filter_on_category_and_merchant_pages(client, candle):
    category, merchant = candle.category.slug, candle.merchant.slug

    for url in (f"/categories/{category}/", f"/merchants/{merchant}/"):
        assert card_price(client.get(f"{url}?min_price=50")) == "From €59.00"
