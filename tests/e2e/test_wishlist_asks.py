"""Ask my friends about my list, in a real browser: Ana asks her friends which gift to pick;
Ben follows the notification to her list, votes 👍 and comments (in place, without a
reload); Ana sees the vote and the comment beside the wish, and is told in her
notifications."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gifting.wishlists import services
from tests.e2e.conftest import assert_accessible, watched_page
from tests.e2e.test_friends import log_in
from tests.factories import ProductFactory, UserFactory, VariantFactory, friends_make

pytestmark = pytest.mark.django_db(transaction=True)


def test_ana_asks_ben_votes_and_comments_ana_sees_it(page, browser, live_server, request):
    lamp = ProductFactory(title="Brass Lamp", slug="brass-lamp", with_variants=0)
    VariantFactory(product=lamp, name="Large", sku="LAMP-L", price=4900, stock=5)
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    ben = UserFactory(username="ben", display_name="Ben Brandt", last_login=timezone.now())
    friends_make(ana, ben)
    wishlist = services.wishlist_create(owner=ana, title="Birthday", visibility="friends")
    services.wishlist_item_add(wishlist=wishlist, variant_id=lamp.variants.get().pk)

    log_in(page, "ana")
    page.goto(f"/wishlists/{wishlist.token}/")
    page.get_by_role("link", name="Ask my friends").click()
    expect(page.get_by_role("heading", name="Ask your friends which gift to pick?")).to_be_visible()
    page.get_by_role("button", name="Ask my friends").click()
    expect(page.get_by_text("Your friends are asked")).to_be_visible()

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as other:
        log_in(other, "ben")
        other.goto("/notifications/")
        other.get_by_role("link", name=re.compile("Ana Alves asks which gift to pick")).click()
        expect(other.get_by_role("heading", name="Brass Lamp")).to_be_visible()
        other.evaluate("window.notReloaded = true")
        other.get_by_role("button", name="👍 Yes, Brass Lamp", exact=True).click()
        expect(other.get_by_role("status").filter(has_text="You voted 👍.")).to_be_visible()
        expect(
            other.get_by_role("button", name="👍 Yes, Brass Lamp", exact=True)
        ).to_have_attribute("aria-pressed", "true")
        other.get_by_label(re.compile("^Comment")).fill("Get this one, it is lovely")
        other.get_by_role("button", name=re.compile("^Post comment")).click()
        expect(other.get_by_text("Get this one, it is lovely")).to_be_visible()
        assert other.evaluate("window.notReloaded") is True
        assert_accessible(other)

    page.goto(f"/wishlists/{wishlist.token}/")
    expect(page.get_by_text("(Ben Brandt)")).to_be_visible()
    expect(page.get_by_text("Get this one, it is lovely")).to_be_visible()
    expect(page.get_by_text("Taken by")).to_have_count(0)
    assert_accessible(page)
    page.goto("/notifications/")
    expect(page.get_by_text("Ben Brandt answered about “Birthday”")).to_be_visible()
