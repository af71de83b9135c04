"""The cart's forms under bad input, the header's count, query counts, and the decorations
under the lines."""

import pytest

from shop.cart.models import Cart, CartLine
from tests.factories import (
    CartFactory,
    CartLineFactory,
    UserFactory,
    VariantFactory,
    cart_fill,
)
from tests.html import html
from tests.shop.cart.pages import (
    HTMX,
    add,
    header_cart,
    messages_text,
    visitor_lines,
)

pytestmark = pytest.mark.django_db


# --- bad input --------------------------------------------------------------------------------

BAD_ADDS = [
    {"variant": "abc"},
    {"variant": ""},
    {},
    {"variant": "-1"},
    {"variant": "0"},
    {"variant": "99999999999999999999999999"},
    {"variant": "123456"},
    {"variant": "{mug}", "quantity": "abc"},
    {"variant": "{mug}", "quantity": "-1"},
    {"variant": "{mug}", "quantity": "0"},
    {"variant": "{mug}", "quantity": "10000"},
    {"variant": "{mug}", "quantity": "1e3"},
    {"variant": "{mug}", "quantity": "1" * 5000},
    {"variant": "{mug}\x00", "quantity": "1"},
]


@pytest.mark.parametrize("data", BAD_ADDS)
def test_a_bad_add_is_a_message_never_an_error_page(client, mug, data):
    data = {key: value.replace("{mug}", str(mug.variants.get().pk)) for key, value in data.items()}

    response = client.post("/cart/add/", data, follow=True)

    assert response.status_code == 200
    assert html(response).all("p", cls="message--error")
    assert not CartLine.objects.exists()


@pytest.mark.parametrize("quantity", ["abc", "-1", "100", "10000", "", "2.5"])
def test_a_bad_quantity_is_a_message_and_changes_nothing(client, mug, quantity):
    add(client, mug.variants.get())
    line = CartLine.objects.get()

    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": quantity}, follow=True)

    assert response.status_code == 200
    assert html(response).all("p", cls="message--error")
    assert visitor_lines(client) == [("MUG", 1)]


@pytest.mark.parametrize("line_id", ["999999", "99999999999999999999999999"])
@pytest.mark.parametrize("action", ["", "remove/"])
def test_an_unknown_or_foreign_line_is_a_message(client, mug, line_id, action):
    add(client, mug.variants.get())
    foreign = CartLineFactory(cart=CartFactory())
    line_id = line_id if line_id != "999999" else str(foreign.pk)

    response = client.post(f"/cart/lines/{line_id}/{action}", {"quantity": "2"}, follow=True)

    assert response.status_code == 200
    assert "no longer in your cart" in messages_text(response) or "already removed" in (
        messages_text(response)
    )
    assert CartLine.objects.get(pk=foreign.pk).quantity == 1


def test_a_visitor_without_a_cart_posting_to_the_cart_forms_gets_messages(client):
    for url, data in [
        ("/cart/lines/1/", {"quantity": "2"}),
        ("/cart/lines/1/remove/", {}),
        ("/cart/discount/", {"code": "X"}),
        ("/cart/discount/remove/", {}),
    ]:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
    assert not Cart.objects.exists()


@pytest.mark.parametrize("url", ["/cart/lines/abc/", "/cart/lines/-1/remove/"])
def test_a_malformed_line_address_is_a_404(client, url):
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("url", ["/cart/add/", "/cart/discount/", "/cart/lines/1/"])
def test_get_on_a_form_address_is_refused_politely(client, url):
    assert client.get(url).status_code == 405


# --- the header's count and query counts ------------------------------------------------------


def test_the_header_count_comes_from_the_session_and_is_put_right_by_the_cart_page(client, mug):
    add(client, mug.variants.get(), 2)
    CartLine.objects.update(quantity=5)  # changed elsewhere (another device)

    stale = client.get("/products/")
    fixed = client.get("/cart/")

    assert header_cart(stale) == "Cart, 2 items"
    assert header_cart(fixed) == "Cart, 5 items"
    assert header_cart(client.get("/products/")) == "Cart, 5 items"


@pytest.mark.parametrize("lines", [1, 20])
def test_visitor_cart_page_queries_do_not_grow_with_lines(client, django_assert_num_queries, lines):
    add(client, VariantFactory())
    cart = Cart.objects.get()
    cart_fill(cart, lines=lines - 1)
    client.get("/cart/")  # the header's count is put right once

    # session, cart, lines (with variant, product, merchant), images
    with django_assert_num_queries(4):
        response = client.get("/cart/")

    assert len(html(response).all("li", cls="cart-line")) == lines


@pytest.mark.parametrize("lines", [1, 20])
def test_signed_in_cart_page_queries_do_not_grow_with_lines(
    client, django_assert_num_queries, lines
):
    user = UserFactory()
    cart_fill(CartFactory(user=user), lines=lines)
    client.force_login(user)
    client.get("/cart/")

    # the session with its user and the header's badges, cart, lines (with variant, product,
    # merchant), images and the decorations of the lines (shop.cart.line_decorations:
    # social.likes asks)
    with django_assert_num_queries(4 + 1):
        response = client.get("/cart/")

    assert len(html(response).all("li", cls="cart-line")) == lines


@pytest.mark.parametrize("lines", [1, 20])
def test_a_refused_code_answers_in_queries_that_do_not_grow_with_lines(
    client, django_assert_num_queries, lines
):
    add(client, VariantFactory())
    cart_fill(Cart.objects.get(), lines=lines - 1)
    client.get("/cart/")

    # session, cart, its subtotal (the service's), the code looked up, lines (with variant,
    # product, merchant), images
    with django_assert_num_queries(6):
        response = client.post("/cart/discount/", {"code": "NOPE"}, **HTMX)

    fragment = html(response).one("div", id="cart-contents")
    assert len(fragment.all("li", cls="cart-line")) == lines
    assert fragment.one("p", id="cart-discount-code-error").text == (
        "There is no discount code “NOPE”."
    )


# --- decorations under the lines (shop.cart.line_decorations) -----------------------------------


@pytest.fixture
def line_notes():
    """A decorator as a social app would register it: one query for every line."""
    from django.utils.html import format_html

    from shop.cart import line_decorations
    from shop.catalog.models import Product

    calls = []

    def decorate(*, viewer, product_ids):
        calls.append(len(product_ids))
        titles = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "title"))
        return {
            pk: format_html('<p class="note">{} thinks of {}</p>', viewer, t)
            for pk, t in titles.items()
        }

    line_decorations.cart_line_decorator_register(decorate)
    yield calls
    line_decorations.cart_line_decorator_unregister(decorate)


def test_a_signed_in_viewer_sees_the_decorations_under_each_line(client, line_notes):
    user = UserFactory(username="ada")
    cart_fill(CartFactory(user=user), lines=3)
    client.force_login(user)

    response = client.get("/cart/")

    notes = [line.text for line in html(response).all("p", cls="note")]
    assert len(notes) == 3 and all(note.startswith("ada thinks of Product") for note in notes)
    assert line_notes == [3]


def test_a_visitors_cart_has_no_decorations(client, line_notes):
    add(client, VariantFactory())

    response = client.get("/cart/")

    assert html(response).all("p", cls="note") == []
    assert line_notes == []
