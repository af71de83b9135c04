"""A merchant marks their line of an order shipped in admin; the shopper sees the tracking."""

import re

import pytest
from playwright.sync_api import expect

from shop.catalog.services import merchant_staff_add
from shop.orders import services
from tests.factories import (
    DEFAULT_PASSWORD,
    CartFactory,
    CartLineFactory,
    MerchantFactory,
    ProductFactory,
    ShippingMethodFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paid_order(settings):
    """Ada's paid order of a lamp from Lumen and a towel from Linen & Co; Olivia works at Lumen."""
    settings.PAYMENT_GATEWAY = "fake"
    lumen = MerchantFactory(name="Lumen", slug="lumen")
    linen = MerchantFactory(name="Linen & Co", slug="linen-co")
    merchant_staff_add(merchant=lumen, user=UserFactory(username="olivia"))
    shopper = UserFactory(username="ada", email="ada@example.com")
    cart = CartFactory(user=shopper)
    for merchant, title in ((lumen, "Brass desk lamp"), (linen, "Linen tea towel")):
        product = ProductFactory(title=title, merchant=merchant, with_variants=0)
        CartLineFactory(cart=cart, variant=VariantFactory(product=product, price=2000), quantity=1)
    method = ShippingMethodFactory(code="standard", name="Standard delivery", price=490)
    order = services.order_place(
        cart=cart,
        customer=shopper,
        email=shopper.email,
        address=services.AddressInput(
            full_name="Ada Lovelace",
            line1="12 Rue des Lilas",
            line2="",
            postal_code="75011",
            city="Paris",
            country="FR",
        ),
        shipping_method_id=method.pk,
    )
    services.order_pay(order=order, payment_method="4242 4242 4242 4242")
    return order


def log_in_to_admin(page, username: str) -> None:
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_merchant_ships_their_line_and_the_shopper_sees_the_tracking_number(page, paid_order):
    number = paid_order.number
    log_in_to_admin(page, "olivia")
    # The model's row of the admin index (the app's caption is a link named "Orders" too).
    page.get_by_role("row", name=re.compile(r"^Orders")).get_by_role("link", name="Orders").click()
    row = page.get_by_role("row", name=re.compile(number))
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(
        label="Mark shipped (asks for tracking numbers)"
    )
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_role("row", name=re.compile(number))).to_contain_text("Lumen")
    expect(page.get_by_role("row", name=re.compile(number))).not_to_contain_text("Linen")
    page.get_by_label("Tracking number").fill("LP-0042-FR")
    page.get_by_label("Carrier").fill("La Poste")
    page.get_by_role("button", name="Mark shipped").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Order {number}: Lumen's lines marked shipped, tracking number LP-0042-FR."
    )
    page.get_by_role("button", name="Log out").click()

    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill("ada")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/orders/")
    page.get_by_role("link", name=number).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {number}")
    lumen = page.locator(".merchant-group", has=page.get_by_role("heading", name="From Lumen"))
    expect(lumen).to_contain_text("with La Poste")
    expect(lumen).to_contain_text("Tracking number: LP-0042-FR")
    linen = page.locator(".merchant-group", has=page.get_by_role("heading", name="From Linen & Co"))
    expect(linen).to_contain_text("Not shipped yet.")
    progress = page.get_by_role("list", name="Order progress").get_by_role("listitem")
    expect(progress.filter(has_text="Partly shipped")).to_have_attribute("aria-current", "step")
