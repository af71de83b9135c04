"""A guest link never opens an order placed by an account, even with a valid token.

The token is an HMAC under SECRET_KEY: whoever knows the key (the public default, a leak) can
forge one for any order number. Orders of accounts are opened by signing in, never by a link.
"""

import pytest
from django.http import Http404

from shop.orders import selectors
from tests.factories import UserFactory
from tests.shop.orders.conftest import cart_make, variant_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def account_order(place):
    return place(cart_make((variant_make(), 1)), customer=UserFactory())


def test_a_valid_token_for_an_accounts_order_is_a_404(account_order):
    forged = selectors.order_guest_token(order=account_order)

    with pytest.raises(Http404):
        selectors.order_get_by_guest_token(number=account_order.number, token=forged)


@pytest.mark.parametrize("suffix", ["", "pay/", "confirmation/"])
def test_the_order_pages_refuse_a_forged_token_for_an_accounts_order(client, account_order, suffix):
    forged = selectors.order_guest_token(order=account_order)

    response = client.get(f"/orders/{account_order.number}/{suffix}?token={forged}")

    assert response.status_code == 404


def test_the_api_refuses_a_forged_token_for_an_accounts_order(client, account_order):
    forged = selectors.order_guest_token(order=account_order)

    response = client.get(f"/api/v1/orders/{account_order.number}?token={forged}")

    assert response.status_code == 404
    assert response.json()["errors"]["detail"][0]["code"] == "not_found"
