"""Paying through the API is throttled per account or visitor ("payment" scope): a stolen-card
tester gets a few tries a minute."""

import pytest
from rest_framework.test import APIClient

from shop.orders import selectors
from tests.factories import UserFactory
from tests.shop.orders.conftest import DECLINED_CARD, cart_make, variant_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_rates(settings, throttle_clock_still):
    settings.API_THROTTLE_RATES = dict(settings.API_THROTTLE_RATES_PRODUCTION)


def test_card_after_card_on_one_order_is_throttled(production_rates, place):
    user = UserFactory()
    order = place(cart_make((variant_make(), 1), user=user), customer=user)
    api = APIClient()
    api.force_authenticate(user)

    statuses = [
        api.post(
            f"/api/v1/orders/{order.number}/pay", {"payment_method": DECLINED_CARD}
        ).status_code
        for _ in range(30)
    ]

    first_refusal = statuses.index(429)
    assert 0 < first_refusal <= 20
    assert set(statuses[:first_refusal]) == {200}
    assert set(statuses[first_refusal:]) == {429}


def test_a_guest_paying_by_token_is_throttled_too(production_rates, place):
    order = place(cart_make((variant_make(), 1)))
    token = selectors.order_guest_token(order=order)
    api = APIClient()

    statuses = [
        api.post(
            f"/api/v1/orders/{order.number}/pay?token={token}", {"payment_method": DECLINED_CARD}
        ).status_code
        for _ in range(30)
    ]

    assert 429 in statuses


def test_reading_the_order_is_not_counted_against_paying(production_rates, place):
    user = UserFactory()
    order = place(cart_make((variant_make(), 1), user=user), customer=user)
    api = APIClient()
    api.force_authenticate(user)

    statuses = [api.get(f"/api/v1/orders/{order.number}").status_code for _ in range(30)]

    assert set(statuses) == {200}


@pytest.mark.parametrize("action", ["payment-intent", "payment-refresh"])
def test_the_stripe_payment_steps_share_the_payment_scope(production_rates, place, action):
    user = UserFactory()
    order = place(cart_make((variant_make(), 1), user=user), customer=user)
    api = APIClient()
    api.force_authenticate(user)

    statuses = [api.post(f"/api/v1/orders/{order.number}/{action}").status_code for _ in range(30)]

    assert 429 in statuses
    assert all(status < 500 for status in statuses)


def test_card_after_card_on_the_pay_page_is_throttled_too(production_rates, place, client):
    user = UserFactory()
    order = place(cart_make((variant_make(), 1), user=user), customer=user)
    client.force_login(user)
    card = {"card_number": DECLINED_CARD, "expiry": "12/39", "cvc": "123"}

    pages = [client.post(f"/orders/{order.number}/pay/", card).content.decode() for _ in range(30)]

    throttled = [n for n, page in enumerate(pages) if "Too many payment attempts" in page]
    assert throttled and throttled[0] <= 20
    assert throttled == list(range(throttled[0], 30))
