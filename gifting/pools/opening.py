"""Opening a pool from what it buys.

- A wish on someone's list (pool_open_for_wish): the pool is for the list's owner, claims the
  wish for its organiser (the owner sees no claim, as for any claim) and ships to the list's
  gift address, which the organiser and contributors never see: they read its label
  ("Ana’s registry address"). The claim lasts while the pool lives (claims_expire leaves it
  alone, see pool_claims_held) and is released when the pool is cancelled or refunded.
- A product's variant (pool_open_for_variant): for a friend of the organiser, or a person
  named, shipped to the address the organiser gives.
- A free amount: services.pool_open with a target and no variant; the gift is chosen once
  funded (lifecycle.pool_switch), its address given with pool_address_set.

The target is what the order will cost: the variant's price now plus its shipping, VAT
included as every price of the shop (pool_target_for).
"""

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from gifting.pools import services
from gifting.pools.errors import PoolError
from gifting.pools.models import Pool
from gifting.wishlists import selectors as wishlist_selectors
from gifting.wishlists import services as wishlist_services
from gifting.wishlists.errors import WishlistError
from shop.core.errors import DomainError
from shop.orders.addresses import AddressInput, address_input_clean
from shop.orders.selectors import checkout_totals, shipping_method_get
from social.graph.selectors import is_friend

State = Pool.State
# The states in which a pool still needs its wish's claim (an expired pool may be extended).
CLAIM_HELD_STATES = (State.OPEN, State.FUNDED, State.EXPIRED, State.ORDERED)
# The states in which it lets go of it.
CLAIM_ENDED_STATES = (State.CANCELLED, State.REFUNDED)
# The address fields of a pool: (Pool field, AddressInput field).
_SHIP_FIELDS = (
    ("ship_full_name", "full_name"),
    ("ship_line1", "line1"),
    ("ship_line2", "line2"),
    ("ship_postal_code", "postal_code"),
    ("ship_city", "city"),
    ("ship_country", "country"),
    ("ship_phone", "phone"),
)


# --- what a pool costs ----------------------------------------------------------------------


def pool_target_for(*, variant, shipping_method) -> int:
    """What an order of one unit of VARIANT shipped by SHIPPING_METHOD costs now, in cents:
    the very formula services.order_place charges (selectors.checkout_totals, VAT included in
    both prices, no discount code)."""
    return checkout_totals(
        subtotal=variant.price, discount=None, shipping_method=shipping_method
    ).total


def shipping_method_check(shipping_method):
    """Return the active shipping method SHIPPING_METHOD (an instance or an id). Raises
    INVALID_SHIPPING on "shipping_method"."""
    method_id = getattr(shipping_method, "pk", shipping_method)
    method = (
        shipping_method_get(shipping_method_id=method_id)
        if isinstance(method_id, int) and not isinstance(method_id, bool)
        else None
    )
    if method is None:
        raise DomainError(
            "Choose one of the shipping methods offered.",
            code=PoolError.INVALID_SHIPPING,
            field="shipping_method",
        )
    return method


def variant_check(variant, *, field: str) -> None:
    """Check that VARIANT (None: not found) is of a published product. Raises INVALID_GIFT on
    FIELD."""
    if variant is None or not variant.product.is_published:
        raise DomainError(
            "Sorry, this item is not sold any more: choose another gift.",
            code=PoolError.INVALID_GIFT,
            field=field,
        )


# --- where the gift goes --------------------------------------------------------------------


def pool_address_of(pool: Pool) -> AddressInput:
    """The address POOL's gift ships to, as services.order_place takes it (never shown to the
    organiser when the pool has a SHIP_TO_LABEL)."""
    return AddressInput(**{name: getattr(pool, column) for column, name in _SHIP_FIELDS})


def _address_clean(address: AddressInput) -> AddressInput:
    """ADDRESS as an order may ship to it and a pool stores it. Raises INVALID_ADDRESS on the
    field at fault."""
    address = address_input_clean(address)
    for column, name in _SHIP_FIELDS:
        limit = Pool._meta.get_field(column).max_length
        if len(getattr(address, name)) > limit:
            raise DomainError(
                f"Use at most {limit} characters here.",
                code=PoolError.INVALID_ADDRESS,
                field=name,
            )
    return address


def _address_fields(address: AddressInput, *, label: str) -> dict:
    return {
        **{column: getattr(address, name) for column, name in _SHIP_FIELDS},
        "ship_to_label": label,
    }


def _pool_update(pool: Pool, **fields) -> Pool:
    Pool.objects.filter(pk=pool.pk).update(**fields)
    for name, value in fields.items():
        setattr(pool, name, value)
    return pool


