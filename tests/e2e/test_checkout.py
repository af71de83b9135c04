"""Buying in a real browser: a guest with a discount code, and a shopper whose card is declined."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from shop.orders.models import Order
from tests.factories import (
    DEFAULT_PASSWORD,
    DiscountCodeFactory,
    MerchantFactory,
    ProductFactory,
    ShippingMethodFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(settings, live_server):
    """Two merchants with a product each, two shipping methods and a discount code."""
    # The emails' links point at the site the shopper is on.
    settings.SITE_URL = live_server.url
    settings.PAYMENT_GATEWAY = "fake"
    lumen = MerchantFactory(name="Lumen", slug="lumen")
    linen = MerchantFactory(name="Linen & Co", slug="linen-co")
    lamp = ProductFactory(
        title="Brass desk lamp", slug="brass-desk-lamp", merchant=lumen, with_variants=0
    )
    VariantFactory(product=lamp, name="One size", sku="LAMP-1", price=4900, stock=5)
    towel = ProductFactory(
        title="Linen tea towel", slug="linen-tea-towel", merchant=linen, with_variants=0
    )
    VariantFactory(product=towel, name="Natural", sku="TOWEL-N", price=1200, stock=10)
    ShippingMethodFactory(
        code="standard", name="Standard delivery", description="3-5 working days", price=490
    )
    ShippingMethodFactory(
        code="express", name="Express delivery", description="Next working day", price=990
    )
    DiscountCodeFactory(code="SPRING10", kind="percent", value=10)


def add_to_cart(page, slug: str, title: str) -> None:
    page.goto(f"/products/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#add-to-cart-status")).to_contain_text("View your cart")


def fill_address(page) -> None:
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Address line 1").fill("12 Rue des Lilas")
    page.get_by_label("Postal code").fill("75011")
    page.get_by_label("City").fill("Paris")
    page.get_by_label("Country").select_option(label="France")


def pay_with(page, number: str) -> None:
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry date").fill("12/34")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name=re.compile(r"^Pay €")).click()


def test_a_guest_buys_from_two_merchants_with_a_discount_and_gets_the_email(page, shop):
    add_to_cart(page, "brass-desk-lamp", "Brass desk lamp")
    add_to_cart(page, "linen-tea-towel", "Linen tea towel")

    page.get_by_role("link", name=re.compile(r"^Cart")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cart")
    page.get_by_label("Quantity for Linen tea towel").fill("2")
    page.get_by_role("button", name="Update Linen tea towel").click()
    expect(page.locator("#cart-contents .totals")).to_contain_text("Subtotal (3 items)€73.00")
    page.get_by_label("Discount code").fill("spring10")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#cart-contents .totals")).to_contain_text("−€7.30")

    page.get_by_role("link", name="Checkout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_text("You are checking out as a guest.")).to_be_visible()
    page.get_by_label("Email").fill("grace@example.com")
    fill_address(page)
    page.get_by_role("radio", name=re.compile("Express delivery")).check()
    page.get_by_role("button", name="Continue to review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Review your order")
    expect(page.get_by_role("heading", name="From Lumen")).to_be_visible()
    expect(page.get_by_role("heading", name="From Linen & Co")).to_be_visible()
    totals = page.get_by_role("complementary", name="Order total")
    expect(totals).to_contain_text("Discount SPRING10")
    expect(totals).to_contain_text("Shipping€9.90")
    expect(totals).to_contain_text("Total€75.60")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Payment")
    pay_with(page, "4242 4242 4242 4242")

    order = Order.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Thank you! Your order {order.number} is confirmed"
    )
    expect(page.get_by_text("We sent a confirmation to grace@example.com.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Cart"))).to_have_accessible_name(
        "Cart, 0 items"
    )
    assert (order.status, order.total, order.discount_code) == ("paid", 7560, "SPRING10")

    email = next(
        m for m in mail.outbox if m.subject == f"Payment received for order {order.number}"
    )
    assert email.to == ["grace@example.com"]
    link = re.search(rf"{re.escape(page.url.split('/orders/')[0])}/orders/\S+", email.body)
    assert link, email.body
    page.context.clear_cookies()  # the link works in any browser, signed in or not
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order.number}")
    progress = page.get_by_role("list", name="Order progress").get_by_role("listitem")
    expect(progress.filter(has_text="Paid")).to_have_attribute("aria-current", "step")


def test_a_declined_card_is_explained_and_another_card_pays(page, shop):
    UserFactory(username="ada", email="ada@example.com")
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill("ada")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Your account")).to_be_visible()
    add_to_cart(page, "brass-desk-lamp", "Brass desk lamp")

    page.get_by_role("link", name=re.compile(r"^Cart")).click()
    page.get_by_role("link", name="Checkout").click()
    expect(page.get_by_label("Email")).to_have_value("ada@example.com")
    fill_address(page)
    page.get_by_label("Save this address").check()
    page.get_by_role("button", name="Continue to review").click()
    page.get_by_role("button", name="Place order").click()

    pay_with(page, "4000 0000 0000 0002")

    expect(page.get_by_role("alert")).to_contain_text("Your card was declined. Try another card.")
    expect(page.get_by_role("alert")).to_contain_text("Your order and your cart are kept")
    expect(page.get_by_label("Card number")).to_have_value("")

    pay_with(page, "4242 4242 4242 4242")

    order = Order.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Thank you! Your order {order.number} is confirmed"
    )
    page.get_by_role("link", name="See your order").click()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Your orders"
    ).click()
    expect(page).to_have_url(re.compile(r"/orders/$"))
    row = page.get_by_role("row", name=re.compile(order.number))
    expect(row).to_contain_text("Paid")
    expect(row).to_contain_text("€53.90")
