"""The home page as a visitor sees it, and what every storefront page owes them (one h1,
a labelled search, alt text)."""

import pytest

from tests.factories import (
    CategoryFactory,
    ProductFactory,
)
from tests.html import html, main_text

pytestmark = pytest.mark.django_db


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
