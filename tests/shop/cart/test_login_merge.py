"""A visitor's cart follows them into their account when they log in (/accounts/login/)."""

import pytest

from shop.cart.models import Cart
from tests.factories import (
    DEFAULT_PASSWORD,
    CartFactory,
    CartLineFactory,
    UserFactory,
    VariantFactory,
)
from tests.html import html

pytestmark = pytest.mark.django_db


def log_in(client, user):
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    return response


def account_lines(user) -> dict[str, int]:
    cart = Cart.objects.get(user=user)
    return dict(cart.lines.values_list("variant__sku", "quantity"))


def test_logging_in_moves_the_visitors_lines_into_the_account_cart(client):
    user = UserFactory()
    lamp, mug = VariantFactory(sku="LAMP", stock=10), VariantFactory(sku="MUG", stock=10)
    client.post("/cart/add/", {"variant": lamp.pk, "quantity": "2"}, follow=True)
    client.post("/cart/add/", {"variant": mug.pk}, follow=True)
    visitor_cart = Cart.objects.get()

    landing = log_in(client, user)

    assert account_lines(user) == {"LAMP": 2, "MUG": 1}
    assert not Cart.objects.filter(pk=visitor_cart.pk).exists()
    assert "cart_token" not in client.session
    assert html(landing).one("a", id="cart-link").attrs["aria-label"] == "Cart, 3 items"
    cart_page = html(client.get("/cart/")).one("main").text
    assert lamp.product.title in cart_page
    assert mug.product.title in cart_page


def test_a_variant_in_both_carts_is_summed_and_capped_by_stock(client):
    user = UserFactory()
    lamp = VariantFactory(sku="LAMP", stock=4)
    other = VariantFactory(sku="OTHER", stock=10)
    account_cart = CartFactory(user=user)
    CartLineFactory(cart=account_cart, variant=lamp, quantity=3)
    CartLineFactory(cart=account_cart, variant=other, quantity=1)
    client.post("/cart/add/", {"variant": lamp.pk, "quantity": "2"}, follow=True)

    landing = log_in(client, user)

    assert account_lines(user) == {"LAMP": 4, "OTHER": 1}
    assert html(landing).one("a", id="cart-link").attrs["aria-label"] == "Cart, 5 items"


def test_logging_in_without_a_visitor_cart_shows_the_accounts_count(client):
    user = UserFactory()
    CartLineFactory(cart=CartFactory(user=user), quantity=2)

    landing = log_in(client, user)

    assert html(landing).one("a", id="cart-link").attrs["aria-label"] == "Cart, 2 items"
    assert Cart.objects.count() == 1


def test_logging_out_leaves_the_account_cart_and_starts_an_empty_visitor_cart(client):
    user = UserFactory()
    client.post("/cart/add/", {"variant": VariantFactory().pk}, follow=True)
    log_in(client, user)

    landing = client.post("/accounts/logout/", follow=True)

    assert html(landing).one("a", id="cart-link").attrs["aria-label"] == "Cart, 0 items"
    assert Cart.objects.get(user=user).lines.count() == 1
