"""/api/v1/cart, cart/items, cart/discount and discount-codes/check."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def mug():
    product = ProductFactory(title="Blue mug", slug="blue-mug", with_variants=0)
    ProductImageFactory(product=product, alt_text="A blue mug")
    return VariantFactory(product=product, name="Large", sku="MUG-L", price=1200, stock=5)


def error(response, field: str) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][field][0]["code"]


def test_a_visitor_without_a_cart_gets_an_empty_one_without_a_session(api):
    response = api.get("/api/v1/cart")

    assert response.status_code == 200
    assert response.json() == {
        "lines": [],
        "item_count": 0,
        "subtotal": 0,
        "discount": None,
        "discount_total": 0,
        "discount_error": "",
        "total": 0,
        "currency": "EUR",
        "has_problems": False,
    }
    assert "sessionid" not in response.cookies
    assert not Cart.objects.exists()


def test_adding_an_item_answers_the_cart_priced_by_the_server(api, mug):
    response = api.post(
        "/api/v1/cart/items",
        {"variant": mug.pk, "quantity": 2, "unit_price": 1, "price": 1},
        format="json",
    )

    assert response.status_code == 201
    cart = response.json()
    line = cart["lines"][0]
    assert line["variant"]["sku"] == "MUG-L"
    assert line["variant"]["product"]["title"] == "Blue mug"
    assert line["variant"]["product"]["url"] == "http://testserver/products/blue-mug/"
    assert line["image"]["alt"] == "A blue mug"
    assert (line["quantity"], line["unit_price"], line["line_total"]) == (2, 1200, 2400)
    assert (cart["item_count"], cart["subtotal"], cart["total"]) == (2, 2400, 2400)
    # The visitor's session keeps the cart: the next call sees it.
    assert api.get("/api/v1/cart/").json()["item_count"] == 2


def test_adding_again_sums_and_caps_by_stock(api, mug):
    api.post("/api/v1/cart/items", {"variant": mug.pk, "quantity": 3}, format="json")

    response = api.post("/api/v1/cart/items", {"variant": mug.pk, "quantity": 3}, format="json")

    assert response.json()["lines"][0]["quantity"] == 5


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"variant": "{mug}", "quantity": "abc"}, "quantity", "invalid"),
        ({"variant": "{mug}", "quantity": 0}, "quantity", "invalid_quantity"),
        ({"variant": "{mug}", "quantity": -1}, "quantity", "invalid_quantity"),
        ({"variant": "{mug}", "quantity": 10_000}, "quantity", "invalid_quantity"),
        ({"variant": "{mug}", "quantity": 10**30}, "quantity", "invalid_quantity"),
        ({"variant": 123456}, "variant", "variant_unavailable"),
        ({"variant": 10**30}, "variant", "max_value"),
        ({"variant": "abc"}, "variant", "invalid"),
        ({}, "variant", "required"),
    ],
)
def test_a_bad_item_is_a_400_naming_the_field(api, mug, payload, field, code):
    payload = {key: mug.pk if value == "{mug}" else value for key, value in payload.items()}

    response = api.post("/api/v1/cart/items", payload, format="json")

    assert error(response, field) == (400, code)
    assert not CartLine.objects.exists()


def test_a_sold_out_variant_is_a_400_on_variant(api):
    variant = VariantFactory(stock=0)

    response = api.post("/api/v1/cart/items", {"variant": variant.pk}, format="json")

    assert error(response, "variant") == (400, "out_of_stock")


def test_changing_and_removing_a_line(api, mug):
    line_id = api.post("/api/v1/cart/items", {"variant": mug.pk}, format="json").json()["lines"][0][
        "id"
    ]

    changed = api.patch(f"/api/v1/cart/items/{line_id}", {"quantity": 4}, format="json")
    too_many = api.patch(f"/api/v1/cart/items/{line_id}", {"quantity": 6}, format="json")
    removed = api.delete(f"/api/v1/cart/items/{line_id}/")

    assert changed.status_code == 200
    assert changed.json()["lines"][0]["quantity"] == 4
    assert error(too_many, "quantity") == (400, "out_of_stock")
    assert removed.status_code == 200
    assert removed.json()["lines"] == []


def test_a_quantity_of_zero_removes_the_line(api, mug):
    line_id = api.post("/api/v1/cart/items", {"variant": mug.pk}, format="json").json()["lines"][0][
        "id"
    ]

    response = api.patch(f"/api/v1/cart/items/{line_id}", {"quantity": 0}, format="json")

    assert response.json()["item_count"] == 0


@pytest.mark.parametrize("line_id", ["abc", "0", "99999999999999999999999", "{foreign}"])
def test_an_unknown_or_foreign_line_is_a_404(api, mug, line_id):
    api.post("/api/v1/cart/items", {"variant": mug.pk}, format="json")
    foreign = CartLineFactory(cart=CartFactory())
    line_id = line_id.replace("{foreign}", str(foreign.pk))

    patched = api.patch(f"/api/v1/cart/items/{line_id}", {"quantity": 2}, format="json")
    deleted = api.delete(f"/api/v1/cart/items/{line_id}")

    assert patched.status_code == deleted.status_code == 404
    assert "detail" in patched.json()["errors"]
    assert CartLine.objects.filter(pk=foreign.pk).exists()


def test_applying_and_removing_a_discount_code(api, mug):
    DiscountCodeFactory(code="FIVE", kind="fixed", value=500)
    api.post("/api/v1/cart/items", {"variant": mug.pk, "quantity": 2}, format="json")

    applied = api.post("/api/v1/cart/discount", {"code": "five"}, format="json")
    removed = api.delete("/api/v1/cart/discount")

    assert applied.status_code == 200
    body = applied.json()
    assert body["discount"] == {"code": "FIVE", "kind": "fixed", "value": 500, "min_subtotal": 0}
    assert (body["subtotal"], body["discount_total"], body["total"]) == (2400, 500, 1900)
    assert removed.json()["discount"] is None
    assert removed.json()["total"] == 2400


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"code": "OTHER"}, "discount_not_found"),
        ({"is_active": False}, "discount_inactive"),
        ({"min_subtotal": 10_000}, "discount_min_subtotal"),
        ({"usage_limit": 1, "times_used": 1}, "discount_exhausted"),
    ],
)
def test_a_code_that_cannot_be_applied_is_a_400_on_code(api, mug, fields, code):
    DiscountCodeFactory(**({"code": "SAVE"} | fields))
    api.post("/api/v1/cart/items", {"variant": mug.pk}, format="json")

    response = api.post("/api/v1/cart/discount", {"code": "SAVE"}, format="json")

    assert error(response, "code") == (400, code)


def test_checking_a_code_against_a_subtotal(api):
    DiscountCodeFactory(code="TEN", kind="percent", value=10, min_subtotal=2000)

    valid = api.post("/api/v1/discount-codes/check", {"code": "ten", "subtotal": 2550})
    short = api.post("/api/v1/discount-codes/check", {"code": "ten", "subtotal": 1500})
    unknown = api.post("/api/v1/discount-codes/check/", {"code": "nope"})

    assert valid.status_code == 200
    assert valid.json() == {
        "valid": True,
        "code": "TEN",
        "kind": "percent",
        "value": 10,
        "subtotal": 2550,
        "amount": 255,
    }
    assert error(short, "code") == (400, "discount_min_subtotal")
    assert "€5.00 more" in short.json()["errors"]["code"][0]["message"]
    assert error(unknown, "code") == (400, "discount_not_found")


def test_checking_a_code_without_a_subtotal_uses_the_cart(api, mug):
    DiscountCodeFactory(code="TEN", kind="percent", value=10, min_subtotal=2000)
    api.post("/api/v1/cart/items", {"variant": mug.pk, "quantity": 2}, format="json")

    response = api.post("/api/v1/discount-codes/check", {"code": "TEN"}, format="json")

    assert response.json()["subtotal"] == 2400
    assert response.json()["amount"] == 240


def test_token_auth_uses_the_users_cart(api, mug):
    user = UserFactory()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    api.post("/api/v1/cart/items", {"variant": mug.pk}, format="json")

    assert Cart.objects.get(user=user).lines.get().variant == mug
    assert APIClient().get("/api/v1/cart").json()["item_count"] == 0


def test_a_signed_in_browser_session_needs_its_csrf_token(mug):
    user = UserFactory()
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post("/api/v1/cart/items", {"variant": mug.pk}, format="json")

    assert response.status_code == 403
    assert not CartLine.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}],
)
def test_a_visitors_change_sent_by_another_site_is_refused(mug, headers):
    browser = APIClient(enforce_csrf_checks=True)

    response = browser.post("/api/v1/cart/items", {"variant": mug.pk}, **headers)

    assert response.status_code == 403
    assert not Cart.objects.exists()


def test_a_visitors_change_from_this_site_or_a_non_browser_client_is_accepted(mug):
    browser = APIClient(enforce_csrf_checks=True)

    from_page = browser.post(
        "/api/v1/cart/items",
        {"variant": mug.pk},
        format="json",
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    from_script = APIClient(enforce_csrf_checks=True).post(
        "/api/v1/cart/items", {"variant": mug.pk}, format="json"
    )

    assert from_page.status_code == from_script.status_code == 201


@pytest.mark.parametrize("lines", [1, 20])
def test_cart_queries_do_not_grow_with_lines(api, django_assert_num_queries, lines):
    user = UserFactory()
    cart_fill(CartFactory(user=user), lines=lines)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    # token with its user, cart, lines (with variant, product, merchant), images
    with django_assert_num_queries(4):
        response = api.get("/api/v1/cart")

    assert len(response.json()["lines"]) == lines


@pytest.mark.parametrize("lines", [1, 20])
def test_visitor_cart_queries_do_not_grow_with_lines(api, django_assert_num_queries, lines):
    variant = VariantFactory()
    api.post("/api/v1/cart/items", {"variant": variant.pk}, format="json")
    cart_fill(Cart.objects.get(), lines=lines - 1)
    api.get("/api/v1/cart")  # the session's count is put right once

    # session, cart, lines (with variant, product, merchant), images
    with django_assert_num_queries(4):
        response = api.get("/api/v1/cart")

    assert len(response.json()["lines"]) == lines
