"""The organiser chooses a pool's gift from the shop, or switches it to another one.

A pool for an amount has no gift until its organiser picks one, even once it is funded (then
the gift must cost at most what was collected); any pool's gift may be switched while the pool
is open or expired (lifecycle.pool_switch: the target becomes the gift's price plus its
shipping; what was collected beyond it goes back to contributors pro rata). The page
searches the catalogue (shop.catalog.selectors.product_list), shows for each shipping method
the new target and what would go back before anything is confirmed, and asks where the gift
goes when the pool does not know yet (opening.pool_address_set).
"""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db import transaction
from django.db.models import Prefetch

from gifting.pools import lifecycle
from gifting.pools.models import Pool
from shop.orders.addresses import AddressInput

State = Pool.State
# The states in which the organiser may choose or switch the gift (pool_switch's).
CHOOSE_STATES = (State.OPEN, State.EXPIRED)
SEARCH_PAGE_SIZE = 12


# --- reads ------------------------------------------------------------------------------------


def pool_gift_choice_open(pool: Pool) -> bool:
    """Whether POOL's state lets its organiser choose or switch its gift (no query): open or
    expired, or funded before it had a gift (pool_needs_gift)."""
    return pool.state in CHOOSE_STATES or pool_needs_gift(pool)


def pool_needs_gift(pool: Pool) -> bool:
    """Whether POOL is a pool for an amount that was funded before its gift was chosen: its
    organiser must choose one costing at most what was collected before it can be ordered."""
    return pool.state == State.FUNDED and pool.variant_id is None


def pool_gift_choosable(pool: Pool) -> bool:
    """Whether POOL's gift may be chosen or switched now (pool_gift_choice_open), its
    contributions not being refunded (one query when the state allows it)."""
    from gifting.pools.refunds import pool_refunds_started

    return pool_gift_choice_open(pool) and not pool_refunds_started(pool)


def pool_needs_address(pool: Pool) -> bool:
    """Whether POOL does not know yet where its gift goes (a pool for an amount)."""
    return not pool.ship_to_label and not pool.ship_line1


def pool_gift_search(*, q: str, page: int) -> Page:
    """The published products matching the words Q (the catalogue's search, best first), a
    page of SEARCH_PAGE_SIZE with their pictures and their options (cheapest first): four
    queries whatever the page holds (count, products, pictures, options)."""
    from shop.catalog.models import Variant
    from shop.catalog.selectors import ProductFilters, product_list
    from shop.core.pagination import paginate

    products = product_list(filters=ProductFilters(q=q)).prefetch_related(
        Prefetch(
            "variants",
            queryset=Variant.objects.order_by("price", "position", "id"),
            to_attr="options",
        )
    )
    return paginate(products, number=page, size=SEARCH_PAGE_SIZE)


@dataclass(frozen=True)
class GiftOutcome:
    """What choosing a gift shipped one way would do to the pool."""

    shipping_method: object  # the ShippingMethod
    target: int  # the new target: the gift's price plus this shipping
    refund: int  # what would go back to contributors (collected beyond the new target)
    funded: bool  # the money collected covers the gift: the pool is full at once
    too_dear: bool = False  # a funded pool: the gift costs more than was collected


def pool_gift_too_dear_message(pool: Pool, *, target: int) -> str:
    """What refuses a gift costing TARGET to POOL, funded before its gift was chosen (the
    limit: what was collected), as lifecycle.pool_switch says it."""
    from shop.core.money import money_format

    limit = money_format(pool.collected, currency=pool.currency)
    return (
        f"This gift costs {money_format(target, currency=pool.currency)} with its shipping, "
        f"more than the {limit} collected: choose one that costs at most {limit}."
    )


def pool_gift_outcomes(*, pool: Pool, variant, shipping_methods) -> list[GiftOutcome]:
    """For each of SHIPPING_METHODS, what choosing VARIANT would do to POOL (no query)."""
    from gifting.pools.opening import pool_target_for

    capped = pool_needs_gift(pool)
    outcomes = []
    for method in shipping_methods:
        target = pool_target_for(variant=variant, shipping_method=method)
        outcomes.append(
            GiftOutcome(
                shipping_method=method,
                target=target,
                refund=max(pool.collected - target, 0),
                funded=pool.collected >= target,
                too_dear=capped and target > pool.collected,
            )
        )
    return outcomes


# --- the write --------------------------------------------------------------------------------


def pool_gift_choose(
    *, pool: Pool, by, variant, shipping_method, address: AddressInput | None = None
) -> Pool:
    """The organiser BY makes VARIANT, shipped by SHIPPING_METHOD, POOL's gift (its first for
    a pool for an amount, funded already or not, else a switch), and says where it goes when
    given ADDRESS, all in one transaction: lifecycle.pool_switch (the new target; a surplus
    refunded pro rata; FUNDED when the money covers it; a funded pool's gift at most what was
    collected, then ordered), then opening.pool_address_set. Raises INVALID_GIFT ("variant":
    not sold any more), INVALID_SHIPPING, what pool_switch and pool_address_set raise."""
    from gifting.pools.opening import pool_address_set, shipping_method_check, variant_check

    variant_check(variant, field="variant")
    method = shipping_method_check(shipping_method)
    with transaction.atomic():
        # pool_switch locks the contributions, then the pool (the order paying takes);
        # pool_address_set then finds the pool's lock already held.
        pool = lifecycle.pool_switch(pool=pool, variant=variant, shipping_method=method, by=by)
        if address is not None:
            pool = pool_address_set(pool=pool, by=by, address=address)
    return pool
