"""Trust at checkout, in a real browser: the VAT on the review, a wrong discount code explained
beside its field, the card number grouped and its brand named as it is typed, and the order
summary folded at the top of the page on a phone."""

import re

import pytest
from playwright.sync_api import expect

from shop.orders.models import Order
from tests.factories import (
    DiscountCodeFactory,
    MerchantFactory,
    ProductFactory,
    ShippingMethodFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.PAYMENT_GATEWAY = "fake"
    settings.STORE_VAT_RATE_BASIS_POINTS = 2100
    lamp = ProductFactory(
        title="Brass desk lamp",
        slug="brass-desk-lamp",
        merchant=MerchantFactory(name="Lumen"),
        with_variants=0,
    )
    VariantFactory(product=lamp, name="One size", sku="LAMP-1", price=4900, stock=5)
    ShippingMethodFactory(
        code="standard", name="Standard delivery", description="3-5 working days", price=490
    )
    DiscountCodeFactory(code="SPRING10", kind="percent", value=10)


def add_lamp(page) -> None:
    page.goto("/products/brass-desk-lamp/")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#add-to-cart-status")).to_contain_text("View your cart")


def details_fill(page) -> None:
    page.goto("/checkout/")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Address line 1").fill("12 Rue des Lilas")
    page.get_by_label("Postal code").fill("75011")
    page.get_by_label("City").fill("Paris")
    page.get_by_label("Country").select_option(label="France")
    page.get_by_role("button", name="Continue to review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your order")


def test_the_review_shows_the_vat_the_total_includes(page, shop):
    add_lamp(page)

    details_fill(page)

    totals = page.get_by_role("complementary", name="Order total")
    expect(totals).to_contain_text("Total€53.90")
    # €53.90 × 21/121 = €9.354…
    expect(totals.locator(".totals__vat")).to_have_text("Includes VAT (21%)€9.35")
    expect(page.get_by_role("link", name="terms of sale")).to_have_attribute(
        "href", "/pages/terms/"
    )


def test_a_wrong_discount_code_is_explained_beside_the_field_which_keeps_it(page, shop):
    add_lamp(page)
    page.goto("/cart/")
    field = page.get_by_label("Discount code")

    field.fill("SPRING1O")
    page.get_by_role("button", name="Apply").click()

    field = page.get_by_label("Discount code")
    expect(field).to_have_value("SPRING1O")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    error = page.locator("#" + field.get_attribute("aria-describedby"))
    expect(error).to_have_text("There is no discount code “SPRING1O”.")
    # Beside the field: inside the discount form, right under it.
    expect(page.locator(".cart__discount-form #cart-discount-code-error")).to_be_visible()
    expect(page.get_by_label("Quantity for Brass desk lamp")).to_have_value("1")

    field.fill("SPRING10")
    page.get_by_role("button", name="Apply").click()

    expect(page.locator("#cart-contents .totals")).to_contain_text("−€4.90")
    expect(page.locator("#cart-discount-code-error")).to_have_count(0)


def test_the_card_number_is_grouped_and_its_brand_named_as_it_is_typed(page, shop):
    add_lamp(page)
    details_fill(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment")
    number = page.get_by_label("Card number")
    brand = page.locator("#card-brand")

    number.press_sequentially("4242424")
    expect(number).to_have_value("4242 424")
    expect(brand).to_have_text("Card brand: Visa")
    number.press("Backspace")
    number.press("Backspace")
    number.press("Backspace")
    expect(number).to_have_value("4242")  # the space the grouping added went with its digit
    number.fill("")
    number.press_sequentially("378282246310005")
    expect(number).to_have_value("3782 822463 10005")
    expect(brand).to_have_text("Card brand: Amex")
    number.fill("")
    number.press_sequentially("2221000000000009")
    expect(number).to_have_value("2221 0000 0000 0009")
    expect(brand).to_have_text("Card brand: Mastercard")
    number.fill("")
    expect(brand).to_have_text("")

    number.press_sequentially("4242424242424242")
    expiry = page.get_by_label("Expiry date")
    expect(expiry).to_have_attribute("placeholder", "MM/YY")
    expiry.press_sequentially("1234")
    expect(expiry).to_have_value("12/34")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name=re.compile(r"^Pay €")).click()

    order = Order.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Thank you! Your order {order.number} is confirmed"
    )
    expect(page.get_by_role("complementary", name="Order summary")).to_contain_text(
        "Includes VAT (21%)€9.35"
    )


def test_on_a_phone_the_order_summary_is_folded_at_the_top_and_opens(mobile_page, shop):
    page = mobile_page
    add_lamp(page)

    page.goto("/checkout/")

    toggle = page.locator("summary", has_text="Show order summary")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Show order summary · €49.00", use_inner_text=True)
    lines = page.locator(".checkout-summary .summary-line")
    expect(lines).to_be_hidden()
    # At the top: above the form's first field.
    toggle_box = toggle.bounding_box()
    email_box = page.get_by_label("Email").bounding_box()
    assert toggle_box["y"] < email_box["y"]
    assert toggle_box["width"] > 300  # the width of the page

    toggle.click()

    expect(lines).to_be_visible()
    expect(toggle).to_have_text("Hide order summary · €49.00", use_inner_text=True)
    expect(page.locator(".checkout-summary .summary-line")).to_contain_text("Brass desk lamp")


def test_on_a_wide_screen_the_order_summary_is_an_open_side_column(page, shop):
    add_lamp(page)

    page.goto("/checkout/")

    summary = page.locator("details.checkout-summary")
    expect(summary).to_have_attribute("open", "")
    expect(summary.locator("summary")).to_be_hidden()
    expect(page.locator(".checkout-summary .summary-line")).to_be_visible()
    summary_box = summary.bounding_box()
    form_box = page.locator("form.checkout-form").bounding_box()
    assert summary_box["x"] > form_box["x"] + form_box["width"] - 1  # to the right of the form
