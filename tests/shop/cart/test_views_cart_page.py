"""/cart/ as a shopper uses it: lines, quantities, removal, discount codes, with and without
htmx (the views then answer with the changed part and the header count out of band)."""

import pytest

from shop.cart.models import Cart, CartLine
from tests.factories import (
    DiscountCodeFactory,
)
from tests.html import html, main_text
from tests.shop.cart.pages import (
    HTMX,
    add,
    header_cart,
    messages_text,
    visitor_lines,
)

pytestmark = pytest.mark.django_db


# --- the cart page ----------------------------------------------------------------------------


def test_an_empty_cart_says_so_and_links_to_the_products(client):
    response = client.get("/cart/")

    doc = html(response)
    assert doc.one("h1").text == "Your cart"
    assert "Your cart is empty" in main_text(response)
    assert doc.one("main").one("a", href="/products/").text == "Browse all products"
    assert "sessionid" not in response.cookies  # looking costs a visitor no session


def test_the_cart_page_shows_each_line_with_its_forms_and_the_totals(client, lamp, mug):
    add(client, lamp.variants.get(sku="LAMP-L"), 2)
    add(client, mug.variants.get())
    lamp_line = CartLine.objects.get(variant__sku="LAMP-L")

    response = client.get("/cart/")

    doc = html(response)
    line = doc.one("li", id=f"cart-line-{lamp_line.pk}")
    assert line.one("img").attrs["alt"] == "The lamp, lit"
    assert line.one("a").attrs["href"] == f"/products/brass-lamp/?variant={lamp_line.variant_id}"
    assert "Large" in line.one("p", cls="cart-line__meta").text
    assert line.one("p", cls="cart-line__price").text == "Price: €69.00 each"
    assert line.one("label").text == "Quantity for Brass lamp"
    assert line.one("input", name="quantity").attrs["value"] == "2"
    assert [b.text for b in line.all("button")] == ["Update Brass lamp", "Remove Brass lamp"]
    assert line.one("p", cls="cart-line__total").text == "Line total: €138.00"
    assert doc.one("dl", cls="totals").text == ("Subtotal (3 items) €150.00 Total €150.00")
    assert doc.one("label", for_="cart-discount-code").text == "Discount code"
    assert doc.one("main").one("a", href="/checkout/").text == "Checkout"
    assert header_cart(response) == "Cart, 3 items"


def test_changing_a_quantity_without_javascript(client, mug):
    add(client, mug.variants.get())
    line = CartLine.objects.get()

    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": "4"}, follow=True)

    assert response.redirect_chain == [("/cart/", 302)]
    assert "You now have 4 × Blue mug." in messages_text(response)
    assert visitor_lines(client) == [("MUG", 4)]
    assert header_cart(response) == "Cart, 4 items"


def test_more_than_the_stock_is_refused_with_a_message_and_the_line_kept(client, lamp):
    add(client, lamp.variants.get(sku="LAMP-L"))
    line = CartLine.objects.get()

    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": "5"}, follow=True)

    assert "Sorry, only 3 of Brass lamp – Large left." in messages_text(response)
    assert visitor_lines(client) == [("LAMP-L", 1)]


def test_a_quantity_of_zero_removes_the_line(client, mug):
    add(client, mug.variants.get())
    line = CartLine.objects.get()

    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": "0"}, follow=True)

    assert "Removed Blue mug from your cart." in messages_text(response)
    assert "Your cart is empty" in main_text(response)


def test_removing_a_line_without_javascript(client, mug):
    add(client, mug.variants.get())
    line = CartLine.objects.get()

    response = client.post(f"/cart/lines/{line.pk}/remove/", follow=True)

    assert "Removed Blue mug from your cart." in messages_text(response)
    assert header_cart(response) == "Cart, 0 items"
    assert not CartLine.objects.exists()


def test_stock_problems_are_shown_on_their_line(client, lamp):
    large = lamp.variants.get(sku="LAMP-L")
    add(client, large, 3)
    large.stock = 1
    large.save()
    line = CartLine.objects.get()

    doc = html(client.get("/cart/"))

    problem = doc.one("li", id=f"cart-line-{line.pk}").one("p", cls="stock--out")
    assert problem.text == "Only 1 left. Lower the quantity to check out."
    assert doc.one("input", name="quantity").attrs["aria-describedby"] == problem.attrs["id"]


