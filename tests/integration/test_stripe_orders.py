"""Paying orders in Stripe mode against localstripe: the pay pages and the API.

The browser's part (Stripe.js tokenising the card, the card holder's 3-D Secure window) is
played here with localstripe's own endpoints, as its Stripe.js stand-in calls them; the
journey in a real browser is tests/e2e/test_stripe_elements.py.
"""

import time

import pytest

from shop.orders import selectors, services
from shop.orders.models import Order
from shop.payments.models import Payment
from tests.factories import ShippingMethodFactory
from tests.html import html
from tests.localstripe import (
    WEBHOOK_TIMEOUT,
    card_holder_authenticate,
    card_token_make,
    intent_confirm_as_client,
    webhook_event_wait,
)
from tests.shop.orders.conftest import address_input, cart_make, guest_cart_use, variant_make

pytestmark = pytest.mark.django_db

GOOD = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0341"  # localstripe's decline card (4000…0002 passes there)
ASKS_BANK = "4000 0025 0000 3155"


@pytest.fixture
def order(client):
    """A guest's order of one €25 item (cart in the session), waiting for payment."""
    cart = cart_make((variant_make(price=2500), 1))
    guest_cart_use(client, cart)
    method = ShippingMethodFactory(code="standard", price=490)
    return services.order_place(
        cart=cart,
        customer=None,
        email="guest@example.com",
        address=address_input(),
        shipping_method_id=method.pk,
    )


def url(order: Order, suffix: str = "") -> str:
    return f"/orders/{order.number}/{suffix}?token={selectors.order_guest_token(order=order)}"


def api_url(order: Order, action: str) -> str:
    token = selectors.order_guest_token(order=order)
    return f"/api/v1/orders/{order.number}/{action}?token={token}"


def card_id(localstripe_url: str, number: str) -> str:
    """What Stripe.js leaves in the pay form: a payment method id, never the number."""
    return card_token_make(localstripe_url, number)["card"]["id"]


def alert_text(response) -> str:
    return " ".join(node.text for node in html(response).all(role="alert"))


def intents(localstripe) -> list:
    return localstripe.v1.payment_intents.list(params={"limit": 100}).data


# --- the pay page -----------------------------------------------------------------------------


def test_pay_page_in_stripe_mode_takes_the_card_in_stripe_js_not_in_our_form(
    client, localstripe, localstripe_url, order
):
    doc = html(client.get(url(order, "pay/")))

    form = doc.one("form", cls="pay-form")
    assert form.all("input", name="card_number") == []
    assert form.one("input", name="payment_method").attrs["type"] == "hidden"
    assert form.attrs["data-publishable-key"] == "pk_test_localstripe"
    scripts = [node.attrs.get("src") for node in doc.all("script")]
    assert f"{localstripe_url}/js.stripe.com/v3/" in scripts
    assert "/static/js/stripe-pay.js" in scripts
    assert "4000 0000 0000 0341" in doc.one("aside", cls="test-cards").text


def test_pay_page_with_the_fake_gateway_keeps_the_card_form_and_loads_no_stripe_js(
    client, settings, order
):
    settings.PAYMENT_GATEWAY = "fake"
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"

    doc = html(client.get(url(order, "pay/")))

    assert doc.one("form", cls="pay-form").one("input", name="card_number")
    scripts = [node.attrs.get("src") or "" for node in doc.all("script")]
    assert not [src for src in scripts if "stripe" in src]


def test_card_number_posted_in_stripe_mode_is_refused_before_any_gateway_call(
    client, localstripe, order
):
    response = client.post(
        url(order, "pay/"), {"card_number": GOOD, "expiry": "12/39", "cvc": "123"}
    )

    assert response.status_code == 400
    assert "Card: enter your card details" in alert_text(response)
    assert intents(localstripe) == []
    assert not Payment.objects.exists()


