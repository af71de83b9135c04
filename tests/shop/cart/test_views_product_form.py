"""Adding to the cart from the product page: its form, with and without htmx, from the cached
page, and CSRF."""

import pytest
from django.test import Client

from shop.cart.models import CartLine
from tests.factories import (
    ProductFactory,
    VariantFactory,
)
from tests.html import html
from tests.shop.cart.pages import (
    HTMX,
    SAME_ORIGIN,
    add,
    header_cart,
    messages_text,
    visitor_lines,
)

pytestmark = pytest.mark.django_db


# --- the product page's form ------------------------------------------------------------------


def test_product_page_form_posts_the_picked_option_and_a_labelled_quantity(client, lamp):
    doc = html(client.get("/products/brass-lamp/"))

    picker = doc.one("form", id="buy-form")
    quantity = doc.one("input", name="quantity")
    add = doc.one("button", formaction="/cart/add/")
    assert quantity.attrs["form"] == add.attrs["form"] == "buy-form"
    assert add.attrs["formmethod"] == "post"
    assert add.text == "Add to cart"
    assert doc.one("label", for_="add-to-cart-quantity").text == "Quantity"
    assert quantity.attrs["id"] == "add-to-cart-quantity"
    # The variant posted is the radio the shopper picked (Large, the one in stock, by default).
    checked = [r for r in picker.all("input", type="radio") if "checked" in r.attrs]
    assert [r.attrs["value"] for r in checked] == [str(lamp.variants.get(sku="LAMP-L").pk)]


def test_a_single_option_product_posts_its_variant_from_its_own_form(client, mug):
    doc = html(client.get("/products/blue-mug/"))

    form = doc.one("form", id="buy-form")
    assert (form.attrs["method"], form.attrs["action"]) == ("post", "/cart/add/")
    hidden = form.one("input", name="variant")
    assert hidden.attrs["value"] == str(mug.variants.get().pk)
    assert [b.text for b in doc.one("main").all("button")] == ["Add to cart"]


def test_a_sold_out_product_says_so_and_cannot_be_added(client):
    product = ProductFactory(slug="gone", with_variants=0)
    VariantFactory(product=product, stock=0)

    doc = html(client.get("/products/gone/"))

    button = doc.one("main").one("button")
    assert button.text == "Sold out"
    assert "disabled" in button.attrs
    assert not doc.all("input", name="quantity")


def test_adding_without_javascript_returns_to_the_product_with_a_message_and_the_count(
    client, lamp
):
    large = lamp.variants.get(sku="LAMP-L")

    response = client.post("/cart/add/", {"variant": large.pk, "quantity": "2"}, follow=True)

    assert response.redirect_chain == [(f"/products/brass-lamp/?variant={large.pk}", 302)]
    assert "Added 2 × Brass lamp – Large to your cart." in messages_text(response)
    assert header_cart(response) == "Cart, 2 items"
    assert visitor_lines(client) == [("LAMP-L", 2)]


def test_adding_more_than_the_stock_says_how_many_the_cart_holds(client, lamp):
    large = lamp.variants.get(sku="LAMP-L")
    add(client, large, 2)

    response = client.post("/cart/add/", {"variant": large.pk, "quantity": "2"}, follow=True)

    assert "Added Brass lamp – Large to your cart. Only 3 in stock: your cart now holds 3." in (
        messages_text(response)
    )
    assert visitor_lines(client) == [("LAMP-L", 3)]


def test_adding_a_sold_out_option_goes_back_with_an_error(client, lamp):
    small = lamp.variants.get(sku="LAMP-S")

    response = client.post(
        "/cart/add/",
        {"variant": small.pk},
        HTTP_REFERER="http://testserver/products/brass-lamp/",
        follow=True,
    )

    assert response.redirect_chain == [("http://testserver/products/brass-lamp/", 302)]
    assert "Sorry, Brass lamp – Small is sold out." in messages_text(response)
    assert visitor_lines(client) == []


def test_adding_with_htmx_answers_the_status_and_the_header_count(client, mug):
    variant = mug.variants.get()

    response = client.post("/cart/add/", {"variant": variant.pk, "quantity": "3"}, **HTMX)

    assert response.status_code == 200
    doc = html(response)
    assert doc.one("p", cls="message--success").text == (
        "Added 3 × Blue mug to your cart. View your cart"
    )
    link = doc.one("a", id="cart-link")
    assert link.attrs["hx-swap-oob"] == "true"
    assert header_cart(response) == "Cart, 3 items"
    assert b"<html" not in response.content


def test_a_failed_htmx_add_answers_the_error_in_place(client, lamp):
    small = lamp.variants.get(sku="LAMP-S")

    response = client.post("/cart/add/", {"variant": small.pk}, **HTMX)

    assert response.status_code == 200
    assert html(response).one("p", cls="message--error").text == (
        "Sorry, Brass lamp – Small is sold out."
    )


# --- the cached product page and CSRF ---------------------------------------------------------


def test_a_fresh_visitor_adds_to_cart_from_the_cached_product_page(lamp, django_assert_num_queries):
    Client().get("/products/brass-lamp/")  # someone else's visit caches the whole page
    visitor = Client(enforce_csrf_checks=True)

    with django_assert_num_queries(0):
        page = visitor.get("/products/brass-lamp/")
    doc = html(page)
    assert not doc.all("input", name="csrfmiddlewaretoken")  # nobody's token is in the cache
    assert "csrftoken" not in page.cookies
    # Post what the browser would: the picked radio and the quantity of the buy form.
    picked = next(r for r in doc.all("input", type="radio") if "checked" in r.attrs)
    add = doc.one("button", formaction="/cart/add/")
    response = visitor.post(
        add.attrs["formaction"],
        {"variant": picked.attrs["value"], "quantity": "2"},
        **SAME_ORIGIN,
        follow=True,
    )

    assert response.status_code == 200
    assert "Added 2 × Brass lamp – Large to your cart." in messages_text(response)
    assert header_cart(response) == "Cart, 2 items"
    assert visitor_lines(visitor) == [("LAMP-L", 2)]


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {},  # no word from the browser and no token
    ],
)
def test_a_tokenless_add_from_another_site_is_refused(mug, headers):
    visitor = Client(enforce_csrf_checks=True)

    response = visitor.post("/cart/add/", {"variant": mug.variants.get().pk}, **headers)

    assert response.status_code == 403
    assert not CartLine.objects.exists()


def test_an_add_that_carries_a_token_is_checked_like_any_form(mug):
    visitor = Client(enforce_csrf_checks=True)

    response = visitor.post(
        "/cart/add/",
        {"variant": mug.variants.get().pk, "csrfmiddlewaretoken": "x" * 64},
        **SAME_ORIGIN,
    )

    assert response.status_code == 403
    assert not CartLine.objects.exists()


def test_the_cart_pages_forms_need_their_token(client):
    visitor = Client(enforce_csrf_checks=True)
    visitor.post("/cart/add/", {"variant": VariantFactory().pk}, **SAME_ORIGIN)
    line = CartLine.objects.get()

    refused = visitor.post(f"/cart/lines/{line.pk}/remove/", **SAME_ORIGIN)
    token = html(visitor.get("/cart/")).all("input", name="csrfmiddlewaretoken")[0]
    removed = visitor.post(
        f"/cart/lines/{line.pk}/remove/", {"csrfmiddlewaretoken": token.attrs["value"]}
    )

    assert refused.status_code == 403
    assert removed.status_code == 302
    assert not CartLine.objects.exists()
