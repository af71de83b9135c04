"""Paying with Stripe.js in a real browser, against localstripe and its Stripe.js stand-in.

PAYMENT_GATEWAY=stripe with STRIPE_API_BASE and STRIPE_JS_URL pointing at localstripe: the
pay page loads the stand-in from localstripe's port, the card is typed into its Element and
goes to localstripe, and only a payment method id reaches the shop. The stand-in's card
Element is five plain inputs (number, exp_month, exp_year, cvc, postal_code) where Stripe's
is an iframe; its 3-D Secure window is a box with "Complete authentication" and "Fail
authentication".
"""

import re

import pytest
from playwright.sync_api import expect

from shop.orders.models import Order
from shop.payments.models import Payment
from tests.e2e.conftest import watched_page
from tests.factories import MerchantFactory, ProductFactory, ShippingMethodFactory, VariantFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stripe_page(browser, live_server, localstripe_url, localstripe, request):
    """A fresh browser on the live server that may also reach localstripe (Stripe's stand-in),
    and nothing else."""
    allowed = (live_server.url, localstripe_url)
    with watched_page(browser, base_url=live_server.url, allowed=allowed, request=request) as page:
        yield page


@pytest.fixture
def shop(settings, live_server):
    settings.SITE_URL = live_server.url
    merchant = MerchantFactory(name="Lumen", slug="lumen")
    lamp = ProductFactory(
        title="Brass desk lamp", slug="brass-desk-lamp", merchant=merchant, with_variants=0
    )
    VariantFactory(product=lamp, name="One size", sku="LAMP-1", price=4900, stock=5)
    ShippingMethodFactory(
        code="standard", name="Standard delivery", description="3-5 working days", price=490
    )


def checkout_as_guest(page) -> None:
    """From the product page to the pay page: cart, details, review, place the order."""
    page.goto("/products/brass-desk-lamp/")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#add-to-cart-status")).to_contain_text("View your cart")
    page.goto("/checkout/")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Address line 1").fill("12 Rue des Lilas")
    page.get_by_label("Postal code").fill("75011")
    page.get_by_label("City").fill("Paris")
    page.get_by_label("Country").select_option(label="France")
    page.get_by_role("button", name="Continue to review").click()
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment")


def card_type(page, number: str) -> None:
    """Type a card into the stand-in's Element (Stripe's own is an iframe of the same fields)."""
    element = page.locator("#card-element")
    for field, value in (
        ("number", number.replace(" ", "")),
        ("exp_month", "12"),
        ("exp_year", "34"),
        ("cvc", "123"),
        ("postal_code", "75011"),
    ):
        element.get_by_placeholder(field, exact=True).fill(value)


def pay_button(page):
    return page.get_by_role("button", name=re.compile(r"^Pay €"))


def test_card_4242_typed_into_stripe_js_pays_the_order(stripe_page, shop, localstripe):
    page = stripe_page
    posted: list[str] = []
    page.on(
        "request", lambda req: posted.append(req.post_data or "") if req.method == "POST" else None
    )
    checkout_as_guest(page)

    card_type(page, "4242 4242 4242 4242")
    pay_button(page).click()

    order = Order.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Thank you! Your order {order.number} is confirmed"
    )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    payment = Payment.objects.get(reference=order.payment_reference)
    intent = localstripe.v1.payment_intents.retrieve(payment.gateway_payment_id)
    assert (intent.status, intent.amount) == ("succeeded", 5390)
    # The card number went to localstripe's /v1/tokens, never to the shop.
    to_shop = [body for body in posted if "payment_method=" in body]
    assert to_shop and not [body for body in to_shop if "4242424242424242" in body]


def test_a_declined_card_shows_the_error_and_another_card_pays(stripe_page, shop):
    page = stripe_page
    checkout_as_guest(page)

    card_type(page, "4000 0000 0000 0341")
    pay_button(page).click()

    expect(page.get_by_role("alert").filter(has_text="did not go through")).to_contain_text(
        "Your card was declined. Try another card."
    )
    order = Order.objects.get()
    assert order.status == Order.Status.PENDING_PAYMENT
    card_type(page, "4242 4242 4242 4242")
    pay_button(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Thank you! Your order {order.number} is confirmed"
    )
    order.refresh_from_db()
    assert (order.status, order.payment_attempts) == (Order.Status.PAID, 2)


def test_the_bank_check_runs_in_stripe_js_and_the_order_is_paid(stripe_page, shop):
    page = stripe_page
    checkout_as_guest(page)
    card_type(page, "4000 0025 0000 3155")
    # Hold the confirm page's script: until it has run, pressing the button would post
    # without the bank's check, so the button must not be pressable yet.
    held = []
    page.route("**/stripe-pay*.js", lambda route: held.append(route))
    pay_button(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm payment")
    confirm = page.get_by_role("button", name="Confirm with your bank")
    expect(confirm).to_be_disabled()
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    page.unroute("**/stripe-pay*.js")

    confirm.click()
    page.get_by_role("button", name="Complete authentication").click()

    order = Order.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Thank you! Your order {order.number} is confirmed"
    )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
