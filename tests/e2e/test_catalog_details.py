"""Catalogue details in a real browser: filters that apply as they change, the prices a price
filter shows, "did you mean", sold-out products last, the low-stock message, and "Add to
cart" on a phone."""

import re
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from shop.catalog import services
from shop.catalog.models import Product
from shop.core.images import PRODUCT_IMAGE, image_verify
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    VariantFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop():
    """Tents and lighting; newest first: Storm tent (sold out), Candle holder, Ridge tent."""
    tents = CategoryFactory(name="Tents", slug="tents")
    lighting = CategoryFactory(name="Lighting", slug="lighting")
    lumen = MerchantFactory(name="Lumen", slug="lumen")

    def product(title, slug, category, day, variants):
        row = ProductFactory(
            title=title,
            slug=slug,
            category=category,
            merchant=lumen,
            description="",
            brand="",
            with_variants=0,
        )
        for position, (name, price, stock) in enumerate(variants):
            VariantFactory(product=row, name=name, price=price, stock=stock, position=position)
        Product.objects.filter(pk=row.pk).update(created_at=datetime(2024, 1, day, tzinfo=UTC))
        return row

    product("Ridge tent", "ridge-tent", tents, 1, [("Two-person", 24900, 8)])
    candle = product(
        "Candle holder",
        "candle-holder",
        lighting,
        2,
        [("Single", 2795, 9), ("Set of 2", 5900, 4), ("Set of 4", 8900, 3), ("Set of 6", 25000, 1)],
    )
    # Stored as a merchant's upload is: checked, re-encoded, with its renditions.
    upload = SimpleUploadedFile("candle.png", image_bytes(size=(1400, 1400)))
    services.product_image_add(
        product=candle,
        image=image_verify(upload, profile=PRODUCT_IMAGE),
        alt_text="A brass candle holder",
    )
    product("Storm tent", "storm-tent", tents, 3, [("Four-person", 39900, 0)])
    return candle


def card_titles(page):
    return page.locator(".product-card__link")


def card(page, title: str):
    return page.locator("article.product-card", has=page.get_by_role("link", name=title))


# --- filters apply as they change ---------------------------------------------------------


