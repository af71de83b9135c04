"""A merchant's staff member runs their catalogue in Django admin: adds a product with a variant
and a picture, types a price in euros, adds an option row."""

import re

import pytest
from playwright.sync_api import expect

from shop.catalog import services
from shop.catalog.models import Product
from tests.factories import (
    DEFAULT_PASSWORD,
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
    image_bytes,
)


def log_in(page, login: str) -> None:
    page.goto("/admin/")
    page.get_by_label("Email or username").fill(login)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def shop(transactional_db):
    alpha = MerchantFactory(name="Alpha Outdoor", slug="alpha-outdoor")
    beta = MerchantFactory(name="Beta Home", slug="beta-home")
    staff = UserFactory(username="olivia", email="olivia@alpha.example")
    services.merchant_staff_add(merchant=alpha, user=staff)
    CategoryFactory(name="Tents", slug="tents")
    ProductFactory(merchant=alpha, title="Alpha Bivvy")
    ProductFactory(merchant=beta, title="Beta Teapot")
    return {"alpha": alpha, "staff": staff}


def test_merchant_staff_adds_a_product_with_a_variant_and_an_image(page, shop, tmp_path):
    picture = tmp_path / "tent.png"
    picture.write_bytes(image_bytes(size=(120, 80), color="darkgreen"))

    log_in(page, "olivia")
    page.get_by_role("link", name="Products").first.click()
    expect(page.get_by_role("table").get_by_role("link", name="Alpha Bivvy")).to_be_visible()
    expect(page.get_by_role("link", name="Beta Teapot")).to_have_count(0)

    page.get_by_role("link", name=re.compile("Add product")).click()
    page.get_by_label("Title").press_sequentially("Summit Two Tent")
    expect(page.get_by_label("Slug")).to_have_value("summit-two-tent")
    expect(page.get_by_label("Merchant")).to_have_value(str(shop["alpha"].pk))
    page.get_by_label("Category").select_option(label="Tents")
    variants = page.locator("#variants-group")
    variants.get_by_role("textbox", name="SKU").fill("SUM-2P-GRN")
    variants.get_by_role("textbox", name="Variant name").fill("Green")
    variants.get_by_role("textbox", name="Price in euros", exact=True).fill("249")
    variants.get_by_role("spinbutton", name="Stock", exact=True).fill("12")
    first_image = page.locator("#images-0")  # not the hidden template row for "add another"
    first_image.get_by_label("Image:", exact=True).set_input_files(str(picture))
    first_image.get_by_label("Alt text").fill("The Summit Two Tent pitched on grass")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name="Summit Two Tent")).to_be_visible()
    expect(results.get_by_role("link", name="Alpha Bivvy")).to_be_visible()
    expect(results.get_by_role("link", name="Beta Teapot")).to_have_count(0)
    expect(results.get_by_role("row", name=re.compile("Summit Two Tent"))).to_contain_text(
        "€249.00"
    )

    product = Product.objects.get(slug="summit-two-tent")
    assert product.merchant == shop["alpha"]
    assert list(product.variants.values_list("sku", "stock")) == [("SUM-2P-GRN", 12)]
    assert product.images.get().thumbnail

    results.get_by_role("link", name="Summit Two Tent").click()
    expect(page.get_by_role("img", name="The Summit Two Tent pitched on grass")).to_be_visible()


def test_staff_type_a_price_in_euros_and_add_an_option_row(page, shop):
    product = ProductFactory(
        merchant=shop["alpha"], title="Alpha Hammock", slug="alpha-hammock", with_variants=0
    )
    variant = VariantFactory(
        product=product, sku="HAM-1", name="Green", options={"colour": "green"}, price=2500
    )

    log_in(page, "olivia@alpha.example")  # the email works as well as the username
    page.goto(f"/admin/catalog/product/{product.pk}/change/")
    row = page.locator("#variants-0")
    price = row.get_by_role("textbox", name="Price in euros", exact=True)
    expect(price).to_have_value("25.00")
    price.fill("29.99")
    expect(row.get_by_role("textbox", name="Option 2 name")).to_have_count(0)
    row.get_by_role("button", name="Add a row").click()
    expect(row.get_by_role("textbox", name="Option 2 name")).to_be_focused()
    row.get_by_role("textbox", name="Option 2 name").fill("size")
    row.get_by_role("textbox", name="Option 2 value").fill("one size")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(row.get_by_role("textbox", name="Price in euros", exact=True)).to_have_value("29.99")
    # Both rows come back (in PostgreSQL's jsonb key order, which need not be the typed one).
    values = row.locator(".agora-pairs__value").evaluate_all("inputs => inputs.map(i => i.value)")
    assert sorted(value for value in values if value) == ["green", "one size"]
    variant.refresh_from_db()
    assert (variant.price, variant.options) == (2999, {"colour": "green", "size": "one size"})

    page.goto("/products/alpha-hammock/")
    expect(page.locator("[data-variant-price]")).to_have_text("€29.99")


def test_a_price_that_is_not_money_is_explained_on_the_row(page, shop):
    product = ProductFactory(merchant=shop["alpha"], title="Alpha Stove", with_variants=0)
    VariantFactory(product=product, sku="STOVE-1", price=4500)

    log_in(page, "olivia")
    page.goto(f"/admin/catalog/product/{product.pk}/change/")
    row = page.locator("#variants-0")
    row.get_by_role("textbox", name="Price in euros", exact=True).fill("45,999")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("#variants-0")).to_contain_text("Enter at most two decimals")
    expect(
        page.locator("#variants-0").get_by_role("textbox", name="Price in euros", exact=True)
    ).to_have_value("45,999")


def test_without_javascript_empty_option_rows_are_there_to_fill(browser, live_server, shop):
    product = ProductFactory(merchant=shop["alpha"], title="Alpha Mat", with_variants=0)
    variant = VariantFactory(product=product, sku="MAT-1", options={"colour": "blue"})
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()

    log_in(page, "olivia")
    page.goto(f"/admin/catalog/variant/{variant.pk}/change/")
    expect(page.get_by_role("button", name="Add a row")).to_be_hidden()
    page.get_by_role("textbox", name="Option 2 name").fill("size")
    page.get_by_role("textbox", name="Option 2 value").fill("XL")
    page.get_by_role("button", name="Save", exact=True).click()
    context.close()

    variant.refresh_from_db()
    assert variant.options == {"colour": "blue", "size": "XL"}
