"""What a list says it shows: its heading and title, and the spelling a search that found
nothing offers."""

import pytest

from tests.factories import (
    CategoryFactory,
    ProductFactory,
)
from tests.html import html

pytestmark = pytest.mark.django_db


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