@transaction.atomic
def pool_address_set(*, pool: Pool, by, address: AddressInput) -> Pool:
    """The organiser says where the gift of POOL goes (a free-amount pool, or a variant pool
    whose address changed), before it is ordered. A pool shipping to a wishlist's address
    keeps it. Raises NOT_ORGANISER, ILLEGAL_TRANSITION, INVALID_ADDRESS."""
    services.pool_lock(pool)
    if by is None or by.pk != pool.organiser_id:
        raise DomainError(
            "Only the organiser can change where the gift goes.",
            code=PoolError.NOT_ORGANISER,
            field="address",
        )
    if pool.claim_id is not None or pool.ship_to_label:
        raise DomainError(
            "This gift goes to the address its recipient chose.",
            code=PoolError.INVALID_ADDRESS,
            field="address",
        )
    if pool.state not in (State.OPEN, State.FUNDED, State.EXPIRED):
        raise DomainError(
            "The gift is ordered already: its address cannot change.",
            code=PoolError.ILLEGAL_TRANSITION,
            field="address",
        )
    return _pool_update(pool, **_address_fields(_address_clean(address), label=""))


# --- opening --------------------------------------------------------------------------------


def _gift_pool_open(
    *, variant, shipping_method, then: Callable[[], dict], **pool_fields: Any
) -> Pool:
    """Open a pool for one unit of VARIANT shipped by SHIPPING_METHOD (both checked by the
    caller), its target what that order costs now (pool_target_for), with POOL_FIELDS as
    services.pool_open takes them; then, in the same transaction, save on it the fields THEN
    returns (where the gift ships; raising there opens nothing)."""
    with transaction.atomic():
        pool = services.pool_open(
            target=pool_target_for(variant=variant, shipping_method=shipping_method),
            variant=variant,
            shipping_method=shipping_method,
            **pool_fields,
        )
        return _pool_update(pool, **then())


def _wish_visible_check(*, organiser, item, link_opened: bool):
    """The list of ITEM if ORGANISER may see it (through its link when LINK_OPENED), else
    NOT_FOUND on "item"; OWN_LIST if it is theirs."""
    wishlist = item.wishlist
    if wishlist.owner_id == organiser.pk:
        raise DomainError(
            "This is your own list: your friends pool for its gifts.",
            code=PoolError.OWN_LIST,
            field="item",
        )
    try:
        if link_opened:
            return wishlist_selectors.wishlist_get_by_token(viewer=organiser, token=wishlist.token)
        return wishlist_selectors.wishlist_get_for_viewer(viewer=organiser, wishlist_id=wishlist.pk)
    except Http404:
        raise DomainError(
            "This wish is no longer on the list.", code=PoolError.WISH_UNAVAILABLE, field="item"
        ) from None


def pool_open_for_wish(
    *,
    organiser,
    item,
    shipping_method,
    deadline: datetime,
    visibility: str,
    message: str = "",
    rule: str = Pool.Rule.ANY,
    minimum: int = services.MINIMUM_FLOOR,
    suggested_amount: int | None = None,
    invited_count: int = 0,
    show_amounts: bool = True,
    auto_order: bool = False,
    link_opened: bool = False,
    now: datetime | None = None,
) -> Pool:
    """Open ORGANISER's pool for the wish ITEM of someone else's list, in one transaction.

    The organiser must be allowed to see the list (as a friend, or through its link: the
    caller says LINK_OPENED when the request carried the list's token) and not own it, and
    one unit of the wish must be left to claim: the pool claims it for the organiser. The
    recipient is the list's owner; the gift ships to the list's gift address, copied into
    the pool, which the organiser reads as "Ana’s registry address". The target is
    pool_target_for. Raises OWN_LIST, WISH_UNAVAILABLE, WISH_CLAIMED, NO_GIFT_ADDRESS (the
    owner has not said where gifts go), INVALID_GIFT, all on "item", INVALID_SHIPPING, and
    what services.pool_open raises.
    """
    try:
        item = wishlist_selectors.wishlist_item_get(item_id=getattr(item, "pk", item))
    except Http404:
        raise DomainError(
            "This wish is no longer on the list.", code=PoolError.WISH_UNAVAILABLE, field="item"
        ) from None
    wishlist = _wish_visible_check(organiser=organiser, item=item, link_opened=link_opened)
    owner = wishlist.owner
    if wishlist.shipping_address_id is None:
        raise DomainError(
            f"{owner.public_name} has not said where gifts go yet, so a pool cannot send them "
            "this one.",
            code=PoolError.NO_GIFT_ADDRESS,
            field="item",
        )
    variant_check(item.variant, field="item")
    method = shipping_method_check(shipping_method)
    return _gift_pool_open(
        variant=item.variant,
        shipping_method=method,
        then=partial(
            _wish_claim_and_address,
            organiser=organiser,
            item=item,
            wishlist=wishlist,
            link_opened=link_opened,
        ),
        organiser=organiser,
        deadline=deadline,
        visibility=visibility,
        recipient=owner,
        wishlist_item=item,
        message=message,
        rule=rule,
        minimum=minimum,
        suggested_amount=suggested_amount,
        invited_count=invited_count,
        show_amounts=show_amounts,
        auto_order=auto_order,
        now=now,
    )


