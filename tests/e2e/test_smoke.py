from playwright.sync_api import expect


def test_home_page_opens_in_a_browser(page):
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
