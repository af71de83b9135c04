"""The storefront pages as a visitor (and a search engine or a link preview) sees them."""

import json

import pytest
from django.core.files.base import ContentFile

from shop.catalog import cache_versions
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
    image_bytes,
)
from tests.html import Node, html, main_text

pytestmark = pytest.mark.django_db

# --- a small HTML reader (the standard library's parser; no extra package) -------------------


def card_titles(response) -> list[str]:
    return [link.text for link in html(response).all("a", cls="product-card__link")]


def meta(doc: Node, name: str) -> str:
    tags = doc.all("meta", property=name) or doc.all("meta", name=name)
    assert len(tags) == 1, f"expected one <meta> {name}"
    return tags[0].attrs["content"]


# --- home -------------------------------------------------------------------------------------


def test_home_shows_featured_new_and_best_selling_products(client):
    ProductFactory(title="Featured lamp", is_featured=True)
    ProductFactory(title="Popular mug", units_sold=12)
    ProductFactory(title="Draft chair", is_featured=True, is_published=False)

    doc = html(client.get("/"))

    sections = {s.one("h2").text: s for s in doc.all("section") if s.all("h2")}
    assert [n.text for n in sections["Featured"].all("a", cls="product-card__link")] == [
        "Featured lamp"
    ]
    assert "Popular mug" in sections["Best sellers"].text
    assert "Featured lamp" in sections["New arrivals"].text
    assert "Draft chair" not in doc.text


def test_home_has_an_empty_state_for_each_section_with_nothing_in_it(client):
    text = main_text(client.get("/"))

    assert "Nothing featured right now." in text
    assert "No products yet." in text
    assert "No best sellers yet." in text


def test_home_links_to_top_categories(client):
    root = CategoryFactory(name="Kitchen", slug="kitchen")
    CategoryFactory(name="Knives", parent=root)

    doc = html(client.get("/"))

    links = {a.text: a.attrs["href"] for a in doc.all("a", cls="chip")}
    assert links == {"Kitchen": "/categories/kitchen/"}


def test_every_page_has_one_h1_labelled_search_and_alt_on_every_image(client):
    product = ProductFactory(with_variants=2, with_images=2, is_featured=True)
    urls = [
        "/",
        "/products/",
        "/products/?q=zzz",
        f"/products/{product.slug}/",
        f"/categories/{product.category.slug}/",
        f"/merchants/{product.merchant.slug}/",
    ]

    for url in urls:
        doc = html(client.get(url))

        assert len(doc.all("h1")) == 1, url
        assert all("alt" in img.attrs for img in doc.all("img")), url
        search = doc.one("input", id="site-search-q")
        assert doc.one("label", for_="site-search-q").text == "Search products"
        assert search.attrs["name"] == "q"


# --- product list -----------------------------------------------------------------------------


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


# --- category and merchant pages --------------------------------------------------------------


def test_category_page_lists_products_of_its_descendants_with_breadcrumbs_and_subcategories(client):
    home = CategoryFactory(name="Home", slug="home")
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen", parent=home)
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen)
    ProductFactory(title="Chef knife", category=knives)
    ProductFactory(title="Pan", category=kitchen)
    ProductFactory(title="Sofa", category=home)
    ProductFactory(title="Shirt")

    response = client.get("/categories/kitchen/")
    doc = html(response)

    assert doc.one("h1").text == "Kitchen"
    assert sorted(card_titles(response)) == ["Chef knife", "Pan"]
    crumbs = doc.one("nav", aria_label="Breadcrumb")
    assert [(a.text, a.attrs["href"]) for a in crumbs.all("a")] == [
        ("Home", "/"),
        ("Home", "/categories/home/"),
        ("Kitchen", "/categories/kitchen/"),
    ]
    subcategories = doc.one("nav", aria_label="Subcategories of Kitchen")
    assert [a.attrs["href"] for a in subcategories.all("a")] == ["/categories/knives/"]
    assert not doc.all("select", id="id_category")  # the page itself is the category


def test_category_page_filters_keep_the_category(client):
    lamps = CategoryFactory(slug="lamps")
    product = ProductFactory(title="Lamp", category=lamps, with_variants=0)
    VariantFactory(product=product, price=1000)
    other = ProductFactory(title="Pricey lamp", category=lamps, with_variants=0)
    VariantFactory(product=other, price=9000)

    response = client.get("/categories/lamps/?max_price=20")

    assert card_titles(response) == ["Lamp"]
    assert html(response).one("form", id="product-filters").attrs["action"] == "/categories/lamps/"


def test_unknown_category_is_404(client):
    assert client.get("/categories/nothing-here/").status_code == 404


