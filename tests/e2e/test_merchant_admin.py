"""A merchant's staff member adds a product in Django admin, with a variant and a picture."""

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
    image_bytes,
)


@pytest.fixture
def shop(transactional_db):
    alpha = MerchantFactory(name="Alpha Outdoor", slug="alpha-outdoor")
    beta = MerchantFactory(name="Beta Home", slug="beta-home")
    staff = UserFactory(username="olivia")
    services.merchant_staff_add(merchant=alpha, user=staff)
    CategoryFactory(name="Tents", slug="tents")
    ProductFactory(merchant=alpha, title="Alpha Bivvy")
    ProductFactory(merchant=beta, title="Beta Teapot")
    return {"alpha": alpha, "staff": staff}


def test_merchant_staff_adds_a_product_with_a_variant_and_an_image(page, shop, tmp_path):
    picture = tmp_path / "tent.png"
    picture.write_bytes(image_bytes(size=(120, 80), color="darkgreen"))

    page.goto("/admin/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
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
    variants.get_by_role("spinbutton", name="Price in cents", exact=True).fill("24900")
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
