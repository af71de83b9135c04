"""Issue 9's journey in one go, as two friends live it: Ana turns purchase sharing on and
buys a Trail Jacket; Ben sees it in his feed, follows it to the product ("Bought by 1
friend"), likes it without a reload, and Ana is told; Ben then asks his friends "Should I
buy this?" about it, Ana answers No with a comment from her notification, and Ben sees her
answer on the product page."""

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


def test_bought_seen_in_the_feed_liked_and_asked_about(
    page, browser, live_server, request, settings
):
    settings.PAYMENT_GATEWAY = "fake"
    outdoor = MerchantFactory(name="Outdoor Co", slug="outdoor-co")
    jacket = ProductFactory(
        title="Trail Jacket", slug="trail-jacket", merchant=outdoor, with_variants=0
    )
    VariantFactory(product=jacket, name="One size", sku="JACKET-1", price=12900, stock=5)
    ShippingMethodFactory(code="standard", name="Standard delivery", price=490)
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    ben = UserFactory(username="ben", display_name="Ben Brandt", last_login=timezone.now())
    friends_make(ana, ben)

    # Ana shares her purchases with friends, and buys.
    log_in(page, "ana")
    purchases_share_and_buy(page, "trail-jacket", "Trail Jacket")

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as ben_page:
        # Ben sees the purchase in his feed and follows it to the product.
        log_in(ben_page, "ben")
        ben_page.goto("/feed/")
        entry = ben_page.locator(".feed-entry").filter(has_text="Ana Alves")
        expect(entry).to_contain_text(re.compile(r"Ana Alves\s+bought\s+Trail Jacket"))
        entry.get_by_role("link", name="Trail Jacket").first.click()
        expect(ben_page.get_by_role("heading", level=1)).to_have_text("Trail Jacket")
        product = ben_page.locator(".likes--page")
        expect(product.locator(".social-proof")).to_contain_text("Bought by 1 friend")

        # He likes it, without the page reloading.
        ben_page.evaluate("window.notReloaded = true")
        product.get_by_role("button", name=re.compile(r"^Like Trail Jacket")).click()
        liked = product.get_by_role("button", name=re.compile(r"^Liked Trail Jacket"))
        expect(liked).to_have_attribute("aria-pressed", "true")
        expect(liked).to_contain_text("1")
        assert ben_page.evaluate("window.notReloaded") is True

        # And asks his friends whether he should buy it too.
        ben_page.get_by_role("link", name="Ask my friends").first.click()
        expect(ben_page.get_by_role("heading", level=1)).to_have_text("Should I buy this?")
        ben_page.get_by_label("Ana Alves").check()
        ben_page.get_by_label("A note for them").fill("Is it really waterproof?")
        ben_page.get_by_role("button", name="Ask my friends").click()
        expect(ben_page.get_by_role("heading", level=1)).to_have_text("Trail Jacket")
        expect(ben_page.locator(".ask-box")).to_contain_text("No answers yet")

        # Ana is told of the like, and answers the question from her notification.
        page.goto("/notifications/")
        expect(
            page.get_by_role(
                "link", name=re.compile("Ben Brandt liked Trail Jacket, which you bought")
            )
        ).to_be_visible()
        page.get_by_role(
            "link", name=re.compile("Ben Brandt asks: should I buy Trail Jacket")
        ).click()
        expect(page.get_by_text("Is it really waterproof?")).to_be_visible()
        page.get_by_role("radio", name="No").check()
        page.get_by_label("Comment").fill("Not in a downpour: mine let the rain in.")
        page.get_by_role("button", name="Send my answer").click()
        expect(page.get_by_text("Your answer is sent to Ben Brandt: No.")).to_be_visible()

        # Ben sees her answer where he decides.
        ben_page.goto("/products/trail-jacket/")
        box = ben_page.locator(".ask-box")
        expect(box).to_contain_text("0 say yes, 1 says no")
        expect(box.locator(".ask-answer")).to_contain_text("Ana Alves")
        expect(box.locator(".ask-answer")).to_contain_text(
            "Not in a downpour: mine let the rain in."
        )
        assert_accessible(ben_page)