def test_merchant_page_shows_its_header_and_only_its_products(client):
    merchant = MerchantFactory(
        name="Lumen",
        slug="lumen",
        description="Lamps made in Porto.",
        logo=ContentFile(image_bytes(), name="logo.png"),
    )
    ProductFactory(title="Desk lamp", merchant=merchant)
    ProductFactory(title="Someone else's")

    response = client.get("/merchants/lumen/")
    doc = html(response)

    assert doc.one("h1").text == "Lumen"
    assert "Lamps made in Porto." in doc.one("header", cls="merchant-header").text
    assert doc.one("img", cls="merchant-header__logo").attrs["alt"] == "Lumen logo"
    assert card_titles(response) == ["Desk lamp"]
    assert not doc.all("select", id="id_merchant")


def test_unknown_merchant_is_404(client):
    assert client.get("/merchants/nobody/").status_code == 404


# --- product page -----------------------------------------------------------------------------


@pytest.fixture
def lamp():
    home = CategoryFactory(name="Home", slug="home")
    lighting = CategoryFactory(name="Lighting", slug="lighting", parent=home)
    product = ProductFactory(
        title="Brass lamp",
        slug="brass-lamp",
        brand="Lumen",
        category=lighting,
        description="A warm light.\n\nMade by hand.",
        attributes={"material": "brass"},
        merchant=MerchantFactory(name="Lumen shop", slug="lumen-shop"),
        with_variants=0,
    )
    VariantFactory(product=product, name="Small", sku="LAMP-S", price=4900, stock=0, position=0)
    VariantFactory(
        product=product,
        name="Large",
        sku="LAMP-L",
        price=6900,
        compare_at_price=7900,
        stock=3,
        position=1,
    )
    ProductImageFactory(product=product, alt_text="The lamp, lit", position=0)
    ProductImageFactory(product=product, alt_text="The lamp from above", position=1)
    return product


def test_product_page_shows_what_a_shopper_needs(client, lamp):
    doc = html(client.get("/products/brass-lamp/"))

    assert doc.one("h1").text == "Brass lamp"
    assert "Brand: Lumen" in doc.text
    assert doc.one("a", href="/merchants/lumen-shop/").text == "Lumen shop"
    crumbs = doc.one("nav", aria_label="Breadcrumb")
    assert crumbs.text == "Home Home Lighting Brass lamp"
    assert "Made by hand." in doc.one("section", aria_labelledby="product-description").text
    assert doc.one("dl", cls="attributes").text == "Material brass"
    gallery = doc.one("div", cls="gallery")
    assert [img.attrs["alt"] for img in gallery.all("img")] == [
        "The lamp, lit",
        "The lamp, lit",
        "The lamp from above",
    ]


def test_product_page_selects_the_first_variant_in_stock_by_default(client, lamp):
    doc = html(client.get("/products/brass-lamp/"))

    box = doc.one("div", cls="buy-box")
    assert box.text == "Price: €69.00 was €79.00 Only 3 left SKU LAMP-L"
    checked = [r for r in doc.all("input", type="radio") if "checked" in r.attrs]
    assert [r.attrs["value"] for r in checked] == [str(lamp.variants.get(sku="LAMP-L").pk)]


def test_variant_query_parameter_selects_a_variant(client, lamp):
    small = lamp.variants.get(sku="LAMP-S")

    doc = html(client.get(f"/products/brass-lamp/?variant={small.pk}"))

    assert doc.one("div", cls="buy-box").text == "Price: €49.00 Out of stock SKU LAMP-S"
    picker = doc.one("form", cls="variant-picker")
    assert picker.attrs["method"] == "get"
    labels = [label.text for label in picker.all("label")]
    assert labels == ["Small (out of stock)", "Large"]


@pytest.mark.parametrize("variant", ["abc", "0", "999999", "%00", "1" * 40])
def test_unknown_variant_shows_another_with_a_message(client, lamp, variant):
    response = client.get(f"/products/brass-lamp/?variant={variant}")

    assert response.status_code == 200
    assert "That option is not available" in main_text(response)
    assert "SKU LAMP-L" in main_text(response)


def test_variant_data_for_the_picker_script(client, lamp):
    doc = html(client.get("/products/brass-lamp/"))

    data = json.loads(doc.one("script", id="variant-data").children[0])
    assert [(v["sku"], v["price"], v["compare_at"], v["stock"], v["in_stock"]) for v in data] == [
        ("LAMP-S", "€49.00", "", "Out of stock", False),
        ("LAMP-L", "€69.00", "€79.00", "Only 3 left", True),
    ]


def main_picture(doc: Node) -> Node:
    [main] = [img for img in doc.all("img") if "data-gallery-main" in img.attrs]
    return main


