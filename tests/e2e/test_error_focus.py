"""After a form fails, focus moves to its error summary (a heading, links to the fields), so a
keyboard or screen-reader user starts from what went wrong, not from the top of the page."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, ShippingMethodFactory, UserFactory, variant_make

pytestmark = pytest.mark.django_db(transaction=True)


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_failed_checkout_moves_focus_to_the_error_summary(page, live_server, settings):
    settings.PAYMENT_GATEWAY = "fake"
    ShippingMethodFactory()
    variant = variant_make(title="Brass desk lamp", slug="brass-desk-lamp")
    page.goto(f"/products/{variant.product.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#add-to-cart-status")).to_contain_text("View your cart")

    page.goto("/checkout/")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Address line 1").fill("1 Navy Yard")
    page.get_by_label("Postal code").fill("20374")
    page.get_by_label("City").fill("Washington")
    page.get_by_label("Country").select_option(label="United States")
    page.get_by_label("Phone").fill("call me maybe")
    page.get_by_role("button", name="Continue to review").click()

    summary = page.locator("#error-summary")
    expect(summary.get_by_role("heading")).to_be_visible()
    expect(summary).to_be_focused()
    assert _focused_id(page) == "error-summary"
    summary.get_by_role("link", name="Phone").click()
    expect(page.get_by_label("Phone")).to_be_focused()


def test_a_failed_log_in_moves_focus_to_the_error_summary(page, live_server):
    UserFactory(username="ada")
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill("ada")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD + "-wrong")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator("#error-summary")).to_be_focused()
