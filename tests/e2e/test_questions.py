"""Questions and answers and merchant reputation in a real browser: Ada asks about a lamp on
its product page; the merchant's staff member finds the question among the unanswered ones in
admin and answers it there; Ada is notified and sees the answer marked "Merchant". A shopper
opens the merchant's page and reads its rating, fulfilment record, policies and the friend
who bought there.

With QUESTIONS_SCREENSHOTS=<folder> set, the questions and the merchant page are also
photographed at 1280 and 375 px there.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shop.catalog.models import Product
from shop.catalog.services import merchant_staff_add
from tests.e2e.conftest import assert_accessible, watched_page
from tests.e2e.test_friends import log_in
from tests.e2e.test_merchant_admin import log_in as admin_log_in
from tests.factories import (
    MerchantFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
    friends_make,
    privacy_set,
)
from tests.reviews.reputation.helpers import order_shipped

pytestmark = pytest.mark.django_db(transaction=True)


def _photograph(page, name: str) -> None:
    folder = os.environ.get("QUESTIONS_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _lumen():
    merchant = MerchantFactory(
        name="Lumen Studio",
        slug="lumen",
        description="Lamps made in Ghent.",
        returns_policy="Send it back within 30 days.",
        shipping_policy="Tracked parcels across Europe.",
        ships_within_days=2,
    )
    lamp = ProductFactory(title="Brass Lamp", slug="brass-lamp", merchant=merchant, with_variants=0)
    VariantFactory(product=lamp, name="One size", sku="LAMP-1", price=8900, stock=5)
    return merchant, lamp


def test_a_shopper_asks_the_staff_answer_in_admin_and_the_shopper_reads_it(
    page, browser, live_server, request
):
    merchant, _ = _lumen()
    olivia = UserFactory(username="olivia", display_name="Olivia Staff", email="o@lumen.test")
    merchant_staff_add(merchant=merchant, user=olivia)
    UserFactory(username="ada", display_name="Ada Shopper", last_login=timezone.now())

    log_in(page, "ada")
    page.goto("/products/brass-lamp/")
    section = page.locator("section#questions")
    section.scroll_into_view_if_needed()
    # htmx loads the questions when the section comes into view.
    expect(section).to_contain_text("No questions about Brass Lamp yet.")
    section.get_by_label("Your question").fill("Does it come with a bulb?")
    section.get_by_role("button", name="Ask").click()
    expect(section).to_contain_text("your question is posted")
    expect(
        section.get_by_role("heading", name="Question: Does it come with a bulb?")
    ).to_be_visible()
    expect(section).to_contain_text("Not answered yet.")
    assert_accessible(page)

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as staff:
        admin_log_in(staff, "olivia")
        staff.goto("/admin/questions/question/")
        staff.get_by_role("link", name="Unanswered").click()
        staff.get_by_role("link", name="Does it come with a bulb?").click()
        staff.get_by_label("Your answer").fill("Yes: an E27 LED bulb is in the box.")
        staff.get_by_role("button", name="Save", exact=True).click()
        expect(staff.locator(".messagelist")).to_contain_text("was changed successfully")
        staff.goto("/admin/questions/question/?answered=no")
        expect(staff.locator("#result_list")).to_have_count(0)

    page.goto("/notifications/")
    page.get_by_role(
        "link", name=re.compile("Lumen Studio answered your question about Brass Lamp")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions about Brass Lamp")
    answer = page.locator(".answer").filter(has_text="an E27 LED bulb is in the box")
    expect(answer.locator(".answer__badge")).to_have_text("Merchant")
    # A merchant's answer is the shop's: named after the merchant.
    expect(answer.locator(".answer__who strong")).to_have_text("Lumen Studio")
    assert_accessible(page)
    _photograph(page, "questions-page")
    page.goto("/products/brass-lamp/")
    page.locator("section#questions").scroll_into_view_if_needed()
    expect(page.locator("section#questions")).to_contain_text("1 question about Brass Lamp.")
    _photograph(page, "questions-on-product")


def test_a_shopper_reads_a_merchants_reputation_and_policies(page):
    merchant, _ = _lumen()
    Product.objects.filter(merchant=merchant).update(rating_sum=14, rating_count=3)
    shopper = UserFactory(username="ada", display_name="Ada Shopper", last_login=timezone.now())
    friend = UserFactory(username="fred", display_name="Fred Friend")
    friends_make(shopper, friend)
    privacy_set(friend, purchases="friends")
    order_shipped(merchant, after_days=1, buyer=friend)
    order_shipped(merchant, after_days=5)

    log_in(page, "ada")
    page.goto("/merchants/lumen/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Lumen Studio")
    reputation = page.locator("section.reputation")
    expect(reputation).to_contain_text("4.7 out of 5 (3 ratings)")
    expect(reputation).to_contain_text("50% of items shipped within 2 days of payment")
    friends = reputation.locator(".reputation__friends")
    expect(friends.get_by_role("link", name="Fred Friend")).to_be_visible()
    policies = page.locator("section.merchant-profile__policies")
    expect(policies).to_contain_text("Ships within 2 days of payment.")
    policies.get_by_text("Returns policy").click()
    expect(policies.get_by_text("Send it back within 30 days.")).to_be_visible()
    assert_accessible(page)
    _photograph(page, "merchant-page")
