"""The cart as a shopper uses it in a browser: the product page's form, /cart/ and its forms.

Without JavaScript every form posts and redirects with a message; with htmx (HX-Request) the
views answer with the changed part of the page and the header's count out of band.
"""

import pytest
from django.test import Client

from shop.cart.models import Cart, CartLine
from tests.factories import (
    CartFactory,
    CartLineFactory,
    DiscountCodeFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
    cart_fill,
)
from tests.html import html, main_text

pytestmark = pytest.mark.django_db

# What a browser sends with a form posted from one of this site's pages.
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def lamp():
    """Two options: Small is sold out, Large has 3 left."""
    product = ProductFactory(title="Brass lamp", slug="brass-lamp", with_variants=0)
    VariantFactory(product=product, name="Small", sku="LAMP-S", price=4900, stock=0, position=0)
    VariantFactory(product=product, name="Large", sku="LAMP-L", price=6900, stock=3, position=1)
    ProductImageFactory(product=product, alt_text="The lamp, lit")
    return product


@pytest.fixture
def mug():
    product = ProductFactory(title="Blue mug", slug="blue-mug", with_variants=0)
    VariantFactory(product=product, name="", sku="MUG", price=1200, stock=10)
    return product


def add(client, variant, quantity: int = 1) -> None:
    """Add to the cart as a visitor does, reading the message (so it is not shown again)."""
    response = client.post(
        "/cart/add/", {"variant": variant.pk, "quantity": str(quantity)}, follow=True
    )
    assert response.status_code == 200


def header_cart(response) -> str:
    """The header's cart link as a screen reader hears it ("Cart, 2 items"), checked against
    what is seen: the count on the bag (no count on an empty cart's)."""
    link = html(response).one("a", id="cart-link")
    badge = link.all("span", cls="count-badge")
    count = badge[0].text if badge else "0"
    assert link.attrs["aria-label"] == f"Cart, {count} item{'' if count == '1' else 's'}"
    return link.attrs["aria-label"]


def messages_text(response) -> str:
    return " ".join(p.text for p in html(response).all("p", cls="message"))


def cart_lines(client_or_user) -> list[tuple[str, int]]:
    return list(
        CartLine.objects.filter(**client_or_user)
        .order_by("id")
        .values_list("variant__sku", "quantity")
    )


def visitor_lines(client) -> list[tuple[str, int]]:
    token = client.session.get("cart_token")
    return cart_lines({"cart__token": token, "cart__user": None}) if token else []


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

    # session, user, the Friends badge, cart, lines (with variant, product, merchant), images
    # and the bell's unread count (social.notifications)
    # and the decorations of the lines (shop.cart.line_decorations: social.likes asks)
    with django_assert_num_queries(7 + 1):
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