def test_filters_and_sort_apply_as_they_change_without_reloading_the_page(page, shop):
    page.goto("/products/")
    expect(card_titles(page)).to_have_text(["Candle holder", "Ridge tent", "Storm tent"])
    # JavaScript runs: the buttons are not needed, and hidden.
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
    expect(page.get_by_role("button", name="Sort", exact=True)).to_be_hidden()
    # Set on this document: gone if the browser loaded another page.
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Category").select_option(label="Tents")

    expect(page).to_have_url(re.compile(r"/products/\?category=tents$"))
    expect(card_titles(page)).to_have_text(["Ridge tent", "Storm tent"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Tents")
    expect(page).to_have_title("Tents · Agora")
    expect(page.get_by_role("status").filter(has_text="products")).to_have_text("2 products")

    page.get_by_label("Sort by").select_option(label="Price: low to high")

    expect(page).to_have_url(re.compile(r"/products/\?category=tents&sort=price_asc$"))
    expect(card_titles(page)).to_have_text(["Ridge tent", "Storm tent"])
    page.get_by_label("Sort by").select_option(label="Price: high to low")
    expect(card_titles(page)).to_have_text(["Storm tent", "Ridge tent"])

    page.get_by_label("In stock only").check()

    expect(card_titles(page)).to_have_text(["Ridge tent"])
    expect(page).to_have_url(re.compile(r"in_stock=1"))
    expect(page.get_by_role("link", name="In stock only (remove this filter)")).to_be_visible()
    expect(page.get_by_label("Sort by")).to_be_hidden()  # one product: nothing to sort
    assert page.evaluate("window.notReloaded") is True

    # Back goes to the list before the last change, whose sort still applies on change.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/products/\?category=tents&sort=price_desc$"))
    expect(card_titles(page)).to_have_text(["Storm tent", "Ridge tent"])
    expect(page.get_by_label("Category")).to_have_value("tents")
    expect(page.get_by_label("In stock only")).not_to_be_checked()
    page.get_by_label("Sort by").select_option(label="Price: low to high")
    expect(card_titles(page)).to_have_text(["Ridge tent", "Storm tent"])
    expect(page).to_have_url(re.compile(r"/products/\?category=tents&sort=price_asc$"))


def test_a_price_typed_applies_when_the_shopper_moves_on(page, shop):
    page.goto("/products/")
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Min price (€)").fill("50")
    page.get_by_label("Max price (€)").focus()  # the change is made when the box is left

    expect(page).to_have_url(re.compile(r"/products/\?min_price=50$"))
    expect(card_titles(page)).to_have_text(["Candle holder", "Ridge tent", "Storm tent"])
    page.get_by_label("Max price (€)").fill("200")
    page.get_by_label("Max price (€)").press("Enter")

    expect(page).to_have_url(re.compile(r"/products/\?min_price=50&max_price=200$"))
    expect(card_titles(page)).to_have_text(["Candle holder"])
    expect(page.locator("summary")).to_contain_text("2 active")
    assert page.evaluate("window.notReloaded") is True


def test_a_bad_price_is_explained_without_losing_what_was_typed(page, shop):
    page.goto("/products/")

    page.get_by_label("Min price (€)").fill("abc")
    page.get_by_label("Min price (€)").press("Tab")

    expect(page.get_by_role("alert")).to_contain_text("Enter a price such as 25 or 19.99.")
    expect(page.get_by_label("Min price (€)")).to_have_value("abc")
    expect(card_titles(page)).to_have_count(3)


def test_without_javascript_the_buttons_apply_the_filters_and_the_sort(browser, live_server, shop):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/products/")
        page.locator("summary", has_text="Filters").click()  # (JavaScript opens it when wide)

        page.get_by_label("Category").select_option(label="Tents")
        expect(page).to_have_url(re.compile(r"/products/$"))  # nothing happens on change
        page.get_by_role("button", name="Apply filters").click()

        expect(page).to_have_url(re.compile(r"category=tents"))
        expect(card_titles(page)).to_have_text(["Ridge tent", "Storm tent"])
        expect(page.get_by_role("heading", level=1)).to_have_text("Tents")

        page.get_by_label("Sort by").select_option(label="Price: high to low")
        page.get_by_role("button", name="Sort", exact=True).click()

        expect(page).to_have_url(re.compile(r"sort=price_desc"))
        expect(card_titles(page)).to_have_text(["Storm tent", "Ridge tent"])
    finally:
        context.close()


# --- what a list shows ------------------------------------------------------------------------


def test_a_card_under_a_price_filter_shows_the_prices_in_the_range(page, shop):
    page.goto("/products/")
    expect(card(page, "Candle holder").locator(".price")).to_have_text("From €27.95")

    page.get_by_label("Min price (€)").fill("50")
    page.get_by_label("Max price (€)").fill("200")
    page.get_by_label("Max price (€)").press("Enter")

    expect(card_titles(page)).to_have_text(["Candle holder"])
    expect(card(page, "Candle holder").locator(".price")).to_have_text("From €59.00")


def test_a_misspelt_search_offers_the_right_spelling_and_follows_it(page, shop):
    page.goto("/")

    page.get_by_role("searchbox", name="Search products").fill("tnet")
    page.get_by_role("searchbox", name="Search products").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “tnet”")
    expect(page.get_by_text("No products match “tnet”.")).to_be_visible()
    expect(page.get_by_text("Did you mean “tent”?")).to_be_visible()

    page.get_by_role("link", name="“tent”").click()

    expect(page).to_have_url(re.compile(r"/products/\?q=tent$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “tent”")
    expect(card_titles(page)).to_have_text(["Ridge tent", "Storm tent"])


def test_products_out_of_stock_come_last(page, shop):
    page.goto("/products/")

    # Newest first, but the sold-out Storm tent (the newest) after those in stock.
    expect(card_titles(page)).to_have_text(["Candle holder", "Ridge tent", "Storm tent"])
    expect(card(page, "Storm tent")).to_contain_text("Out of stock")


# --- the product page -------------------------------------------------------------------------


def test_only_a_few_left_is_said_in_another_colour_than_in_stock(page, shop):
    page.goto("/products/candle-holder/")
    stock = page.locator("[data-variant-stock]")
    expect(stock).to_have_text("In stock")
    in_stock_colour = stock.evaluate("node => getComputedStyle(node).color")

    page.get_by_role("radio", name="Set of 4").check()

    expect(stock).to_have_text("Only 3 left")
    low_colour = stock.evaluate("node => getComputedStyle(node).color")
    assert low_colour != in_stock_colour
    assert low_colour == "rgb(122, 77, 0)"  # --color-warning: 7:1 on the buy box
    # The page opened on that option says the same.
    page.reload()
    expect(stock).to_have_class(re.compile(r"\bstock--low\b"))


def test_on_a_phone_add_to_cart_is_full_width_in_the_first_screen(mobile_page, shop):
    page = mobile_page
    page.goto("/products/candle-holder/")
    button = page.get_by_role("button", name="Add to cart")

    box = button.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 812, box  # no scrolling needed
    assert box["width"] >= 375 - 2 * 16 - 1, box  # the screen's width inside its margins
    # Keyboard order is the page's: the quantity, then "Add to cart".
    page.get_by_label("Quantity").focus()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()

    button.click()
    expect(page.get_by_role("status").filter(has_text="to your cart")).to_be_in_viewport()

    # The bar goes no further than the product: nothing in the footer is under it.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for link in page.locator("footer a").all():
        link.scroll_into_view_if_needed()
        on_top = link.evaluate(
            "node => { const r = node.getBoundingClientRect();"
            " return node.contains(document.elementFromPoint(r.x + r.width / 2,"
            " r.y + r.height / 2)); }"
        )
        assert on_top, link.text_content()


def test_the_main_picture_has_a_sharper_one_for_high_density_screens(browser, live_server, shop):
    context = browser.new_context(base_url=live_server.url, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto("/products/candle-holder/")
        picture = page.get_by_role("img", name="A brass candle holder").first

        srcset = picture.get_attribute("srcset")
        assert re.fullmatch(r"\S+\.webp 1x, \S+\.webp 2x", srcset or ""), srcset
        expect(picture).to_have_js_property("complete", True)
        assert picture.evaluate("node => node.currentSrc").endswith(srcset.split()[2])
    finally:
        context.close()
