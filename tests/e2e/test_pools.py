"""Gift pools in a real browser: Olga opens a pool for a lamp on her friend Ana's birthday list
and invites her friend Fred and Gus (by email); Fred chips in signed in, Gus as a guest through
the emailed link (offered exactly the rest when he asks for more); the pool fills; Olga orders
the gift; Ana opens her gift page and reads both messages, and her list never showed the lamp
as taken. Screenshots of the pool page and the gift page at 375 and 1280 px are left in
tests/e2e/artifacts/ to be looked at."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from gifting.pools import selectors
from gifting.pools.models import Pool
from gifting.wishlists import services as wishlist_services
from tests.e2e.conftest import assert_accessible, screenshots, watched_page
from tests.e2e.test_checkout import pay_with
from tests.e2e.test_friends import log_in
from tests.factories import (
    AddressFactory,
    UserFactory,
    friends_make,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _screenshots(page, name: str) -> None:
    screenshots(page, f"pools-{name}")


def test_friends_pool_for_a_wish_the_recipient_gets_the_gift_page(
    page, browser, live_server, request, brass_lamp
):
    variant = brass_lamp
    ana, olga, fred = (
        UserFactory(username=u, display_name=n, email=f"{u}@example.com", last_login=timezone.now())
        for u, n in (("ana", "Ana Alves"), ("olga", "Olga Ortiz"), ("fred", "Fred Fontaine"))
    )
    friends_make(olga, ana, fred)
    wishlist = wishlist_services.wishlist_create(
        owner=ana,
        title="Birthday",
        visibility="friends",
        shipping_address=AddressFactory(user=ana, full_name="Ana Alves", line1="7 Hidden Lane"),
    )
    wishlist_services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)

    # Olga starts the pool from Ana's list and invites Fred and Gus.
    log_in(page, "olga")
    page.goto(f"/wishlists/{wishlist.token}/")
    page.get_by_role("link", name="Start a gift pool for Brass Lamp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a gift pool")
    page.get_by_role("radio", name=re.compile("^Standard delivery")).check()
    deadline = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Deadline").fill(deadline.isoformat())
    page.get_by_label("Message to the people you invite").fill("Ana turns 30: let's spoil her!")
    page.get_by_role("radio", name="Anyone with the link").check()
    assert_accessible(page)
    _screenshots(page, "new")
    page.get_by_role("button", name="Start the pool").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A gift for Ana Alves")
    expect(page.get_by_text("Ships to Ana Alves’s registry address")).to_be_visible()
    expect(page.get_by_text("Hidden Lane")).to_have_count(0)
    page.get_by_role("checkbox", name="Fred Fontaine").check()
    page.get_by_label("Email addresses").fill("gus@example.com")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("Invited 2 people.")).to_be_visible()
    pool = Pool.objects.get()
    assert pool.target == 5_390
    assert_accessible(page)

    # Fred chips in €30 signed in, with a message for the card.
    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as fred_page:
        log_in(fred_page, "fred")
        fred_page.goto(f"/pools/{pool.token}/")
        expect(fred_page.get_by_role("progressbar")).to_have_attribute("value", "0")
        assert_accessible(fred_page)
        _screenshots(fred_page, "pool-chip-in")
        fred_page.get_by_label("Amount").fill("30")
        fred_page.get_by_label("Message for the card").fill("Happy birthday, Ana! Fred")
        fred_page.get_by_role("button", name="Chip in", exact=True).click()
        expect(fred_page.get_by_role("heading", level=1)).to_have_text("Pay your contribution")
        assert_accessible(fred_page)
        pay_with(fred_page, "4242 4242 4242 4242")
        expect(fred_page.get_by_text("Thank you: your €30.00 is in the pool.")).to_be_visible()
        expect(fred_page.get_by_role("progressbar")).to_have_attribute("value", "55")

    # Gus, a guest, opens the emailed link and is offered exactly the rest.
    message = next(m for m in mail.outbox if m.to == ["gus@example.com"])
    link = urlsplit(re.search(r"https?://\S+/pools/\S+", message.body).group(0))
    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as gus:
        gus.goto(f"{link.path}?{link.query}")
        expect(gus.get_by_role("heading", level=1)).to_have_text("A gift for Ana Alves")
        gus.get_by_label("Amount").fill("30")
        gus.get_by_label("Your name").fill("Gus Green")
        gus.get_by_label("Your email").fill("gus@example.com")
        gus.get_by_label("Message for the card").fill("Enjoy the light! Gus")
        gus.get_by_role("button", name="Chip in", exact=True).click()
        expect(gus.get_by_text("Only €23.90 is left to reach the gift.")).to_be_visible()
        gus.get_by_role("button", name="Chip in €23.90").click()
        pay_with(gus, "4242 4242 4242 4242")
        expect(gus.get_by_text("Thank you: your €23.90 is in the pool.")).to_be_visible()
        expect(gus.get_by_role("progressbar")).to_have_attribute("value", "100")

    # The pool is full: Olga orders the gift; the page follows the order.
    page.reload()
    expect(page.get_by_text("Gus Green")).to_be_visible()
    page.get_by_role("button", name="Order the gift").click()
    expect(page.get_by_text("The gift is ordered: follow it here.")).to_be_visible()
    pool.refresh_from_db()
    assert pool.state == "ordered" and pool.order is not None
    expect(page.get_by_role("link", name=f"Order {pool.order.number}")).to_be_visible()
    assert pool.order.ship_line1 == "7 Hidden Lane"
    _screenshots(page, "pool-organiser")

    # Ana opens her gift page: both messages, no amount; her list shows nothing taken.
    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as ana_page:
        log_in(ana_page, "ana")
        assert ana_page.goto(f"/pools/{pool.token}/").status == 404
        ana_page.goto(selectors.pool_gift_url(pool))
        expect(ana_page.get_by_role("heading", level=1)).to_have_text(
            "Ana Alves, your friends have a gift for you"
        )
        expect(ana_page.get_by_text("Happy birthday, Ana! Fred")).to_be_visible()
        expect(ana_page.get_by_text("Enjoy the light! Gus")).to_be_visible()
        expect(ana_page.get_by_text("€")).to_have_count(0)
        assert_accessible(ana_page)
        _screenshots(ana_page, "gift")
        card = ana_page.get_by_role("link", name="Print the card").get_attribute("href")
        pdf = ana_page.request.get(card)
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")

        ana_page.goto(f"/wishlists/{wishlist.token}/")
        expect(ana_page.get_by_role("heading", name="Brass Lamp")).to_be_visible()
        expect(ana_page.get_by_text("Taken")).to_have_count(0)
        expect(ana_page.get_by_text("Olga Ortiz")).to_have_count(0)