def test_payment_method_from_stripe_js_pays_the_order(client, localstripe, localstripe_url, order):
    response = client.post(url(order, "pay/"), {"payment_method": card_id(localstripe_url, GOOD)})

    assert response["Location"] == url(order, "confirmation/")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert [intent.status for intent in intents(localstripe)] == ["succeeded"]


def test_a_decline_is_shown_and_another_card_pays(client, localstripe, localstripe_url, order):
    declined = client.post(
        url(order, "pay/"), {"payment_method": card_id(localstripe_url, DECLINED)}
    )
    paid = client.post(url(order, "pay/"), {"payment_method": card_id(localstripe_url, GOOD)})

    assert declined.status_code == 200
    assert "Your card was declined. Try another card." in alert_text(declined)
    assert paid["Location"] == url(order, "confirmation/")
    order.refresh_from_db()
    assert (order.status, order.payment_attempts) == (Order.Status.PAID, 2)


# --- 3-D Secure: Stripe.js runs the bank's check, the return step asks Stripe ----------------


def _asks_the_bank(client, localstripe_url, order) -> Payment:
    response = client.post(
        url(order, "pay/"), {"payment_method": card_id(localstripe_url, ASKS_BANK)}
    )
    assert response["Location"] == url(order, "pay/confirm/")
    return Payment.objects.get(reference=order.payment_reference)


def test_3d_secure_runs_in_stripe_js_and_the_return_step_pays(
    client, localstripe, localstripe_url, order
):
    payment = _asks_the_bank(client, localstripe_url, order)
    page = html(client.get(url(order, "pay/confirm/")))
    [form] = [node for node in page.all("form") if "data-client-secret" in node.attrs]
    card_holder_authenticate(
        localstripe, payment.gateway_payment_id, form.attrs["data-client-secret"], success=True
    )

    response = client.post(url(order, "pay/confirm/"))

    assert form.attrs["data-client-secret"] == payment.client_secret
    assert response["Location"] == url(order, "confirmation/")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_return_step_before_the_bank_check_says_the_bank_still_waits(
    client, localstripe, localstripe_url, order
):
    payment = _asks_the_bank(client, localstripe_url, order)

    response = client.post(url(order, "pay/confirm/"), follow=True)

    assert response.redirect_chain[-1][0] == url(order, "pay/confirm/")
    status = html(response).one(role="status").text
    assert "Your bank is still waiting for you to confirm" in status
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REQUIRES_ACTION


def test_return_step_after_a_refused_bank_check_shows_it_and_another_card_pays(
    client, localstripe, localstripe_url, order
):
    payment = _asks_the_bank(client, localstripe_url, order)
    card_holder_authenticate(
        localstripe, payment.gateway_payment_id, payment.client_secret, success=False
    )

    refused = client.post(url(order, "pay/confirm/"))
    paid = client.post(url(order, "pay/"), {"payment_method": card_id(localstripe_url, GOOD)})

    assert refused.status_code == 200
    assert "failed authentication" in alert_text(refused)
    assert paid["Location"] == url(order, "confirmation/")


def test_return_step_and_the_payment_event_pay_the_order_once(
    client, localstripe, localstripe_url, order
):
    payment = _asks_the_bank(client, localstripe_url, order)
    card_holder_authenticate(
        localstripe, payment.gateway_payment_id, payment.client_secret, success=True
    )

    client.post(url(order, "pay/confirm/"))
    client.post(url(order, "pay/confirm/"))
    # What the webhook's payment_intent.succeeded leads to, arriving after the return step.
    services.order_payment_succeeded(payment_id=payment.pk, reference=payment.reference)

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payment_id == payment.pk
    assert order.transitions.filter(to_status=Order.Status.PAID).count() == 1


# --- the API ----------------------------------------------------------------------------------


