"""Likes in a real browser: a friend turns purchase sharing on and buys; the other sees
"Bought by 1 friend" on the product, likes it without a reload (the count changes, "more
like this" appears), finds it on /likes/; the buyer is told of the like."""

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


def test_a_friend_likes_what_the_other_bought_without_a_reload(
    page, browser, live_server, request, settings
):
    settings.PAYMENT_GATEWAY = "fake"
    trail = MerchantFactory(name="Outdoor Co", slug="outdoor-co")
    jacket = ProductFactory(
        title="Trail Jacket", slug="trail-jacket", merchant=trail, with_variants=0
    )
    VariantFactory(product=jacket, name="One size", sku="JACKET-1", price=12900, stock=5)
    shell = ProductFactory(title="Storm Shell", slug="storm-shell", merchant=trail, with_variants=0)
    VariantFactory(product=shell, name="One size", sku="SHELL-1", price=9900, stock=5)
    ShippingMethodFactory(code="standard", name="Standard delivery", price=490)
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    ben = UserFactory(username="ben", display_name="Ben Brandt", last_login=timezone.now())
    friends_make(ana, ben)

    log_in(page, "ana")
    purchases_share_and_buy(page, "trail-jacket", "Trail Jacket")

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as other:
        log_in(other, "ben")
        other.goto("/products/trail-jacket/")
        product = other.locator(".likes--page")
        expect(product.locator(".social-proof")).to_contain_text("Bought by 1 friend")
        like = product.get_by_role("button", name=re.compile(r"^Like Trail Jacket"))
        expect(like).to_have_attribute("aria-pressed", "false")
        expect(like).to_contain_text("0")
        other.evaluate("window.notReloaded = true")

        like.click()

        liked = product.get_by_role("button", name=re.compile(r"^Liked Trail Jacket"))
        expect(liked).to_have_attribute("aria-pressed", "true")
        expect(liked).to_contain_text("1")
        expect(other.get_by_role("region", name="More like Trail Jacket")).to_contain_text(
            "Storm Shell"
        )
        assert other.evaluate("window.notReloaded") is True
        assert_accessible(other)

        other.goto("/likes/")
        expect(other.get_by_role("heading", level=1)).to_have_text("Your likes")
        expect(other.get_by_role("link", name="Trail Jacket")).to_be_visible()
        assert_accessible(other)

    page.goto("/notifications/")
    expect(
        page.get_by_role("link", name=re.compile("Ben Brandt liked Trail Jacket, which you bought"))
    ).to_be_visible()
