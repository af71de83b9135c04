"""The product list with htmx: filters apply on change, the address stays clean."""

import pytest

from tests.factories import (
    ProductFactory,
)
from tests.html import html

pytestmark = pytest.mark.django_db


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