def test_a_discount_code_is_applied_shown_and_removed(client, mug):
    DiscountCodeFactory(code="TENOFF", kind="percent", value=10)
    add(client, mug.variants.get(), 2)

    applied = client.post("/cart/discount/", {"code": " tenoff "}, follow=True)
    removed = client.post("/cart/discount/remove/", follow=True)

    assert "Code TENOFF applied: 10% off." in messages_text(applied)
    assert html(applied).one("dl", cls="totals").text == (
        "Subtotal (2 items) €24.00 Discount TENOFF −€2.40 Total €21.60"
    )
    assert "Remove code" in main_text(applied)
    assert "Removed the code TENOFF." in messages_text(removed)
    assert html(removed).one("dl", cls="totals").text == "Subtotal (2 items) €24.00 Total €24.00"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("NOPE", "There is no discount code “NOPE”."),
        ("", "Enter a discount code."),
        ("BIG", "Spend €38.00 more to use the code BIG"),
    ],
)
def test_a_code_that_cannot_be_used_is_explained_next_to_the_field(client, mug, code, message):
    DiscountCodeFactory(code="BIG", min_subtotal=5000)
    add(client, mug.variants.get())

    response = client.post("/cart/discount/", {"code": code}, follow=True)

    field = html(response).one("input", id="cart-discount-code")
    error = html(response).one("p", id="cart-discount-code-error")
    assert message in error.text
    assert field.attrs["aria-describedby"] == "cart-discount-code-error"
    assert field.attrs["aria-invalid"] == "true"
    assert field.attrs.get("value") == (code or None)  # what was typed stays in the field
    assert messages_text(response) == ""  # said once, beside the field
    assert Cart.objects.get().discount_code is None


def test_a_wrong_code_through_htmx_answers_the_cart_with_the_error_and_the_code_kept(client, mug):
    add(client, mug.variants.get(), 3)

    response = client.post("/cart/discount/", {"code": "SPRNG10"}, **HTMX)

    assert b"<html" not in response.content
    fragment = html(response).one("div", id="cart-contents")
    field = fragment.one("input", id="cart-discount-code")
    assert field.attrs["value"] == "SPRNG10"
    assert field.attrs["aria-invalid"] == "true"
    assert "autofocus" in field.attrs
    assert fragment.one("p", id="cart-discount-code-error").text == (
        "There is no discount code “SPRNG10”."
    )
    assert fragment.one("input", name="quantity").attrs["value"] == "3"


def test_the_cart_page_has_no_discount_error_until_a_code_is_refused(client, mug):
    add(client, mug.variants.get())

    field = html(client.get("/cart/")).one("input", id="cart-discount-code")

    assert "aria-invalid" not in field.attrs
    assert "value" not in field.attrs


def test_a_code_that_stopped_applying_is_explained_on_the_cart(client, mug):
    code = DiscountCodeFactory(code="SOON", kind="fixed", value=500)
    add(client, mug.variants.get())
    client.post("/cart/discount/", {"code": "SOON"})
    code.is_active = False
    code.save()

    response = client.get("/cart/")

    assert "The code SOON is no longer valid." in main_text(response)
    assert html(response).one("dl", cls="totals").text == "Subtotal (1 item) €12.00 Total €12.00"


# --- htmx on the cart page --------------------------------------------------------------------


def test_an_htmx_change_answers_the_cart_fragment_and_the_header_count(client, mug):
    add(client, mug.variants.get())
    line = CartLine.objects.get()

    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": "5"}, **HTMX)

    assert response.status_code == 200
    assert b"<html" not in response.content
    doc = html(response)
    fragment = doc.one("div", id="cart-contents")
    assert fragment.one("p", cls="message--success").text == "You now have 5 × Blue mug."
    assert fragment.one("input", name="quantity").attrs["value"] == "5"
    assert "Total €60.00" in fragment.one("dl", cls="totals").text
    assert doc.one("a", id="cart-link").attrs["hx-swap-oob"] == "true"
    assert header_cart(response) == "Cart, 5 items"
    # The message was shown in the fragment, so the next page does not repeat it.
    assert "You now have" not in messages_text(client.get("/cart/"))


def test_the_cart_forms_post_with_htmx_and_without(client, mug):
    add(client, mug.variants.get())

    doc = html(client.get("/cart/"))

    contents = doc.one("div", id="cart-contents")
    assert (contents.attrs["hx-target"], contents.attrs["hx-swap"]) == ("this", "outerHTML")
    for form in contents.all("form"):
        assert form.attrs["method"] == "post"
        assert form.attrs["hx-post"] == form.attrs["action"]
        assert form.all("input", name="csrfmiddlewaretoken")
