from datetime import timedelta

import pytest
from django.utils import timezone

from gifting.wishlists import services
from gifting.wishlists.errors import WishlistError
from gifting.wishlists.models import Claim
from shop.core.errors import DomainError
from shop.orders.events import order_paid
from tests.factories import (
    AddressFactory,
    ProductFactory,
    UserFactory,
    friends_make,
    privacy_set,
    purchases_make,
)
from tests.gifting.wishlists.helpers import wish_make

pytestmark = pytest.mark.django_db


def test_a_new_list_takes_the_owners_wishlist_privacy_setting(ana):
    privacy_set(ana, wishlists="public")

    wishlist = services.wishlist_create(owner=ana, title="Birthday")

    assert wishlist.visibility == "public"
    assert len(wishlist.token) >= 20 and str(wishlist.pk) != wishlist.token


def test_a_list_without_a_name_is_refused_naming_the_title(ana):
    with pytest.raises(DomainError) as error:
        services.wishlist_create(owner=ana, title="  ")

    assert error.value.code == WishlistError.INVALID_TITLE and error.value.field == "title"


def test_someone_elses_address_cannot_be_the_gift_address(ana, ben):
    with pytest.raises(DomainError) as error:
        services.wishlist_create(owner=ana, title="B", shipping_address=AddressFactory(user=ben))

    assert error.value.field == "shipping_address"


def test_adding_a_variant_twice_keeps_one_item(ana):
    wishlist = services.wishlist_create(owner=ana, title="Birthday")
    variant = ProductFactory().variants.get()

    first = services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk, quantity=2)
    again = services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)

    assert first.pk == again.pk and wishlist.items.count() == 1


def test_an_unpublished_product_cannot_be_wished(ana):
    wishlist = services.wishlist_create(owner=ana, title="Birthday")
    variant = ProductFactory(is_published=False).variants.get()

    with pytest.raises(DomainError) as error:
        services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)

    assert error.value.code == WishlistError.VARIANT_UNAVAILABLE


def test_a_friend_claims_and_a_second_claim_of_theirs_adds_to_it(ana, ben):
    item = wish_make(ana, wanted=3)

    services.claim_create(item=item, claimer=ben)
    claim = services.claim_create(item=item, claimer=ben, quantity=2)

    assert claim.quantity == 3 and Claim.objects.count() == 1


def test_the_last_unit_claimed_twice_tells_the_second_friend_plainly(ana, ben):
    chloe = UserFactory(username="chloe")
    friends_make(ana, chloe)
    item = wish_make(ana, wanted=1)
    services.claim_create(item=item, claimer=ben)

    with pytest.raises(DomainError) as error:
        services.claim_create(item=item, claimer=chloe)

    assert error.value.code == WishlistError.SOLD_OUT
    assert "someone has just claimed this gift" in error.value.message


def test_the_owner_cannot_claim_their_own_wish(ana):
    item = wish_make(ana)

    with pytest.raises(DomainError) as error:
        services.claim_create(item=item, claimer=ana)

    assert error.value.code == WishlistError.OWN_LIST


def test_a_stranger_cannot_claim_a_friends_only_wish(ana):
    item = wish_make(ana, visibility="friends")

    with pytest.raises(DomainError) as error:
        services.claim_create(item=item, claimer=UserFactory(), link_opened=True)

    assert error.value.code == WishlistError.NOT_FOUND


def test_a_link_holder_can_claim_a_link_wish(ana):
    item = wish_make(ana, visibility="link")

    claim = services.claim_create(item=item, claimer=UserFactory(), link_opened=True)

    assert claim.status == Claim.Status.RESERVED


def test_a_released_unit_can_be_claimed_again(ana, ben):
    chloe = UserFactory(username="chloe")
    friends_make(ana, chloe)
    item = wish_make(ana)
    claim = services.claim_create(item=item, claimer=ben)

    services.claim_release(claim=claim, by=ben)
    again = services.claim_create(item=item, claimer=chloe)

    claim.refresh_from_db()
    assert claim.status == "released" and claim.release_reason == "claimer" and claim.released_at
    assert again.status == "reserved"


