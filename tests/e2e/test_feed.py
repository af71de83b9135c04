"""The feed in a real browser: a friend turns purchase sharing on and buys; the other sees
the purchase on /feed/."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, watched_page
from tests.e2e.social_steps import purchases_share_and_buy
from tests.e2e.test_friends import log_in
from tests.factories import (
    MerchantFactory,
    ProductFactory,
    ShippingMethodFactory,
    UserFactory,
    VariantFactory,
    friends_make,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_friend_shares_a_purchase_and_the_other_sees_it_in_the_feed(
    page, browser, live_server, request, settings
):
    settings.PAYMENT_GATEWAY = "fake"
    lumen = MerchantFactory(name="Lumen", slug="lumen")
    lamp = ProductFactory(
        title="Brass desk lamp", slug="brass-desk-lamp", merchant=lumen, with_variants=0
    )
    VariantFactory(product=lamp, name="One size", sku="LAMP-1", price=4900, stock=5)
    ShippingMethodFactory(code="standard", name="Standard delivery", price=490)
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    ben = UserFactory(username="ben", display_name="Ben Brandt", last_login=timezone.now())
    friends_make(ana, ben)

    log_in(page, "ana")
    purchases_share_and_buy(page, "brass-desk-lamp", "Brass desk lamp")

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as other:
        log_in(other, "ben")
        other.goto("/feed/")
        expect(other.get_by_role("heading", level=1)).to_have_text("Feed")
        entry = other.get_by_role("listitem").filter(has_text="Ana Alves")
        expect(entry).to_contain_text(re.compile(r"Ana Alves\s+bought\s+Brass desk lamp"))
        expect(entry.get_by_role("link", name="Brass desk lamp")).to_have_attribute(
            "href", "/products/brass-desk-lamp/"
        )
        expect(entry).to_contain_text("€49.00")
        assert_accessible(other)
