""" "Ask my friends" in a real browser: Ana asks Ben "Should I buy this?" from the product page;
Ben answers No with a comment from his notification, and sees the question in his feed; Ana
sees the answer and the comment on the product page and in her cart.

With ASKS_SCREENSHOTS=<folder> set, the ask form, the friend's feed, the product page's tally
and the cart are also photographed at 1280 and 375 px there.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, watched_page
from tests.e2e.test_checkout import add_to_cart
from tests.e2e.test_friends import log_in
from tests.factories import (
    MerchantFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
    friends_make,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _photograph(page, name: str) -> None:
    folder = os.environ.get("ASKS_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_ana_asks_ben_who_answers_no_and_ana_sees_it_where_she_decides(
    page, browser, live_server, request
):
    outdoor = MerchantFactory(name="Outdoor Co", slug="outdoor-co")
    jacket = ProductFactory(
        title="Trail Jacket", slug="trail-jacket", merchant=outdoor, with_variants=0
    )
    VariantFactory(product=jacket, name="One size", sku="JACKET-1", price=12900, stock=5)
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    ben = UserFactory(username="ben", display_name="Ben Brandt", last_login=timezone.now())
    cleo = UserFactory(username="cleo", display_name="Cleo Costa", last_login=timezone.now())
    friends_make(ana, ben, cleo)

    log_in(page, "ana")
    add_to_cart(page, "trail-jacket", "Trail Jacket")
    page.get_by_role("link", name="Ask my friends").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Should I buy this?")
    page.get_by_label("Ben Brandt").check()
    page.get_by_label("A note for them").fill("For hiking in the rain: worth it?")
    assert_accessible(page)
    _photograph(page, "ask-form")
    page.get_by_role("button", name="Ask my friends").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trail Jacket")
    expect(page.get_by_text("You asked Ben Brandt: should you buy Trail Jacket?")).to_be_visible()
    expect(page.locator(".ask-box")).to_contain_text("No answers yet")

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as other:
        log_in(other, "ben")
        other.goto("/feed/")
        entry = other.locator(".feed-entry").filter(has_text="Ana Alves")
        expect(entry).to_contain_text(re.compile(r"asks: should I buy Trail Jacket\?"))
        expect(entry.get_by_role("button", name="Send my answer")).to_be_visible()
        expect(entry).to_contain_text("For hiking in the rain: worth it?")
        _photograph(other, "ask-feed")
        other.goto("/notifications/")
        other.get_by_role(
            "link", name=re.compile("Ana Alves asks: should I buy Trail Jacket")
        ).click()
        expect(other.get_by_role("heading", level=1)).to_have_text(
            "Ana Alves asks: should I buy Trail Jacket?"
        )
        expect(other.get_by_text("For hiking in the rain: worth it?")).to_be_visible()
        other.get_by_role("radio", name="No").check()
        other.get_by_label("Comment").fill("Wait for the winter sale, it will be 30% off.")
        other.get_by_role("button", name="Send my answer").click()
        expect(other.get_by_text("Your answer is sent to Ana Alves: No.")).to_be_visible()
        expect(other.get_by_text("You said No")).to_be_visible()
        assert_accessible(other)

    page.goto("/products/trail-jacket/")
    box = page.locator(".ask-box")
    expect(box).to_contain_text("0 say yes, 1 says no")
    expect(box.locator(".ask-answer")).to_contain_text("Ben Brandt")
    expect(box.locator(".ask-answer")).to_contain_text(
        "Wait for the winter sale, it will be 30% off."
    )
    assert_accessible(page)
    _photograph(page, "ask-product")
    page.goto("/cart/")
    line = page.locator(".cart-line").filter(has_text="Trail Jacket")
    expect(line).to_contain_text("Your friends say:")
    expect(line).to_contain_text("0 say yes, 1 says no")
    expect(line).to_contain_text("Wait for the winter sale, it will be 30% off.")
    assert_accessible(page)
    _photograph(page, "ask-cart")
