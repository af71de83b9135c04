"""The header as the browser tests use it: the account menu is a disclosure to open first."""

from playwright.sync_api import Locator, Page, expect


def account_menu(page: Page) -> Locator:
    """Open the header's account menu (unless it is open) and return its panel."""
    button = page.get_by_role("button", name="Your account")
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    panel = page.locator("#account-menu")
    expect(panel).to_be_visible()
    return panel
