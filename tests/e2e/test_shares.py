"""Shares in a real browser: Ana shares a product with Ben from the product page; Ben sees
the notification and the feed item, opens it (the link carries ?s=), and the visit is
recorded. And the share control's link, without third-party scripts, at 375 px too."""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from social.likes.models import Share, ShareVisit
from tests.e2e.conftest import assert_accessible, watched_page
from tests.e2e.test_friends import log_in
from tests.factories import (
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
    friends_make,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def jacket():
    outdoor = MerchantFactory(name="Outdoor Co", slug="outdoor-co")
    jacket = ProductFactory(
        title="Trail Jacket", slug="trail-jacket", merchant=outdoor, with_variants=0
    )
    VariantFactory(product=jacket, name="M", sku="JKT-M", price=8900, stock=5)
    ProductImageFactory(product=jacket, alt_text="A red trail jacket")
    return jacket


def _people():
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    ben = UserFactory(username="ben", display_name="Ben Brandt", last_login=timezone.now())
    cleo = UserFactory(username="cleo", display_name="Cleo Costa", last_login=timezone.now())
    friends_make(ana, ben, cleo)
    return ana, ben


def _shot(page, name: str) -> None:
    folder = os.environ.get("SHARE_SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=False)


def test_ana_shares_a_product_with_ben_who_opens_it_and_the_visit_is_recorded(
    page, browser, live_server, request, jacket
):
    ana, ben = _people()

    log_in(page, "ana")
    page.goto("/products/trail-jacket/")
    share = page.locator("details.share")
    share.get_by_text("Share", exact=True).click()
    panel = page.get_by_role("group", name="Share this product")
    expect(panel).to_be_visible()
    panel.get_by_role("checkbox", name="Ben Brandt").check()
    panel.get_by_label("Message (optional)").fill("For our hike?")
    panel.get_by_role("button", name="Send to friends").click()
    expect(panel.get_by_text("Shared with Ben Brandt.")).to_be_visible()
    # Sent in place (htmx): the choices are cleared for the next send.
    expect(panel.get_by_role("checkbox", name="Ben Brandt")).not_to_be_checked()
    _shot(page, "share-dialog-1280.png")
    assert_accessible(page)
    token = Share.objects.get(channel="friends").token

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as other:
        log_in(other, "ben")
        other.goto("/notifications/")
        note = other.get_by_role("link", name=re.compile("Ana Alves shared Trail Jacket with you"))
        expect(note).to_be_visible()
        other.goto("/feed/")
        # Her entry of the feed (people you may know beside it may name her as a mutual friend).
        entry = other.get_by_role("listitem").filter(has_text=re.compile(r"Ana Alves\s+shared"))
        expect(entry).to_contain_text(re.compile(r"Ana Alves\s+shared\s+Trail Jacket\s+with you"))
        expect(entry.get_by_role("link", name="Trail Jacket")).to_have_attribute(
            "href", f"/products/trail-jacket/?s={token}"
        )
        entry.get_by_role("link", name="Trail Jacket").click()
        expect(other.get_by_role("heading", level=1)).to_have_text("Trail Jacket")
        assert other.url.endswith(f"?s={token}")

    visit = ShareVisit.objects.get()
    assert visit.visitor_id == ben.pk and visit.share.token == token
    assert Share.objects.get(token=token).visit_count == 1


def test_a_link_to_copy_and_other_networks_on_a_phone(browser, live_server, request, jacket):
    _people()
    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as phone:
        phone.set_viewport_size({"width": 375, "height": 812})
        log_in(phone, "ana")
        phone.goto("/products/trail-jacket/")
        phone.locator("details.share summary").focus()
        phone.keyboard.press("Enter")  # the disclosure opens from the keyboard
        panel = phone.get_by_role("group", name="Share this product")
        expect(panel).to_be_visible()
        panel.get_by_role("button", name="Get a link").click()
        link = panel.get_by_label("Link to share")
        expect(link).to_have_value(re.compile(r"/products/trail-jacket/\?s=[\w-]{16}$"))
        for name in ("Email", "X (Twitter)", "Facebook", "WhatsApp", "Pinterest"):
            expect(
                panel.get_by_role("link", name=re.compile(f"^{re.escape(name)}"))
            ).to_be_visible()
        _shot(phone, "share-dialog-375.png")
        assert_accessible(phone)
        link.press("Escape")  # closes the panel, the focus back on "Share"
        expect(panel).to_be_hidden()
        expect(phone.locator("details.share summary")).to_be_focused()
    assert Share.objects.get().channel == "link"
