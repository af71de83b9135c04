"""A category's and a merchant's page as a visitor sees them."""

import pytest
from django.core.files.base import ContentFile

from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    VariantFactory,
    image_bytes,
)
from tests.html import html
from tests.shop.catalog.pages import card_titles

pytestmark = pytest.mark.django_db


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
