"""Wishlists in a real browser: Ana makes a birthday list for her friends, gifts going to her
saved address, and adds a product to it from its page without a reload; Ben opens the list
from his feed, claims the gift and buys it shipped to Ana's hidden address (he reads only
"Ana Alves’s registry address"); Chloé sees it taken by Ben; Ana sees no claim and no buyer
until she presses Reveal and confirms."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shop.orders.models import Order
from tests.e2e.conftest import assert_accessible, watched_page
from tests.e2e.test_checkout import pay_with
from tests.e2e.test_friends import log_in
from tests.factories import (
    AddressFactory,
    ProductFactory,
    ShippingMethodFactory,
    UserFactory,
    VariantFactory,
    friends_make,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The exact name read out: "I’ll give this: Brass Lamp", no stray space before the colon.
GIVE = "I’ll give this: Brass Lamp"


def test_a_friend_buys_a_gift_for_the_hidden_address_the_owner_sees_only_after_reveal(
    page, browser, live_server, request, settings
):
    settings.PAYMENT_GATEWAY = "fake"
    ShippingMethodFactory(code="standard", name="Standard delivery", price=490)
    lamp = ProductFactory(title="Brass Lamp", slug="brass-lamp", with_variants=0)
    VariantFactory(product=lamp, name="Large", sku="LAMP-L", price=4900, stock=5)
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    ben = UserFactory(username="ben", display_name="Ben Brandt", last_login=timezone.now())
    chloe = UserFactory(username="chloe", display_name="Chloé Chen", last_login=timezone.now())
    friends_make(ana, ben, chloe)
    friends_make(ben, chloe)
    AddressFactory(user=ana, full_name="Ana Alves", line1="7 Hidden Lane", city="Lisbon")

    log_in(page, "ana")
    page.goto("/wishlists/")
    page.get_by_label("Name of the list").fill("Birthday")
    page.get_by_label("Who sees it").select_option("friends")
    page.get_by_label("Friends may send gifts to").select_option(index=1)
    page.get_by_role("button", name="Make the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Birthday")
    link = page.get_by_label("Share this link").input_value()
    page.goto("/products/brass-lamp/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Add to wishlist", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Added to “Birthday”")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as other:
        log_in(other, "ben")
        other.goto("/feed/")
        other.get_by_role("link", name="Birthday").first.click()
        expect(other.get_by_role("heading", name="Brass Lamp")).to_be_visible()
        other.get_by_role("button", name=GIVE, exact=True).click()
        expect(other.get_by_text("Taken by you")).to_be_visible()
        assert_accessible(other)

        other.get_by_role("button", name="Buy this gift: Brass Lamp", exact=True).click()
        expect(other.get_by_role("heading", level=1)).to_have_text("Checkout")
        expect(
            other.get_by_role("radio", name=re.compile("Ana Alves’s registry address"))
        ).to_be_checked()
        expect(other.get_by_text("Hidden Lane")).to_have_count(0)
        other.get_by_role("button", name="Continue to review").click()
        expect(other.get_by_text("Ana Alves’s registry address")).to_be_visible()
        other.get_by_role("button", name="Place order").click()
        pay_with(other, "4242 4242 4242 4242")
        order = Order.objects.get()
        expect(other.get_by_role("heading", level=1)).to_contain_text(order.number)
        expect(other.get_by_text("Ana Alves’s registry address")).to_be_visible()
        expect(other.get_by_text("Hidden Lane")).to_have_count(0)
        assert order.ship_line1 == "7 Hidden Lane"

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as third:
        log_in(third, "chloe")
        third.goto(link)
        expect(third.get_by_text(re.compile("Taken by Ben Brandt.*bought"))).to_be_visible()
        expect(third.get_by_role("button", name=GIVE, exact=True)).to_have_count(0)

    page.goto(link)
    expect(page.get_by_role("heading", name="Brass Lamp")).to_be_visible()
    expect(page.get_by_text("Ben Brandt")).to_have_count(0)
    expect(page.get_by_text("Taken by")).to_have_count(0)
    expect(page.get_by_text("bought")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Reveal who gives what").click()
    expect(page.get_by_role("heading", name="Spoil the surprise?")).to_be_visible()
    page.get_by_role("button", name="Reveal").click()
    expect(page.get_by_text("Taken by Ben Brandt")).to_be_visible()
