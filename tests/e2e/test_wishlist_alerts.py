"""A price drop in a real browser: the merchant's staff lowers a price in admin; Ana, who has
the product on her list, finds it in her notifications and sees the drop beside the wish."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gifting.wishlists import services as wishlists
from shop.catalog import services as catalog
from tests.e2e.conftest import watched_page
from tests.e2e.test_friends import log_in
from tests.e2e.test_merchant_admin import log_in as admin_log_in
from tests.factories import MerchantFactory, ProductFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_price_lowered_in_admin_reaches_the_owner_of_the_wish(
    page, browser, live_server, request
):
    alpha = MerchantFactory(name="Alpha Outdoor", slug="alpha-outdoor")
    staff = UserFactory(username="olivia", email="olivia@alpha.example")
    catalog.merchant_staff_add(merchant=alpha, user=staff)
    lamp = ProductFactory(merchant=alpha, title="Brass Lamp", slug="brass-lamp", with_variants=0)
    variant = VariantFactory(product=lamp, name="Large", sku="LAMP-L", price=4900, stock=5)
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    wishlist = wishlists.wishlist_create(owner=ana, title="Birthday", visibility="friends")
    wishlists.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)

    admin_log_in(page, "olivia")
    page.goto(f"/admin/catalog/variant/{variant.pk}/change/")
    page.get_by_label("Price").first.fill("39.00")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as hers:
        log_in(hers, "ana")
        hers.goto("/notifications/")
        told = hers.get_by_text("Brass Lamp – Large on your list “Birthday” is now €39.00")
        expect(told).to_contain_text("(was €49.00)")
        told.click()
        expect(hers.get_by_role("heading", level=1)).to_have_text("Birthday")
        expect(hers.locator(".wish__drop")).to_have_text("Price drop: now €39.00")
