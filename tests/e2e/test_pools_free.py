"""A gift pool for an amount in a real browser: Olga starts one from her pools page for her
grandmother Rose (not a member); her friends fill it before she has chosen the gift, so her
pool's page calls her to choose one costing at most what was collected. She searches the shop,
sees what each shipping method makes the pool's goal and what goes back to the contributors,
gives Rose's address, chooses, then orders the gift with the pool's money. She first finds
"Start a gift pool" beside her cart's line. Screenshots of each page at 375 and 1280 px are
left in tests/e2e/artifacts/ to be looked at."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gifting.pools import contributions, payments
from gifting.pools.models import Pool, PoolRefund
from shop.cart.services import cart_get_or_create, cart_item_add
from tests.e2e.conftest import assert_accessible, screenshots
from tests.e2e.test_friends import log_in
from tests.factories import (
    GOOD_CARD,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _screenshots(page, name: str) -> None:
    screenshots(page, f"pools-free-{name}")


def _chip_in(pool, amount, contributor):
    contribution = contributions.contribution_reserve(
        pool=pool, amount=amount, contributor=contributor
    )
    payment = payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)
    assert payment.status == "succeeded", payment.error_message


def test_a_pool_for_an_amount_filled_first_gets_its_gift_chosen_by_searching_then_ordered(
    page, live_server, brass_lamp
):
    large = brass_lamp
    VariantFactory(product=large.product, name="Small", sku="LAMP-S", price=2_900, stock=5)
    ProductFactory(title="Blue Mug", slug="blue-mug")
    olga = UserFactory(username="olga", display_name="Olga Ortiz", last_login=timezone.now())
    cart_item_add(cart=cart_get_or_create(user=olga, token=None), variant_id=large.pk, quantity=1)

    # Her cart offers a pool for the lamp; she goes for an amount instead.
    log_in(page, "olga")
    page.goto("/cart/")
    link = page.get_by_role("link", name="Start a gift pool for Brass Lamp")
    expect(link).to_have_attribute("href", f"/pools/new/?variant={large.pk}")
    _screenshots(page, "cart")

    page.goto("/pools/")
    page.get_by_role("link", name="Start a gift pool for an amount").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a gift pool for an amount")
    page.get_by_label("Amount to collect").fill("60")
    page.get_by_label("One of your friends").select_option(label="Someone else (give their name)")
    page.get_by_label("Or their name").fill("Grandma Rose")
    page.get_by_label("Deadline").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    page.get_by_label("Message to the people you invite").fill("Rose's 80th: a lamp to read by?")
    page.get_by_role("radio", name="Anyone with the link").check()
    assert_accessible(page)
    _screenshots(page, "new")
    page.get_by_role("button", name="Start the pool").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A gift for Grandma Rose")
    expect(page.get_by_text("€0.00 collected of €60.00")).to_be_visible()
    _screenshots(page, "pool")

    # Her friends fill the pool before she has chosen the gift.
    pool = Pool.objects.get()
    _chip_in(pool, 4_000, UserFactory(username="paul"))
    _chip_in(pool, 2_000, UserFactory(username="rita"))
    page.reload()
    expect(page.get_by_text("€60.00 collected of €60.00")).to_be_visible()
    expect(page.get_by_text("The pool is full: €60.00 is there for the gift.")).to_be_visible()
    expect(page.get_by_role("button", name="Order the gift")).to_have_count(0)
    # By when she must choose it: 3 days after the deadline, or everyone gets their money back.
    expect(
        page.get_by_text(re.compile(r"^Choose the gift by .+, or everyone is refunded\.$"))
    ).to_be_visible()
    _screenshots(page, "pool-full")

    # She chooses the gift: a search, an option, what goes back, Rose's address.
    page.get_by_role("link", name="Choose the gift").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose the gift")
    expect(page.get_by_text("The pool is full: it collected €60.00.")).to_be_visible()
    page.get_by_label("Search the shop").fill("lamp")
    page.get_by_role("button", name="Find gifts").click()
    expect(page.get_by_text("1 product found.")).to_be_visible()
    _screenshots(page, "search")
    page.get_by_role("link", name="Choose Brass Lamp, Large").click()
    standard = page.get_by_role(
        "radio",
        name=re.compile(
            "^Standard delivery .*goal becomes €53.90, and €6.10 goes back to contributors$"
        ),
    )
    standard.check()
    page.get_by_label("Recipient’s full name").fill("Rose Martin")
    page.get_by_label("Address line 1").fill("3 Garden Row")
    page.get_by_label("Postal code").fill("75011")
    page.get_by_label("City").fill("Paris")
    page.get_by_label("Country").select_option("FR")
    assert_accessible(page)
    _screenshots(page, "choose")
    page.get_by_role("button", name="Choose this gift").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("A gift for Grandma Rose")
    expect(
        page.get_by_text(
            "The gift is chosen, and the money collected covers its €53.90. The €6.10 "
            "collected beyond it goes back to contributors."
        )
    ).to_be_visible()
    expect(page.get_by_text("€53.90 collected of €53.90")).to_be_visible()
    expect(page.get_by_role("heading", name="Brass Lamp")).to_be_visible()
    pool.refresh_from_db()
    assert (pool.state, pool.variant_id, pool.target, pool.ship_city) == (
        "funded",
        large.pk,
        5_390,
        "Paris",
    )
    refunds = sorted(PoolRefund.objects.values_list("amount", flat=True))
    assert refunds == [204, 406] and sum(refunds) == 6_000 - 5_390  # 2/3 rounded down, the rest

    # The pool's money buys the gift, shipped to Rose.
    page.get_by_role("button", name="Order the gift").click()
    expect(page.get_by_text("The gift is ordered: follow it here.")).to_be_visible()
    pool.refresh_from_db()
    assert pool.state == "ordered" and pool.order.total == 5_390
    assert pool.order.ship_line1 == "3 Garden Row"
    expect(page.get_by_role("link", name=f"Order {pool.order.number}")).to_be_visible()
    _screenshots(page, "ordered")
