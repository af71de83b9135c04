"""Opening a pool from a wish on a friend's list (it claims the wish, hidden from the owner,
and ships to the list's gift address behind a label) or from a variant (for a friend or a
person named, to the address the organiser gives); the target is what the order will cost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gifting.pools import opening, services
from gifting.pools.errors import PoolError
from gifting.pools.models import Pool
from gifting.wishlists import services as wishlist_services
from gifting.wishlists.models import Claim
from gifting.wishlists.selectors import wishlist_shown
from shop.core.errors import DomainError
from tests.factories import (
    AddressFactory,
    ShippingMethodFactory,
    UserFactory,
    address_input,
    cart_make,
    friends_make,
    order_place,
    variant_make,
)

pytestmark = pytest.mark.django_db

SECRET_LINE = "7 Hidden Lane"


@pytest.fixture
def people():
    ana, ben, chloe = (
        UserFactory(username=n, display_name=n.title()) for n in ("ana", "ben", "chloe")
    )
    friends_make(ana, ben, chloe)
    return ana, ben, chloe


def wish_of(owner, *, price=2500, wanted=1, visibility="friends", address=True):
    """OWNER's list (with a gift address unless ADDRESS is False) wanting one variant."""
    shipping_address = (
        AddressFactory(user=owner, full_name="Ana Secret", line1=SECRET_LINE) if address else None
    )
    wishlist = wishlist_services.wishlist_create(
        owner=owner, title="Birthday", visibility=visibility, shipping_address=shipping_address
    )
    variant = variant_make(price=price, title="Matrix Jacket")
    return wishlist_services.wishlist_item_add(
        wishlist=wishlist, variant_id=variant.pk, quantity=wanted
    )


def open_for_wish(organiser, item, method, **fields):
    fields.setdefault("deadline", timezone.now() + timedelta(days=7))
    fields.setdefault("visibility", "friends")
    return opening.pool_open_for_wish(
        organiser=organiser, item=item, shipping_method=method, **fields
    )


def open_for_variant(organiser, variant, method, **fields):
    fields.setdefault("deadline", timezone.now() + timedelta(days=7))
    fields.setdefault("visibility", "link")
    fields.setdefault("address", address_input())
    return opening.pool_open_for_variant(
        organiser=organiser, variant=variant, shipping_method=method, **fields
    )