def test_only_the_claimer_releases_and_only_once(ana, ben):
    claim = services.claim_create(item=wish_make(ana), claimer=ben)

    with pytest.raises(DomainError) as not_theirs:
        services.claim_release(claim=claim, by=ana)
    services.claim_release(claim=claim, by=ben)
    with pytest.raises(DomainError) as twice:
        services.claim_release(claim=claim, by=ben)

    assert not_theirs.value.code == WishlistError.NOT_CLAIMER
    assert twice.value.code == WishlistError.ILLEGAL_TRANSITION


def test_a_purchased_claim_cannot_be_released(ana, ben):
    claim = services.claim_create(item=wish_make(ana), claimer=ben)
    services.claim_purchase(claim=claim, order_id=None)

    with pytest.raises(DomainError) as error:
        services.claim_release(claim=claim, by=ben)

    assert error.value.code == WishlistError.ILLEGAL_TRANSITION
    assert claim.purchased_at is not None


def test_claims_unpaid_for_the_claim_days_expire_once(ana, ben, settings):
    settings.WISHLIST_CLAIM_DAYS = 14
    old = services.claim_create(item=wish_make(ana), claimer=ben)
    fresh = services.claim_create(item=wish_make(ana, title="Other"), claimer=ben)
    Claim.objects.filter(pk=old.pk).update(reserved_at=timezone.now() - timedelta(days=15))

    first, second = services.claims_expire(), services.claims_expire()

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (first, second) == (1, 0)
    assert old.status == "released" and old.release_reason == "expired"
    assert fresh.status == "reserved"


def test_a_paid_order_with_the_claimed_variant_marks_the_claim_purchased_once(
    ana, ben, django_capture_on_commit_callbacks
):
    item = wish_make(ana)
    claim = services.claim_create(item=item, claimer=ben)
    other = services.claim_create(item=wish_make(ana, title="Other"), claimer=ben)
    order = purchases_make(ben, [item.variant.product])

    for _ in range(2):  # the outbox may deliver an event twice
        with django_capture_on_commit_callbacks(execute=True):
            order_paid.send_robust(sender=None, event_id=1, order_id=order.pk, number=order.number)

    claim.refresh_from_db()
    other.refresh_from_db()
    assert claim.status == "purchased" and claim.order_id == order.pk
    assert other.status == "reserved"


def test_someone_elses_paid_order_leaves_the_claim_reserved(ana, ben):
    item = wish_make(ana)
    claim = services.claim_create(item=item, claimer=ben)
    order = purchases_make(UserFactory(), [item.variant.product])

    assert services.claims_purchase_for_order(order_id=order.pk) == 0
    claim.refresh_from_db()
    assert claim.status == "reserved"


def test_reveal_is_recorded_once(ana):
    wishlist = wish_make(ana).wishlist
    first = timezone.now() - timedelta(hours=1)

    services.wishlist_reveal(wishlist=wishlist, now=first)
    services.wishlist_reveal(wishlist=wishlist)

    assert wishlist.revealed_at == first


def test_a_persons_data_holds_their_lists_and_claims_and_erasing_frees_their_units(ana, ben):
    from gifting.wishlists.personal_data import wishlists_erase, wishlists_export

    mine = wish_make(ana, wanted=1)
    services.claim_create(item=mine, claimer=ben)
    bought = wish_make(ana, wanted=1)
    services.claim_purchase(claim=services.claim_create(item=bought, claimer=ben), order_id=None)

    exported = wishlists_export(ben)
    wishlists_erase(ben)

    assert exported["claims"][0]["list"] == "Birthday"
    assert wishlists_export(ana)["wishlists"][0]["items"][0]["wanted"] == 1
    # The reservation is released (the unit is free again); the bought gift stays bought.
    assert dict(Claim.objects.values_list("item_id", "status")) == {
        mine.pk: "released",
        bought.pk: "purchased",
    }