def test_api_payment_intent_answers_one_client_secret_per_open_attempt(client, localstripe, order):
    first = client.post(api_url(order, "payment-intent"))
    again = client.post(api_url(order, "payment-intent"))

    assert first.status_code == 200
    body = first.json()
    [intent] = intents(localstripe)
    assert body == {
        "client_secret": intent.client_secret,
        "publishable_key": "pk_test_localstripe",
        "payment_status": "requires_payment_method",
        "amount": 2990,
        "currency": "EUR",
    }
    assert again.json()["client_secret"] == intent.client_secret
    assert intent.amount == 2990


def test_api_client_confirmed_payment_is_applied_by_payment_refresh(client, localstripe, order):
    client.post(api_url(order, "payment-intent"))
    [intent] = intents(localstripe)
    intent_confirm_as_client(localstripe, intent.id, "pm_card_visa")

    response = client.post(api_url(order, "payment-refresh"))

    assert response.status_code == 200
    assert response.json()["payment_status"] == "succeeded"
    assert response.json()["order"]["status"] == Order.Status.PAID
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.django_db(transaction=True)
def test_api_client_confirmed_payment_pays_the_order_through_the_webhook_alone(
    client, localstripe, webhook_to_live_server, order
):
    client.post(api_url(order, "payment-intent"))
    [intent] = intents(localstripe)

    intent_confirm_as_client(localstripe, intent.id, "pm_card_visa")

    webhook_event_wait("payment_intent.succeeded", payment_id=intent.id)
    # The order side follows the event's commit (on_commit / outbox): give it a moment.
    deadline = time.monotonic() + WEBHOOK_TIMEOUT
    while order.status != Order.Status.PAID and time.monotonic() < deadline:
        time.sleep(0.1)
        order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get(pk=order.payment_id).gateway_payment_id == intent.id


def test_api_after_a_decline_in_the_client_a_new_attempt_is_opened(client, localstripe, order):
    first = client.post(api_url(order, "payment-intent")).json()["client_secret"]
    [intent] = intents(localstripe)
    with pytest.raises(Exception, match="declined"):
        intent_confirm_as_client(localstripe, intent.id, "pm_card_chargeCustomerFail")

    refreshed = client.post(api_url(order, "payment-refresh")).json()
    second = client.post(api_url(order, "payment-intent")).json()["client_secret"]

    assert refreshed["payment_status"] == "failed"
    assert second != first
    order.refresh_from_db()
    assert order.payment_attempts == 2


def test_api_pay_answers_the_client_secret_when_the_bank_asks(
    client, localstripe, localstripe_url, order
):
    response = client.post(
        api_url(order, "pay"),
        {"payment_method": card_id(localstripe_url, ASKS_BANK)},
        content_type="application/json",
    )

    body = response.json()
    payment = Payment.objects.get(reference=order.payment_reference)
    assert body["payment_status"] == "requires_action"
    assert body["client_secret"] == payment.client_secret != ""


def test_api_payment_intent_with_the_fake_gateway_is_refused_naming_the_gateway(
    client, settings, order
):
    settings.PAYMENT_GATEWAY = "fake"

    response = client.post(api_url(order, "payment-intent"))

    assert response.status_code == 400
    [error] = response.json()["errors"]["gateway"]
    assert error["code"] == "client_confirmation_unsupported"
    assert not Payment.objects.exists()


def test_api_payment_refresh_before_any_attempt_is_a_400_naming_the_payment(
    client, localstripe, order
):
    response = client.post(api_url(order, "payment-refresh"))

    assert response.status_code == 400
    [error] = response.json()["errors"]["payment"]
    assert error["code"] == "no_payment_to_confirm"


def test_stripe_not_answering_is_said_on_the_pay_page_and_keeps_the_order(client, settings, order):
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    settings.STRIPE_MAX_NETWORK_RETRIES = 0

    response = client.post(url(order, "pay/"), {"payment_method": "pm_card_visa"})

    assert response.status_code == 200
    assert "The payment service is not answering" in alert_text(response)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert not Payment.objects.exists()