def test_main_picture_has_a_1x_and_2x_source_for_high_density_screens(client, lamp):
    first, second = lamp.images.order_by("position")
    first.display, first.display_2x = "catalog/a/one.webp", "catalog/a/one-2x.webp"
    first.save()
    second.display = "catalog/a/two.webp"  # an image no larger than the 1x has no 2x
    second.save()

    doc = html(client.get("/products/brass-lamp/"))

    main = main_picture(doc)
    assert main.attrs["src"] == "/media/catalog/a/one.webp"
    assert main.attrs["srcset"] == "/media/catalog/a/one.webp 1x, /media/catalog/a/one-2x.webp 2x"
    thumbs = {a.attrs["data-alt"]: a for a in doc.all("a", cls="gallery__thumb")}
    assert thumbs["The lamp, lit"].attrs["data-srcset"] == main.attrs["srcset"]
    assert thumbs["The lamp from above"].attrs["data-full"] == "/media/catalog/a/two.webp"
    assert thumbs["The lamp from above"].attrs["data-srcset"] == ""
    # The link without JavaScript opens the stored picture itself.
    assert thumbs["The lamp from above"].attrs["href"] == second.image.url


def test_main_picture_of_an_image_stored_before_renditions_is_the_picture(client, lamp):
    first = lamp.images.order_by("position").first()

    main = main_picture(html(client.get("/products/brass-lamp/")))

    assert main.attrs["src"] == first.image.url
    assert "srcset" not in main.attrs


@pytest.mark.parametrize(("stock", "level"), [(0, "out"), (1, "low"), (5, "low"), (6, "in")])
def test_stock_message_has_the_level_of_stock_as_its_class(client, lamp, stock, level):
    Variant = lamp.variants.model
    Variant.objects.filter(sku="LAMP-L").update(stock=stock)

    stock_node = html(
        client.get("/products/brass-lamp/?variant=" + str(Variant.objects.get(sku="LAMP-L").pk))
    ).one("p", cls="stock")

    assert stock_node.attrs["class"] == f"stock stock--{level}"
    data = json.loads(
        html(client.get("/products/brass-lamp/")).one("script", id="variant-data").children[0]
    )
    assert data[1]["stock_level"] == level


def test_product_page_has_open_graph_and_schema_org_data(client, lamp, settings):
    settings.SITE_URL = "https://shop.example"

    doc = html(client.get("/products/brass-lamp/"))

    assert meta(doc, "og:title") == "Brass lamp"
    assert meta(doc, "og:type") == "product"
    assert meta(doc, "og:url") == "https://shop.example/products/brass-lamp/"
    assert meta(doc, "og:description") == "A warm light. Made by hand."
    image = lamp.images.order_by("position").first()
    assert meta(doc, "og:image") == f"https://shop.example{image.image.url}"
    data = json.loads(doc.one("script", type="application/ld+json").children[0])
    assert data["@type"] == "Product"
    assert data["name"] == "Brass lamp"
    assert data["sku"] == "LAMP-L"
    assert data["brand"] == {"@type": "Brand", "name": "Lumen"}
    assert data["image"][0] == f"https://shop.example{image.image.url}"
    assert data["offers"]["price"] == "69.00"
    assert data["offers"]["priceCurrency"] == "EUR"
    assert data["offers"]["availability"] == "https://schema.org/InStock"


def test_json_ld_follows_the_selected_variant_and_cannot_break_out_of_its_script(client, lamp):
    lamp.title = "</script><script>alert(1)</script>"
    lamp.save()
    small = lamp.variants.get(sku="LAMP-S")

    content = client.get(f"/products/brass-lamp/?variant={small.pk}").content.decode()

    assert "<script>alert(1)" not in content
    doc = html(client.get(f"/products/brass-lamp/?variant={small.pk}"))
    data = json.loads(doc.one("script", type="application/ld+json").children[0])
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert data["name"] == "</script><script>alert(1)</script>"


def test_product_page_has_add_to_cart_and_the_no_javascript_picker_submit(client, lamp):
    doc = html(client.get("/products/brass-lamp/"))

    buttons = [b.text for b in doc.one("main").all("button")]
    assert buttons == ["Add to cart", "Show this option"]  # the second: the picker without JS


def test_product_without_images_or_variants_shows_placeholder_and_unavailable(client):
    product = ProductFactory(title="Coming soon", with_variants=0)

    response = client.get(f"/products/{product.slug}/")
    doc = html(response)

    assert doc.one("div", cls="gallery").one("img").attrs["alt"] == "No photo of Coming soon yet"
    assert "Not available at the moment." in main_text(response)
    assert not doc.all("meta", property="og:image")


@pytest.mark.parametrize("slug", ["nothing-here", "draft"])
def test_unknown_or_unpublished_product_is_404(client, slug):
    ProductFactory(slug="draft", is_published=False)

    assert client.get(f"/products/{slug}/").status_code == 404


# --- what a list says it shows ----------------------------------------------------------------


