"""The organiser's own claim on a friend's wish, held by their gift pool: the list shows it as
"Held by your gift pool" (linking to the pool), never "Buy this gift" or "Release", and the
claim cannot be bought or released from the list while the pool holds it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gifting.pools import lifecycle, opening
from gifting.wishlists import services as wishlist_services
from gifting.wishlists.errors import WishlistError
from gifting.wishlists.models import Claim
from shop.cart.models import CartLine
from shop.core.errors import DomainError
from tests.factories import (
    AddressFactory,
    ProductFactory,
    ShippingMethodFactory,
    UserFactory,
    friends_make,
    variant_make,
)
from tests.html import html

pytestmark = pytest.mark.django_db

SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def people():
    ana, olga = (
        UserFactory(username=n, display_name=n.title(), email=f"{n}@example.com")
        for n in ("ana", "olga")
    )
    friends_make(ana, olga)
    return ana, olga


@pytest.fixture
def wishlist(people):
    ana, _ = people
    return wishlist_services.wishlist_create(
        owner=ana,
        title="Birthday",
        visibility="friends",
        shipping_address=AddressFactory(user=ana, line1="7 Hidden Lane"),
    )


def _wish(wishlist, title="Brass Lamp"):
    variant = variant_make(price=2_500, title=title)
    return wishlist_services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)


def _pool_for(organiser, item):
    return opening.pool_open_for_wish(
        organiser=organiser,
        item=item,
        shipping_method=ShippingMethodFactory(),
        deadline=timezone.now() + timedelta(days=7),
        visibility="link",
    )


def _claims_text(client, wishlist, item):
    page = html(client.get(f"/wishlists/{wishlist.token}/"))
    return page.one("li", id=f"wish-{item.pk}")


def test_the_organiser_sees_their_pools_claim_as_held_by_it(client, people, wishlist):
    _, olga = people
    item = _wish(wishlist)
    pool = _pool_for(olga, item)
    client.force_login(olga)

    wish = _claims_text(client, wishlist, item)

    link = wish.one("a", cls="wish__held")
    assert (link.text, link.attrs["aria-label"], link.attrs["href"]) == (
        "Held by your gift pool",
        "Held by your gift pool: Brass Lamp",
        f"/pools/{pool.token}/",
    )
    buttons = [button.text for button in wish.all("button")]
    assert not any("Buy this gift" in b or "Release" in b for b in buttons)


def test_a_claim_of_ones_own_still_offers_to_buy_or_release(client, people, wishlist):
    _, olga = people
    pooled, claimed = _wish(wishlist), _wish(wishlist, title="Blue Mug")
    _pool_for(olga, pooled)
    wishlist_services.claim_create(item=claimed, claimer=olga)
    client.force_login(olga)

    wish = _claims_text(client, wishlist, claimed)

    assert not wish.all("a", cls="wish__held")
    buy, release = wish.all("button")
    # The name read out is the aria-label, "…: Blue Mug" with no space before the colon (a
    # visually hidden span starting with ": " is read "Buy this gift : Blue Mug").
    assert (buy.text, buy.attrs["aria-label"]) == ("Buy this gift", "Buy this gift: Blue Mug")
    assert release.text == "Release Blue Mug"


def test_the_api_names_the_pool_holding_the_organisers_claim(people, wishlist):
    from rest_framework.test import APIClient

    ana, olga = people
    pool = _pool_for(olga, _wish(wishlist))
    mine, theirs = APIClient(), APIClient()
    mine.force_authenticate(olga)
    friend = UserFactory()
    friends_make(ana, friend)
    theirs.force_authenticate(friend)

    for_olga = mine.get(f"/api/v1/wishlists/{wishlist.pk}").json()
    for_friend = theirs.get(f"/api/v1/wishlists/{wishlist.pk}").json()
    released = mine.delete(f"/api/v1/wishlist-items/{pool.wishlist_item_id}/claims")

    assert for_olga["items"][0]["claims"][0]["held_url"] == f"/pools/{pool.token}/"
    assert for_friend["items"][0]["claims"][0]["held_url"] == ""
    assert released.status_code == 400
    assert released.json()["errors"]["non_field_errors"][0]["code"] == "held"


def test_the_lists_owner_sees_no_claim_nor_pool(client, people, wishlist):
    ana, olga = people
    item = _wish(wishlist)
    _pool_for(olga, item)
    client.force_login(ana)

    wish = _claims_text(client, wishlist, item)

    assert "Held by" not in wish.text and "Taken" not in wish.text and "pool" not in wish.text


def test_a_closed_pools_wish_is_free_again(client, people, wishlist):
    _, olga = people
    item = _wish(wishlist)
    pool = _pool_for(olga, item)
    lifecycle.pool_close(pool=pool, by=olga)
    client.force_login(olga)

    wish = _claims_text(client, wishlist, item)

    assert not wish.all("a", cls="wish__held")
    assert "I’ll give this" in wish.text


def test_a_claim_held_by_a_pool_cannot_be_released_nor_bought_from_the_list(
    client, people, wishlist
):
    _, olga = people
    item = _wish(wishlist)
    pool = _pool_for(olga, item)
    client.force_login(olga)
    url = f"/wishlists/{wishlist.token}/claims/{pool.claim_id}"

    released = client.post(f"{url}/release/", **SAME_SITE)
    bought = client.post(f"{url}/buy/", **SAME_SITE)

    assert released.status_code == 302 and bought.status_code == 302
    assert Claim.objects.get(pk=pool.claim_id).status == "reserved"
    assert not CartLine.objects.exists()
    message = html(client.get(f"/wishlists/{wishlist.token}/")).all("p", cls="message--error")
    assert message and "Your gift pool holds this gift" in message[0].text


def test_the_services_refuse_to_release_a_held_claim(people, wishlist):
    _, olga = people
    pool = _pool_for(olga, _wish(wishlist))

    with pytest.raises(DomainError) as refused:
        wishlist_services.claim_release(claim=pool.claim, by=olga)

    assert refused.value.code == WishlistError.HELD


@pytest.mark.parametrize("n", [5, 50])
def test_the_organisers_list_costs_the_same_queries_whatever_the_wishes(
    client, people, wishlist, django_assert_num_queries, n
):
    _, olga = people
    items = [_wish(wishlist, title=f"Gift {i}") for i in range(n)]
    for item in items[:3]:
        _pool_for(olga, item)
    wishlist_services.claim_create(item=items[3], claimer=olga)
    ProductFactory()
    client.force_login(olga)
    client.get(f"/wishlists/{wishlist.token}/")

    # list, the session with its user (and base.html's 2 nav badges, read with it), blocks,
    # items, the products' pictures, claims, claimers seen, the pools holding her claims (one
    # query for them all) (the categories are cached)
    with django_assert_num_queries(8):
        page = html(client.get(f"/wishlists/{wishlist.token}/"))

    assert len(page.all("a", cls="wish__held")) == 3


def test_the_shop_cancelling_a_pools_order_gives_its_wish_back(
    client, people, wishlist, settings, django_capture_on_commit_callbacks
):
    from gifting.pools import ordering
    from shop.orders import services as order_services
    from tests.gifting.pools.test_ordering import fund, redeliver

    settings.PAYMENT_GATEWAY = "fake"
    _, olga = people
    item = _wish(wishlist)
    pool = fund(_pool_for(olga, item), UserFactory())
    order = ordering.pool_order_place(pool=pool, by=olga)
    pool.claim.refresh_from_db()
    assert pool.claim.status == "purchased"

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_cancel(
            order=order, by=UserFactory(is_staff=True, is_superuser=True), reason="Damaged"
        )
    redeliver("order.cancelled")

    pool.claim.refresh_from_db()
    assert (pool.claim.status, pool.claim.release_reason) == ("released", "order")
    client.force_login(olga)
    assert "I’ll give this" in _claims_text(client, wishlist, item).text