def refused(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value


# --- the target -------------------------------------------------------------------------------


@pytest.mark.parametrize(("price", "shipping"), [(2500, 490), (1999, 0), (12_345, 990)])
def test_the_target_is_what_placing_the_order_charges(settings, price, shipping):
    settings.STORE_VAT_RATE_BASIS_POINTS = 2100
    variant = variant_make(price=price)
    method = ShippingMethodFactory(code=f"m{shipping}", price=shipping)

    target = opening.pool_target_for(variant=variant, shipping_method=method)

    order = order_place(cart_make((variant, 1)), method=method)
    assert target == order.total == price + shipping


# --- a wish -----------------------------------------------------------------------------------


def test_a_wish_pool_is_for_the_lists_owner_and_ships_to_its_hidden_address(people, method):
    ana, ben, _ = people
    item = wish_of(ana, price=2500)

    pool = open_for_wish(ben, item, method, message="For Ana's birthday")

    pool.refresh_from_db()
    assert (pool.organiser, pool.recipient, pool.wishlist_item) == (ben, ana, item)
    assert pool.variant_id == item.variant_id and pool.shipping_method == method
    assert pool.target == 2500 + 490 and pool.state == "open"
    assert pool.ship_to_label == "Ana’s registry address"
    assert (pool.ship_full_name, pool.ship_line1, pool.ship_country) == (
        "Ana Secret",
        SECRET_LINE,
        "FR",
    )


def test_a_wish_pool_claims_the_wish_and_the_owner_sees_nothing(people, method):
    ana, ben, chloe = people
    item = wish_of(ana, wanted=2)

    pool = open_for_wish(ben, item, method)

    claim = Claim.objects.get()
    assert pool.claim == claim
    assert (claim.claimer, claim.quantity, claim.status) == (ben, 1, "reserved")
    owners = wishlist_shown(viewer=ana, wishlist=item.wishlist).items[0]
    assert owners.taken is None and owners.claims == []
    friends = wishlist_shown(viewer=chloe, wishlist=item.wishlist).items[0]
    assert friends.taken == 1 and friends.left == 1


def test_the_owner_cannot_pool_for_a_wish_of_their_own_list(people, method):
    ana, _, _ = people
    item = wish_of(ana)

    error = refused(open_for_wish, ana, item, method)

    assert (error.code, error.field) == (PoolError.OWN_LIST, "item")
    assert not Pool.objects.exists() and not Claim.objects.exists()


def test_a_stranger_cannot_pool_for_a_wish_of_a_friends_only_list(people, method):
    ana, _, _ = people
    item = wish_of(ana, visibility="friends")

    error = refused(open_for_wish, UserFactory(), item, method, link_opened=True)

    assert (error.code, error.field) == (PoolError.WISH_UNAVAILABLE, "item")
    assert not Pool.objects.exists() and not Claim.objects.exists()


def test_a_link_list_is_pooled_for_only_through_its_link(people, method):
    ana, _, _ = people
    item = wish_of(ana, visibility="link")
    stranger = UserFactory()

    error = refused(open_for_wish, stranger, item, method)
    pool = open_for_wish(stranger, item, method, link_opened=True)

    assert error.code == PoolError.WISH_UNAVAILABLE
    assert pool.recipient == ana and pool.claim.claimer == stranger


def test_a_list_without_a_gift_address_is_refused_on_the_item(people, method):
    ana, ben, _ = people
    item = wish_of(ana, address=False)

    error = refused(open_for_wish, ben, item, method)

    assert (error.code, error.field) == (PoolError.NO_GIFT_ADDRESS, "item")
    assert "Ana has not said where gifts go" in error.message
    assert not Pool.objects.exists() and not Claim.objects.exists()


def test_a_wish_fully_claimed_cannot_be_pooled_for(people, method):
    ana, ben, chloe = people
    item = wish_of(ana, wanted=1)
    wishlist_services.claim_create(item=item, claimer=chloe)

    error = refused(open_for_wish, ben, item, method)

    assert (error.code, error.field) == (PoolError.WISH_CLAIMED, "item")
    assert not Pool.objects.exists() and Claim.objects.count() == 1


def test_a_wish_the_organiser_claimed_already_is_refused_not_shared(people, method):
    ana, ben, _ = people
    item = wish_of(ana, wanted=2)
    wishlist_services.claim_create(item=item, claimer=ben)

    error = refused(open_for_wish, ben, item, method)

    assert (error.code, error.field) == (PoolError.WISH_CLAIMED, "item")
    assert Claim.objects.get().quantity == 1


def test_a_bad_pool_choice_rolls_the_claim_back(people, method):
    ana, ben, _ = people
    item = wish_of(ana)

    error = refused(open_for_wish, ben, item, method, visibility="private")

    assert error.code == PoolError.INVALID_VISIBILITY
    assert not Pool.objects.exists() and not Claim.objects.exists()


def test_an_inactive_shipping_method_is_refused(people):
    ana, ben, _ = people
    item = wish_of(ana)
    retired = ShippingMethodFactory(code="retired", is_active=False)

    error = refused(open_for_wish, ben, item, retired)

    assert (error.code, error.field) == (PoolError.INVALID_SHIPPING, "shipping_method")


def test_the_pools_claim_outlives_the_claim_days_while_the_pool_lives(people, method, settings):
    ana, ben, _ = people
    pool = open_for_wish(ben, wish_of(ana), method, deadline=timezone.now() + timedelta(days=40))
    others = wish_of(ana)
    plain = wishlist_services.claim_create(item=others, claimer=ben)
    later = timezone.now() + timedelta(days=settings.WISHLIST_CLAIM_DAYS + 1)

    released = wishlist_services.claims_expire(now=later)

    plain.refresh_from_db()
    pool.claim.refresh_from_db()
    assert released == 1 and plain.status == "released"
    assert pool.claim.status == "reserved"


def test_a_cancelled_pool_gives_its_wish_back(people, method):
    ana, ben, chloe = people
    item = wish_of(ana)
    pool = open_for_wish(ben, item, method)
    services.pool_cancel(pool=pool, by=ben)

    released = wishlist_services.claims_expire()
    again = wishlist_services.claims_expire()

    pool.claim.refresh_from_db()
    assert (released, again) == (1, 0) and pool.claim.status == "released"
    # The wish can be claimed again.
    assert wishlist_services.claim_create(item=item, claimer=chloe).status == "reserved"


def test_releasing_a_pools_claim_is_idempotent(people, method):
    ana, ben, _ = people
    pool = open_for_wish(ben, wish_of(ana), method)

    assert opening.pool_claim_release(pool=pool) is True
    assert opening.pool_claim_release(pool=pool) is False


# --- a variant --------------------------------------------------------------------------------


def test_a_variant_pool_for_a_friend_ships_to_the_address_given(people, method):
    ana, ben, _ = people
    variant = variant_make(price=4000)

    pool = open_for_variant(ben, variant, method, recipient=ana)

    pool.refresh_from_db()
    assert (pool.recipient, pool.variant, pool.target) == (ana, variant, 4000 + 490)
    assert (pool.ship_full_name, pool.ship_city, pool.ship_to_label) == (
        "Ada Lovelace",
        "Paris",
        "",
    )
    assert pool.claim is None and pool.wishlist_item is None


def test_a_variant_pool_for_a_person_named(method):
    pool = open_for_variant(UserFactory(), variant_make(), method, recipient_name="Grandma")

    assert pool.recipient is None and pool.recipient_name == "Grandma"


def test_a_variant_pool_for_someone_not_a_friend_is_refused(method):
    error = refused(
        open_for_variant, UserFactory(), variant_make(), method, recipient=UserFactory()
    )

    assert (error.code, error.field) == (PoolError.INVALID_RECIPIENT, "recipient")
    assert not Pool.objects.exists()


def test_a_variant_pool_needs_an_address(people, method):
    ana, ben, _ = people

    error = refused(open_for_variant, ben, variant_make(), method, recipient=ana, address=None)

    assert (error.code, error.field) == (PoolError.NO_ADDRESS, "address")


def test_a_variant_pool_address_is_checked_as_checkout_checks_it(people, method):
    ana, ben, _ = people

    error = refused(
        open_for_variant,
        ben,
        variant_make(),
        method,
        recipient=ana,
        address=address_input(country="ZZ"),
    )

    assert (error.code, error.field) == ("invalid_address", "country")


def test_a_phone_longer_than_a_pool_keeps_is_refused(people, method):
    ana, ben, _ = people

    error = refused(
        open_for_variant,
        ben,
        variant_make(),
        method,
        recipient=ana,
        address=address_input(phone="+33 " + "1" * 32),
    )

    assert (error.code, error.field) == (PoolError.INVALID_ADDRESS, "phone")


def test_an_item_no_longer_sold_is_refused(people, method):
    ana, ben, _ = people
    variant = variant_make(is_published=False)

    error = refused(open_for_variant, ben, variant, method, recipient=ana)

    assert (error.code, error.field) == (PoolError.INVALID_GIFT, "variant")


# --- a free amount's address ------------------------------------------------------------------


def test_the_organiser_gives_a_free_amount_pools_address(people):
    ana, ben, _ = people
    pool = services.pool_open(
        organiser=ben,
        target=5000,
        deadline=timezone.now() + timedelta(days=7),
        visibility="friends",
        recipient=ana,
    )

    error = refused(opening.pool_address_set, pool=pool, by=ana, address=address_input())
    opening.pool_address_set(pool=pool, by=ben, address=address_input(city=" Lyon "))

    pool.refresh_from_db()
    assert error.code == PoolError.NOT_ORGANISER
    assert (pool.ship_city, pool.ship_to_label) == ("Lyon", "")
    assert opening.pool_address_of(pool) == address_input(city="Lyon")


def test_a_wish_pools_address_stays_the_lists(people, method):
    ana, ben, _ = people
    pool = open_for_wish(ben, wish_of(ana), method)

    error = refused(opening.pool_address_set, pool=pool, by=ben, address=address_input())

    assert (error.code, error.field) == (PoolError.INVALID_ADDRESS, "address")