@pytest.fixture
def clothing():
    clothing = CategoryFactory(name="Clothing", slug="clothing")
    shop = MerchantFactory(name="Maison Verte", slug="maison-verte")
    ProductFactory(title="Linen shirt", category=clothing, merchant=shop, description="")
    ProductFactory(title="Wool tent", description="")
    return clothing


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/products/", "All products"),
        ("/products/?category=clothing", "Clothing"),
        ("/products/?q=shirt", "Results for “shirt”"),
        ("/products/?q=shirt&category=clothing", "Results for “shirt” in Clothing"),
        ("/products/?merchant=maison-verte", "Maison Verte"),
        ("/products/?category=clothing&merchant=maison-verte", "Clothing from Maison Verte"),
        ("/products/?q=shirt&merchant=maison-verte", "Results for “shirt” from Maison Verte"),
        ("/products/?category=no-such-thing", "All products"),
        ("/categories/clothing/", "Clothing"),
        ("/categories/clothing/?q=shirt", "Results for “shirt” in Clothing"),
        ("/merchants/maison-verte/", "Maison Verte"),
        ("/merchants/maison-verte/?category=clothing", "Clothing from Maison Verte"),
    ],
)
def test_heading_and_title_name_what_the_list_shows(client, clothing, url, heading):
    doc = html(client.get(url))

    assert doc.one("h1").text == heading
    assert doc.one("title").text == f"{heading} · Agora"


def test_title_of_a_later_page_says_which(client, clothing):
    ProductFactory.create_batch(24, category=clothing)

    doc = html(client.get("/products/?category=clothing&page=2"))

    assert doc.one("title").text == "Clothing (page 2) · Agora"


def test_a_search_that_finds_nothing_offers_the_spelling_that_does(client):
    ProductFactory(title="Ridge tent", description="", category=CategoryFactory(slug="tents"))

    doc = html(client.get("/products/?q=tnet&category=tents&sort=price_asc"))

    assert "No products match “tnet”" in doc.one("main").text
    offer = doc.one("p", cls="search-suggestion")
    assert offer.text == "Did you mean “tent”?"
    assert offer.one("a").attrs["href"] == "/products/?q=tent&category=tents&sort=price_asc"


def test_a_search_that_finds_something_offers_no_other_spelling(client):
    ProductFactory(title="Ridge tent", description="")
    ProductFactory(title="Tnet cable", description="")

    assert not html(client.get("/products/?q=tnet")).all("p", cls="search-suggestion")


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


# --- htmx ---------------------------------------------------------------------------------------


def test_filters_apply_on_change_with_htmx_and_keep_their_buttons(client, clothing):
    ProductFactory(category=clothing)  # two products: the sort control shows

    doc = html(client.get("/categories/clothing/"))

    form = doc.one("form", id="product-filters")
    assert (form.attrs["method"], form.attrs["action"]) == ("get", "/categories/clothing/")
    assert form.attrs["hx-get"] == "/categories/clothing/"
    assert form.attrs["hx-trigger"] == "change, submit, change from:#sort-control"
    assert form.attrs["hx-push-url"] == "true"
    target = form.attrs["hx-target"]
    assert doc.all("div", id=target.removeprefix("#"))
    for selector in form.attrs["hx-select-oob"].split(","):
        assert len(doc.all(id=selector.split(":")[0].removeprefix("#"))) == 1, selector
    # Without JavaScript the buttons apply the filters and the sort.
    assert form.one("button", type="submit").text == "Apply filters"
    assert doc.one("button", form="product-filters").text == "Sort"


def test_an_htmx_request_gets_the_same_page_and_a_clean_address(client, clothing):
    query = "q=&category=clothing&brand=&min_price=&max_price=&sort=newest&utm_source=x"
    page = client.get(f"/products/?{query}")

    response = client.get(f"/products/?{query}", headers={"HX-Request": "true"})

    assert response.content == page.content
    assert response["HX-Push-Url"] == "/products/?category=clothing&sort=newest"
    assert "HX-Push-Url" not in page
    assert "HX-Request" in response["Vary"] and "HX-Request" in page["Vary"]


def test_an_htmx_request_with_every_filter_empty_pushes_the_bare_address(client, clothing):
    response = client.get("/categories/clothing/?q=&brand=", headers={"HX-Request": "true"})

    assert response["HX-Push-Url"] == "/categories/clothing/"


# --- query counts -----------------------------------------------------------------------------


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

    # session, user, the Friends badge: the page's parts and cards come from the cache (issue 7:
    # signed-in visitors no longer bypass it; tests/shop/catalog/test_page_cache.py)
    # and the bell's unread count (social.notifications)
    # (the likes' decoration is cached per viewer since the first visit: social.likes)
    with django_assert_num_queries(4):
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