def _wish_claim_and_address(*, organiser, item, wishlist, link_opened: bool) -> dict:
    """Claim ITEM for ORGANISER's new pool and give the pool fields of the list's gift address
    (raising NO_GIFT_ADDRESS on "item" if it went meanwhile or cannot be shipped to)."""
    owner = wishlist.owner
    claim = _wish_claim(organiser=organiser, item=item, link_opened=link_opened)
    destination = wishlist_selectors.gift_destination_get(user=organiser, rest=str(wishlist.pk))
    if destination is None:  # the list's address went meanwhile
        raise DomainError(
            f"{owner.public_name} has not said where gifts go yet.",
            code=PoolError.NO_GIFT_ADDRESS,
            field="item",
        )
    try:
        address = _address_clean(destination.address)
    except DomainError:
        raise DomainError(
            f"Gifts cannot be sent to the address {owner.public_name} chose.",
            code=PoolError.NO_GIFT_ADDRESS,
            field="item",
        ) from None
    return {"claim": claim, **_address_fields(address, label=destination.label)}


def _wish_claim(*, organiser, item, link_opened: bool):
    """Claim one unit of ITEM for the organiser's pool. A reservation of theirs already there
    would be shared with the pool (one claim per person and wish): refused, WISH_CLAIMED."""
    try:
        wishlist_selectors.claim_reserved_of(claimer=organiser, item=item)
    except Http404:
        pass
    else:
        raise DomainError(
            "You have claimed this wish already: buy it, or release your claim to pool for it.",
            code=PoolError.WISH_CLAIMED,
            field="item",
        )
    try:
        return wishlist_services.claim_create(
            item=item, claimer=organiser, quantity=1, link_opened=link_opened
        )
    except DomainError as error:
        raise DomainError(
            str(error.message)
            if error.code == WishlistError.SOLD_OUT
            else "This wish cannot be claimed.",
            code=PoolError.WISH_CLAIMED,
            field="item",
        ) from None


def pool_open_for_variant(
    *,
    organiser,
    variant,
    shipping_method,
    deadline: datetime,
    visibility: str,
    recipient=None,
    recipient_name: str = "",
    address: AddressInput | None = None,
    message: str = "",
    rule: str = Pool.Rule.ANY,
    minimum: int = services.MINIMUM_FLOOR,
    suggested_amount: int | None = None,
    invited_count: int = 0,
    show_amounts: bool = True,
    auto_order: bool = False,
    now: datetime | None = None,
) -> Pool:
    """Open ORGANISER's pool for one unit of VARIANT shipped by SHIPPING_METHOD to ADDRESS
    (given by the organiser, who may see it: no label), for RECIPIENT (a friend of theirs) or
    a person named RECIPIENT_NAME. The target is pool_target_for. Raises INVALID_GIFT
    ("variant"), INVALID_SHIPPING, INVALID_RECIPIENT ("recipient": not a friend), NO_ADDRESS,
    INVALID_ADDRESS (on the address field at fault), and what services.pool_open raises."""
    variant_check(variant, field="variant")
    method = shipping_method_check(shipping_method)
    # (The organiser as their own recipient is pool_open's refusal, with its own words.)
    if (
        recipient is not None
        and recipient.pk != organiser.pk
        and not is_friend(user=organiser, other=recipient)
    ):
        raise DomainError(
            "You can start a pool for one of your friends, or type the person's name.",
            code=PoolError.INVALID_RECIPIENT,
            field="recipient",
        )
    if address is None:
        raise DomainError(
            "Give the address the gift is sent to.", code=PoolError.NO_ADDRESS, field="address"
        )
    address = _address_clean(address)
    return _gift_pool_open(
        variant=variant,
        shipping_method=method,
        then=partial(_address_fields, address, label=""),
        organiser=organiser,
        deadline=deadline,
        visibility=visibility,
        recipient=recipient,
        recipient_name=recipient_name,
        message=message,
        rule=rule,
        minimum=minimum,
        suggested_amount=suggested_amount,
        invited_count=invited_count,
        show_amounts=show_amounts,
        auto_order=auto_order,
        now=now,
    )


# --- the wish's claim while the pool lives --------------------------------------------------


def pool_claims_held() -> QuerySet:
    """The claims of pools still collecting or buying (wishlists' claims_expire keeps them)."""
    return Pool.objects.filter(claim__isnull=False, state__in=CLAIM_HELD_STATES).values("claim_id")


def pool_claims_ended() -> QuerySet:
    """The claims of pools cancelled or refunded (claims_expire releases those reserved)."""
    return Pool.objects.filter(claim__isnull=False, state__in=CLAIM_ENDED_STATES).values("claim_id")


def pool_claim_release(*, pool: Pool) -> bool:
    """Give the wish back to the list: release POOL's claim if it is still reserved (the pool
    was cancelled or refunded). Idempotent; False if there was nothing to release."""
    if pool.claim_id is None:
        return False
    return wishlist_services.claim_release_held(claim=pool.claim)
