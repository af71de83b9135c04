"""A product's page as a visitor, a search engine or a link preview sees it."""

import json

import pytest

from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)
from tests.html import Node, html, main_text
from tests.shop.catalog.pages import meta

pytestmark = pytest.mark.django_db


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
