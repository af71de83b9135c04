"""The header and footer in a real browser: the account menu and the phone's menu drawer by
keyboard, the footer's store pages, and room in the bar for the social entries to come."""

import re

import pytest
from playwright.sync_api import expect

from shop.core.navigation import NavPlace, nav_entry_register, nav_entry_unregister
from shop.pages.models import StorePage
from tests.factories import DEFAULT_PASSWORD, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ada():
    return UserFactory(username="ada", display_name="Ada Lovelace")


@pytest.fixture
def categories():
    home = CategoryFactory(name="Home & living", slug="home", position=1)
    CategoryFactory(name="Ceramics", slug="ceramics", parent=home, position=2)
    CategoryFactory(name="Lighting", slug="lighting", parent=home, position=3)
    clothing = CategoryFactory(name="Clothing", slug="clothing", position=4)
    CategoryFactory(name="Knitwear", slug="knitwear", parent=clothing, position=5)


@pytest.fixture
def social_entries(nav_registry_empty):
    """The five entries the social apps will register from their AppConfig.ready()."""
    entries = [
        {"key": "feed", "label": "Feed", "url": "/feed/", "icon": "feed", "order": 10},
        {"key": "friends", "label": "Friends", "url": "/friends/", "icon": "friends", "order": 20},
        {
            "key": "wishlists",
            "label": "Wishlists",
            "url": "/wishlists/",
            "icon": "heart",
            "order": 30,
        },
        {"key": "pools", "label": "Pools", "url": "/pools/", "icon": "gift", "order": 40},
        {
            "key": "notifications",
            "label": "Notifications",
            "url": "/notifications/",
            "icon": "bell",
            "places": [NavPlace.HEADER],
            "badge": lambda *, viewer: 3,
            "badge_label": "{count} unread",
        },
    ]
    for entry in entries:
        nav_entry_register(**entry)
    yield
    for entry in entries:
        nav_entry_unregister(key=entry["key"])


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Your account")).to_be_visible()


