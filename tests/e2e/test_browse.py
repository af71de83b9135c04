"""A shopper browsing in a real browser: home, search, filters, a product and its options."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop():
    """A small shop: lamps in Lighting (under Home), a mug elsewhere."""
    home = CategoryFactory(name="Home", slug="home")
    lighting = CategoryFactory(name="Lighting", slug="lighting", parent=home)
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    lumen = MerchantFactory(name="Lumen", slug="lumen")

    lamp = ProductFactory(
        title="Brass desk lamp",
        slug="brass-desk-lamp",
        brand="Lumen",
        category=lighting,
        merchant=lumen,
        description="A warm light for late reading.",
        with_variants=0,
        is_featured=True,
    )
    VariantFactory(product=lamp, name="Small", sku="LAMP-S", price=4900, stock=12, position=0)
    VariantFactory(
        product=lamp,
        name="Large",
        sku="LAMP-L",
        price=6900,
        compare_at_price=7900,
        stock=2,
        position=1,
    )
    ProductImageFactory(product=lamp, alt_text="The brass lamp, lit", position=0)

    floor = ProductFactory(
        title="Floor lamp",
        slug="floor-lamp",
        category=lighting,
        merchant=lumen,
        description="",
        with_variants=0,
    )
    VariantFactory(product=floor, name="One size", price=18900, stock=1)

    mug = ProductFactory(
        title="Lamp-black mug", slug="mug", category=kitchen, description="", with_variants=0
    )
    VariantFactory(product=mug, name="One size", price=1200, stock=5)
    return lamp


def card_links(page, list_name: str):
    return page.get_by_role("list", name=list_name).get_by_role("link")


def test_shopper_searches_filters_and_picks_a_variant(page, shop):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Agora")
    featured = page.get_by_role("list", name="Featured products")
    expect(featured.get_by_role("link", name="Brass desk lamp")).to_be_visible()

    page.get_by_role("searchbox", name="Search products").fill("lamp")
    page.get_by_role("searchbox", name="Search products").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “lamp”")
    expect(page.get_by_text("3 products")).to_be_visible()

    # The filters apply as they change (tests/e2e/test_catalog_details.py); Enter applies too.
    page.get_by_label("Category").select_option(label="Lighting")
    page.get_by_label("Min price (€)").fill("20")
    page.get_by_label("Max price (€)").fill("80")
    page.get_by_label("Max price (€)").press("Enter")

    expect(page.get_by_text("1 product", exact=True)).to_be_visible()
    heading = "Results for “lamp” in Lighting"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(card_links(page, heading)).to_have_text(["Brass desk lamp"])
    expect(page.get_by_role("link", name="Category: Lighting (remove this filter)")).to_be_visible()

    page.get_by_role("link", name="Brass desk lamp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brass desk lamp")
    expect(page.get_by_role("img", name="The brass lamp, lit")).to_be_visible()
    status = page.locator("[data-variant-status]")
    expect(status).to_contain_text("€49.00")
    expect(status).to_contain_text("In stock")

    page.get_by_role("radio", name="Large").check()

    expect(status).to_contain_text("€69.00")
    expect(status).to_contain_text("was €79.00")
    expect(status).to_contain_text("Only 2 left")
    expect(status).to_contain_text("LAMP-L")
    expect(page).to_have_url(re.compile(r"\?variant=\d+$"))
    # The address now opens the page on that option.
    page.reload()
    expect(page.get_by_role("radio", name="Large")).to_be_checked()
    expect(status).to_contain_text("€69.00")


def test_bad_price_is_explained_next_to_the_field(page, shop):
    page.goto("/products/?min_price=abc")

    expect(page.get_by_role("alert")).to_contain_text("Enter a price such as 25 or 19.99.")
    expect(page.get_by_label("Min price (€)")).to_have_value("abc")
    expect(page.get_by_label("Min price (€)")).to_have_attribute("aria-invalid", "true")
    expect(card_links(page, "All products")).to_have_count(3)


def test_on_a_phone_the_shopper_filters_and_picks_a_variant(mobile_page, shop):
    page = mobile_page
    page.goto("/products/?q=lamp")

    # Filters are folded away on a small screen, so the results come first.
    expect(page.get_by_label("Category")).to_be_hidden()
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Category").select_option(label="Lighting")
    expect(page.get_by_text("2 products", exact=True)).to_be_visible()

    page.get_by_role("link", name="Brass desk lamp").click()
    page.get_by_role("radio", name="Large").check()
    expect(page.locator("[data-variant-status]")).to_contain_text("€69.00")
    expect(page.locator("[data-variant-status]")).to_contain_text("Only 2 left")

    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def tab_until(page, predicate: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return
    raise AssertionError(f"Tab never reached: {predicate}")


def test_keyboard_reaches_search_and_variant_radios(page, shop):
    page.goto("/")

    tab_until(page, "document.activeElement.id === 'site-search-q'")
    page.keyboard.type("desk")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “desk”")

    page.goto("/products/brass-desk-lamp/")
    tab_until(page, "document.activeElement.name === 'variant'")
    expect(page.get_by_role("radio", name="Small")).to_be_focused()
    page.keyboard.press("ArrowRight")

    expect(page.get_by_role("radio", name="Large")).to_be_checked()
    expect(page.locator("[data-variant-status]")).to_contain_text("€69.00")
    # Focus is drawn: the focused option has a visible outline.
    outline = page.evaluate(
        "getComputedStyle(document.activeElement.closest('label')).outlineStyle"
    )
    assert outline == "solid"


def test_on_a_phone_without_javascript_the_list_fits_and_sorts(browser, live_server, shop):
    """Without JavaScript (or before it runs) the sort box has its own "Sort" button: on a
    375 px screen it wraps under the select instead of pushing the page sideways."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/products/")
        sort = page.get_by_role("button", name="Sort", exact=True)
        expect(sort).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        box = sort.bounding_box()
        assert box["x"] + box["width"] <= 375

        page.get_by_label("Sort by").select_option(label="Price: low to high")
        sort.click()
        expect(page.get_by_role("link", name="Lamp-black mug")).to_be_visible()
        assert "sort=" in page.url
    finally:
        context.close()
