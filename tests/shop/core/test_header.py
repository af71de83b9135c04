"""The page's header and footer (templates/base.html): account menu, categories, store pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shop.accounts import services as account_services
from shop.catalog import category_selectors, services
from shop.core.images import PRODUCT_IMAGE, image_verify
from tests.factories import CategoryFactory, ProductFactory, UserFactory, image_bytes
from tests.html import html

pytestmark = pytest.mark.django_db


def header(response):
    return html(response).one("header", cls="site-header")


def footer(response):
    return html(response).one("footer", cls="site-footer")


@pytest.fixture
def tree():
    home = CategoryFactory(name="Home & living", slug="home", position=1)
    CategoryFactory(name="Lighting", slug="lighting", parent=home, position=2)
    CategoryFactory(name="Ceramics", slug="ceramics", parent=home, position=3)
    CategoryFactory(name="Clothing", slug="clothing", position=4)
    return home


# --- the account menu ---------------------------------------------------------------------------


def test_signed_out_visitors_get_log_in_and_sign_up(client):
    bar = header(client.get("/cart/"))

    assert bar.one("a", href="/accounts/login/").text == "Log in"
    assert bar.one("a", href="/accounts/signup/").text == "Sign up"
    assert bar.all("button", aria_controls="account-menu") == []


def test_the_account_menu_is_a_closed_disclosure_with_the_persons_links(client, nav_registry_empty):
    # The shop's own links only: what the installed apps register is theirs to test.
    client.force_login(UserFactory(username="ada", display_name="Ada Lovelace"))

    bar = header(client.get("/cart/"))

    button = bar.one("button", aria_controls="account-menu")
    assert button.attrs["aria-expanded"] == "false"
    assert button.text == "A Your account (Ada Lovelace)"  # the initial, then its name
    panel = bar.one("div", id="account-menu")
    assert "hidden" in panel.attrs
    links = {a.text: a.attrs["href"] for a in panel.all("a")}
    assert links == {
        "Your profile": "/people/ada/",
        "Your orders": "/orders/",
        "Edit profile": "/accounts/profile/",
    }
    logout = panel.one("form", action="/accounts/logout/")
    assert logout.attrs["method"] == "post"
    assert logout.one("input", name="csrfmiddlewaretoken")
    assert logout.one("button", type="submit").text == "Log out"


def test_staff_get_the_admin_link(client):
    client.force_login(UserFactory(is_staff=True))

    panel = header(client.get("/cart/")).one("div", id="account-menu")

    assert panel.one("a", href="/admin/").text == "Admin"


def test_the_account_button_shows_the_avatar(client):
    ada = UserFactory()
    upload = SimpleUploadedFile("me.png", image_bytes(size=(200, 200)), content_type="image/png")
    avatar = image_verify(upload, profile=PRODUCT_IMAGE, field="avatar")
    account_services.profile_update(
        user=ada, display_name="Ada", bio="", avatar=avatar, remove_avatar=False
    )
    ada.refresh_from_db()
    client.force_login(ada)

    button = header(client.get("/cart/")).one("button", aria_controls="account-menu")

    avatar = button.one("img")
    assert avatar.attrs["src"] == ada.avatar_thumb.url
    assert avatar.attrs["alt"] == ""  # the button's text names it


def test_the_header_of_a_cached_page_is_the_visitors_own(client, tree):
    ProductFactory(category=tree)
    client.get("/products/")  # cached by an anonymous visitor
    client.force_login(UserFactory(username="ada", is_staff=True))

    bar = header(client.get("/products/"))

    panel = bar.one("div", id="account-menu")
    assert panel.one("a", href="/people/ada/")
    assert panel.one("a", href="/admin/")
    assert panel.one("form", action="/accounts/logout/").one("input", name="csrfmiddlewaretoken")


# --- the categories menu ------------------------------------------------------------------------


def test_the_categories_menu_lists_top_level_categories_with_their_children(client, tree):
    menu = header(client.get("/cart/")).one("div", id="categories-menu")

    sections = [
        (
            section.one("a", cls="mega-menu__heading").text,
            [a.text for a in section.all("a") if "mega-menu__heading" not in a.classes],
        )
        for section in menu.all("div", cls="mega-menu__section")
    ]
    assert sections == [("Home & living", ["Lighting", "Ceramics"]), ("Clothing", [])]
    assert menu.one("a", href="/categories/lighting/")


def test_the_categories_menu_and_the_drawer_are_disclosures(client, tree):
    bar = header(client.get("/"))

    toggle = bar.one("button", aria_controls="categories-menu")
    assert (toggle.text, toggle.attrs["aria-expanded"]) == ("Shop", "false")
    drawer = bar.one("button", aria_controls="site-menu")
    assert (drawer.text, drawer.attrs["aria-expanded"]) == ("Menu", "false")
    assert bar.one("nav", id="site-menu").attrs["aria-label"] == "Main"


def test_the_cached_home_page_menu_rebuilds_when_a_category_changes(
    client, tree, django_capture_on_commit_callbacks
):
    client.get("/")
    lighting = category_selectors.category_get(slug="lighting")

    lighting.name = "Lamps"
    with django_capture_on_commit_callbacks(execute=True):
        services.category_save(category=lighting)

    menu = header(client.get("/")).one("div", id="categories-menu")
    assert menu.one("a", href="/categories/lighting/").text == "Lamps"


@pytest.mark.parametrize("children", [2, 40])
def test_the_categories_menu_reads_no_query_once_cached(django_assert_num_queries, children):
    root = CategoryFactory()
    CategoryFactory.create_batch(children, parent=root)
    category_selectors.category_menu()

    with django_assert_num_queries(0):
        (section,) = category_selectors.category_menu()

    assert len(section.children) == children


@pytest.mark.parametrize("children", [2, 40])
def test_a_page_reads_the_categories_once_whatever_their_number(
    client, django_assert_num_queries, children
):
    root = CategoryFactory()
    CategoryFactory.create_batch(children, parent=root)

    with django_assert_num_queries(1):  # the categories; the anonymous cart page reads nothing
        client.get("/cart/")
    with django_assert_num_queries(0):
        response = client.get("/cart/")

    assert len(header(response).all("a", cls="mega-menu__heading")) == 1


# --- the footer ---------------------------------------------------------------------------------


def test_the_footer_links_the_store_pages_the_cards_and_the_api_docs(client, tree):
    foot = footer(client.get("/"))

    hrefs = {a.attrs["href"] for a in foot.all("a")}
    assert {
        "/pages/about/",
        "/pages/contact/",
        "/pages/shipping-returns/",
        "/pages/privacy/",
        "/pages/terms/",
        "/categories/home/",
        "/categories/clothing/",
    } <= hrefs
    developers = foot.one("nav", aria_labelledby="footer-developers")
    assert developers.one("a", href="/api/docs/").text == "API documentation"
    cards = foot.one("ul", aria_labelledby="payment-methods-title")
    names = [li.one("span", cls="visually-hidden").text for li in cards.all("li")]
    assert names == ["Visa", "Mastercard", "American Express"]