def tab_to(page, target, *, limit: int = 60) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_the_account_menu_works_with_the_keyboard(page, ada):
    log_in(page, "ada")
    page.goto("/cart/")
    button = page.get_by_role("button", name="Your account")
    menu = page.locator("#account-menu")
    expect(button).to_have_attribute("aria-controls", "account-menu")

    tab_to(page, button)
    expect(menu).to_be_hidden()
    page.keyboard.press("Enter")

    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(menu).to_contain_text("Signed in as Ada Lovelace")
    # The shop's links, then the entries the apps register for the account menu (Likes by
    # social.likes, Wishlists by gifting.wishlists, Gift pools by gifting.pools, Privacy
    # settings by social.graph, Notification settings by social.notifications).
    for name in (
        "Your profile",
        "Your orders",
        "Edit profile",
        "Likes",
        "Wishlists",
        "Gift pools",
        "Privacy settings",
        "Notification settings",
    ):
        page.keyboard.press("Tab")
        expect(menu.get_by_role("link", name=name)).to_be_focused()
    page.keyboard.press("Tab")
    expect(menu.get_by_role("button", name="Log out")).to_be_focused()

    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # on "Your orders"
    expect(page).to_have_url(re.compile(r"/orders/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your orders")


def test_the_account_menu_closes_on_a_click_outside_and_logs_out(page, ada):
    log_in(page, "ada")
    button = page.get_by_role("button", name="Your account")

    button.click()
    expect(page.locator("#account-menu")).to_be_visible()
    page.locator("main").click(position={"x": 5, "y": 5})
    expect(page.locator("#account-menu")).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")

    button.click()
    page.locator("#account-menu").get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_the_menu_drawer_works_with_the_keyboard_on_a_phone(page, categories):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/cart/")
    menu_button = page.get_by_role("button", name="Menu")
    drawer = page.locator("#site-menu")
    expect(drawer).to_be_hidden()
    expect(page.get_by_role("button", name="Shop")).to_be_hidden()  # wide screens' toggle

    tab_to(page, menu_button)
    page.keyboard.press("Tab")  # closed, the drawer's links take no focus
    expect(page.locator(".site-header .brand")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")

    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(drawer).to_be_visible()
    expect(drawer.get_by_role("link", name="All products")).to_be_focused()
    tab_to(page, drawer.get_by_role("link", name="Lighting"), limit=8)
    expect(drawer.get_by_role("link", name="Knitwear")).to_be_visible()

    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(menu_button).to_be_focused()
    expect(menu_button).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    tab_to(page, drawer.get_by_role("link", name="Lighting"), limit=8)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/categories/lighting/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lighting")


def test_the_categories_menu_opens_from_the_shop_button(page, categories):
    page.goto("/")
    shop = page.get_by_role("button", name="Shop")

    shop.click()
    expect(shop).to_have_attribute("aria-expanded", "true")
    page.locator("#categories-menu").get_by_role("link", name="Ceramics").click()

    expect(page).to_have_url(re.compile(r"/categories/ceramics/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ceramics")


def test_the_footer_leads_to_the_terms(page):
    # The migration's page is there when this is a worker's first browser test, gone after
    # another one emptied the database: either way, this is the page.
    StorePage.objects.update_or_create(
        slug="terms",
        defaults={
            "title": "Terms and conditions",
            "body": "## Orders\nAn order is an offer to buy.",
            "is_published": True,
        },
    )
    page.goto("/")

    page.get_by_role("contentinfo").get_by_role("link", name="Terms and conditions").click()

    expect(page).to_have_url(re.compile(r"/pages/terms/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Terms and conditions")
    expect(page.get_by_role("heading", level=2, name="Orders")).to_be_visible()


# What the bar may measure with the five social entries: the phone's bar is one row of
# controls over the search field; the wide bar is one row with the search in it. Before
# issue 14 a signed-in header measured 205 px at 375 and 112 px at 1280, links wrapping.
HEADER_MAX_HEIGHT = {375: 120, 1280: 80}

BAR_ROWS = """() => {
  const visible = (el) => el.getClientRects().length > 0;
  const bar = document.querySelector(".site-header__bar");
  const row = [".site-header__menu-button", ".brand", ".site-menu__toggle",
               ".header-actions > li"]
    .flatMap((selector) => Array.from(bar.querySelectorAll(selector)))
    .filter(visible)
    .map((el) => { const r = el.getBoundingClientRect();
                   return { name: el.textContent.trim().slice(0, 20), top: r.top,
                            bottom: r.bottom, right: r.right, height: r.height }; });
  return { row, width: document.documentElement.clientWidth,
           scrollWidth: document.documentElement.scrollWidth };
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_the_header_fits_five_social_entries_without_wrapping(page, ada, social_entries, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "ada")
    page.goto("/cart/")

    height = page.locator("header.site-header").bounding_box()["height"]
    measured = page.evaluate(BAR_ROWS)

    assert height <= HEADER_MAX_HEIGHT[width], height
    centres = [(item["top"] + item["bottom"]) / 2 for item in measured["row"]]
    assert max(centres) - min(centres) <= 2, measured["row"]  # one row: nothing wrapped
    assert all(item["height"] <= 56 for item in measured["row"]), measured["row"]
    assert max(item["right"] for item in measured["row"]) <= measured["width"]
    assert measured["scrollWidth"] <= measured["width"]  # nothing sticks out sideways
    expect(page.get_by_role("link", name="Notifications, 3 unread")).to_be_visible()
    entries = page.get_by_role("link", name="Wishlists")
    if width == 1280:
        expect(entries).to_be_visible()  # in the bar
        assert len(measured["row"]) == 9  # brand, Shop, four entries, bell, cart, account
    else:
        expect(entries).to_be_hidden()  # no room in the bar: they are in the account menu
        assert len(measured["row"]) == 5  # menu, brand, bell, cart, account
        page.get_by_role("button", name="Your account").click()
        expect(page.locator("#account-menu").get_by_role("link", name="Wishlists")).to_be_visible()
