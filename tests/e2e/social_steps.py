"""Steps the social journeys share, as a person does them in the browser."""

from playwright.sync_api import expect

from tests.e2e.test_checkout import add_to_cart, fill_address, pay_with


def purchases_share_and_buy(page, slug: str, title: str) -> None:
    """On PAGE (signed in): share purchases with friends in the privacy settings, then buy
    one of product SLUG (named TITLE) with the test card, up to the thank-you page."""
    page.goto("/settings/privacy/")
    page.get_by_role("group", name="Who sees what I buy").get_by_label("My friends").check()
    page.get_by_role("button", name="Save privacy settings").click()
    expect(page.get_by_text("Your privacy settings are saved.")).to_be_visible()
    add_to_cart(page, slug, title)
    page.goto("/checkout/")
    fill_address(page)
    page.get_by_role("button", name="Continue to review").click()
    page.get_by_role("button", name="Place order").click()
    pay_with(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you!")
