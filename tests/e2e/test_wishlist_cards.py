"""Wishlists from the cards and the cart in a real browser: Ana adds a mug to her wishlist
from /products/ without a reload, then moves the lamp in her cart to the same list; the list
shows both."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shop.cart.services import cart_get_or_create, cart_item_add
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_friends import log_in
from tests.factories import ProductFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_from_a_card_and_move_from_the_cart_to_the_wishlist(page, live_server):
    mug = ProductFactory(title="Blue Mug", slug="blue-mug", with_variants=0)
    VariantFactory(product=mug, name="Small", sku="MUG-S", price=900, stock=0)
    VariantFactory(product=mug, name="Large", sku="MUG-L", price=1200, stock=4)
    lamp = ProductFactory(title="Brass Lamp", slug="brass-lamp", with_variants=0)
    lamp_large = VariantFactory(product=lamp, name="Large", sku="LAMP-L", price=4900, stock=5)
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    cart_item_add(
        cart=cart_get_or_create(user=ana, token=None), variant_id=lamp_large.pk, quantity=2
    )

    log_in(page, "ana")
    page.goto("/products/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Add to wishlist Blue Mug").click()
    status = page.get_by_role("status").filter(has_text="Added to “My wishlist”")
    expect(status).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page)

    page.goto("/cart/")
    page.get_by_role("button", name="Move to wishlist Brass Lamp").click()
    expect(page.get_by_text("Moved to “My wishlist”.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Brass Lamp"))).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="“My wishlist”").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My wishlist")
    expect(page.get_by_role("heading", name="Blue Mug")).to_be_visible()
    expect(page.get_by_role("heading", name="Brass Lamp")).to_be_visible()
    expect(page.get_by_text("Large").first).to_be_visible()
