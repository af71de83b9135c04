"""Turning a funded pool into an order, and following that order.

pool_order_place buys the gift with the pool's money: a fresh cart holding one unit of the
pool's variant becomes an order (shop.orders.services.order_place, so every checkout rule
holds) to the pool's address, paid at once by the pool's funds with no card
(order_mark_paid_by_funds: each contribution was paid by card already). A gift that now costs
more than was collected is refused (PRICE_CHANGED) and nothing is kept; one that costs less
gives the difference back to the contributors pro rata (refunds.pool_surplus_refund).

When a pool becomes FUNDED (services.pool_fund) an outbox row FUNDED_TOPIC is written with
it; its delivery (pool_funded_deliver, at least once) tells the organiser and contributors and,
for an auto_order pool, places the order. A pool for an amount may be funded before its
organiser chose the gift: it is ordered once they do (lifecycle.pool_switch writes
GIFT_CHOSEN_TOPIC; pool_gift_chosen_deliver orders an auto_order pool's gift). The order's
own events (shop.orders.events, from the outbox, at least once) move the pool along: shipped,
delivered, or cancelled by the shop (the contributors are refunded). Every step checks the
pool's state first, so a second delivery changes nothing.
"""

import logging

from django.db import transaction

from gifting.pools import services
from gifting.pools.errors import PoolError
from gifting.pools.models import Contribution, Pool
from gifting.pools.notifications import (
    FUNDED_KIND,
    GIFT_KIND,
    ORDERED_KIND,
    SHIPPED_KIND,
    pool_guest_email_record,
    pool_notify,
)
from gifting.pools.opening import pool_address_of
from shop.core.errors import DomainError
from shop.core.money import money_format

logger = logging.getLogger(__name__)
State = Pool.State

FUNDED_TOPIC = "pools.funded"
GIFT_CHOSEN_TOPIC = "pools.gift_chosen"
ATTRIBUTION_PREFIX = "pool:"


# --- who hears of it --------------------------------------------------------------------------


def _contributions_succeeded(pool: Pool) -> list[Contribution]:
    return list(
        Contribution.objects.filter(
            pool_id=pool.pk,
            status__in=[Contribution.Status.SUCCEEDED, Contribution.Status.REFUNDED],
        )
        .select_related("contributor")
        .order_by("created_at", "id")
    )


def _members_told(pool: Pool, *, kind: str, dedupe_key: str, actor=None, data=None) -> None:
    """Tell the organiser and every member who chipped in (once each; never the recipient:
    pool_notify keeps the surprise)."""
    people = {pool.organiser_id: pool.organiser}
    for contribution in _contributions_succeeded(pool):
        if contribution.contributor_id is not None:
            people.setdefault(contribution.contributor_id, contribution.contributor)
    for person in people.values():
        pool_notify(
            pool=pool, recipient=person, kind=kind, dedupe_key=dedupe_key, actor=actor, data=data
        )


def _recipient_name(pool: Pool) -> str:
    return pool.recipient.public_name if pool.recipient_id else pool.recipient_name


# --- ordering ---------------------------------------------------------------------------------


def _order_check(pool: Pool, *, by) -> None:
    """Raise unless BY (the organiser, or None: the system for an auto_order pool) may order
    POOL's gift now."""
    if by is None:
        if not pool.auto_order:
            raise DomainError(
                "Only the organiser orders this gift.", code=PoolError.NOT_ORGANISER, field="pool"
            )
    elif by.pk != pool.organiser_id:
        raise DomainError(
            "Only the organiser orders the gift.", code=PoolError.NOT_ORGANISER, field="pool"
        )
    if pool.state != State.FUNDED:
        message = (
            "The gift is ordered already."
            if pool.order_id is not None
            else "The pool is not funded: the gift is ordered once the money is collected."
        )
        raise DomainError(message, code=PoolError.NOT_FUNDED, field="pool")
    if pool.variant_id is None:
        raise DomainError("Choose the gift first.", code=PoolError.NO_GIFT, field="variant")
    if pool.shipping_method_id is None:
        raise DomainError(
            "Choose how the gift is shipped.",
            code=PoolError.INVALID_SHIPPING,
            field="shipping_method",
        )
    if not pool.ship_line1:
        raise DomainError(
            "Give the address the gift is sent to.", code=PoolError.NO_ADDRESS, field="address"
        )


def _order_label(pool: Pool) -> str:
    """What the organiser reads on the order instead of its address: the wishlist's label, or
    the recipient's name (a gift's order never shows in the organiser's friends' feeds as a
    purchase, where the recipient could see it, and never greets the buyer by the recipient's
    name)."""
    return pool.ship_to_label or f"{_recipient_name(pool)}’s address"[:120]


def pool_order_place(*, pool: Pool, by):
    """Order the gift of funded POOL with its money; return the paid Order (FUNDED -> ORDERED).

    BY: the organiser, or None for the system (an auto_order pool). In one transaction,
    under the pool's lock: a new cart with one unit of the pool's variant is placed as the
    organiser's order to the pool's address (a wishlist's shows only as its label), marked
    paid by the pool's funds, the surplus if the gift costs less now is refunded pro rata,
    the wish's claim is marked purchased and the organiser and contributors are told. Raises
    NOT_ORGANISER, NOT_FUNDED, NO_GIFT ("Choose the gift first."), INVALID_SHIPPING,
    NO_ADDRESS, PRICE_CHANGED (field "pool": the gift costs more than was collected; nothing
    is kept, the organiser may switch or close) and what the cart and checkout raise (sold
    out, no longer sold, a shipping method withdrawn).
    """
    from gifting.wishlists import services as wishlist_services
    from shop.cart.services import cart_get_or_create, cart_item_add
    from shop.orders import services as order_services

    with transaction.atomic():
        services.contributions_lock(pool)  # before the pool: paying's lock order
        services.pool_lock(pool)
        _order_check(pool, by=by)
        organiser = pool.organiser
        cart = cart_get_or_create(user=None, token=None)  # a new cart, the gift alone in it
        cart_item_add(cart=cart, variant_id=pool.variant_id, quantity=1)
        order = order_services.order_place(
            cart=cart,
            customer=organiser,
            email=organiser.email,
            address=pool_address_of(pool),
            shipping_method_id=pool.shipping_method_id,
            ship_to_label=_order_label(pool),
            attribution=f"{ATTRIBUTION_PREFIX}{pool.pk}",
        )
        if order.total > pool.collected:
            raise DomainError(
                f"The gift now costs {money_format(order.total, currency=order.currency)}, more "
                f"than the {money_format(pool.collected, currency=pool.currency)} collected: "
                "choose another gift or close the pool.",
                code=PoolError.PRICE_CHANGED,
                field="pool",
            )
        order_services.order_mark_paid_by_funds(order=order, note=f"Paid by gift pool #{pool.pk}.")
        surplus = pool.collected - order.total
        if surplus > 0:
            from gifting.pools.refunds import pool_surplus_refund

            pool_surplus_refund(pool=pool, surplus=surplus, reason="The gift cost less")
        services.pool_transition(
            pool, State.ORDERED, by=by, note=f"Order {order.number}", order=order
        )
        claim = pool.claim
        if claim is not None and claim.status == claim.Status.RESERVED:
            if claim.item.variant_id == pool.variant_id:
                wishlist_services.claim_purchase(claim=claim, order_id=order.pk)
            else:  # the pool switched to another gift: the wish is free on its list again
                wishlist_services.claim_release_held(claim=claim)
        _members_told(pool, kind=ORDERED_KIND, dedupe_key="ordered", actor=by)
    return order


# --- funded -----------------------------------------------------------------------------------


def pool_funded_record(*, pool: Pool) -> None:
    """Write FUNDED_TOPIC for POOL in the caller's transaction (services.pool_fund)."""
    from shop.core.outbox import outbox_record

    outbox_record(topic=FUNDED_TOPIC, payload={"pool_id": pool.pk})


def pool_funded_deliver(*, pool_id: int) -> bool:
    """POOL_ID was funded (FUNDED_TOPIC, delivered at least once): tell the organiser and the
    members who chipped in (guests by email), and order the gift of an auto_order pool. A
    second delivery tells no one again (each notification once per pool; guests' emails once,
    see emails.py) and orders nothing again (only a FUNDED pool is ordered). An order that
    cannot be placed now (the price rose, sold out) leaves the pool FUNDED for its organiser,
    whom the funded notification brought; it is logged. Returns whether an order was placed.
    """
    pool = Pool.objects.select_related("organiser", "variant__product").filter(pk=pool_id).first()
    if pool is None:
        return False
    if pool.variant_id is None:  # a pool for an amount: ordered once its gift is chosen
        with transaction.atomic():
            _funded_unchosen_tell(pool)
        return False
    with transaction.atomic():
        _members_told(pool, kind=FUNDED_KIND, dedupe_key="funded")
        for contribution in _contributions_succeeded(pool):
            pool_guest_email_record(contribution=contribution, email="funded")
    return _auto_order(pool)


def _funded_unchosen_tell(pool: Pool) -> None:
    """POOL, for an amount, is funded before its gift was chosen: its organiser is told to
    choose it now (the notification leads to the choosing page); the members who chipped in
    (guests by email) that the organiser will choose it."""
    pool_notify(
        pool=pool,
        recipient=pool.organiser,
        kind=FUNDED_KIND,
        dedupe_key="funded",
        data={"choose": "now"},
        url=f"/pools/{pool.token}/choose/",
    )
    organiser = pool.organiser.public_name
    told = {pool.organiser_id}
    for contribution in _contributions_succeeded(pool):
        if contribution.contributor_id is None:
            pool_guest_email_record(contribution=contribution, email="funded", gift_to_choose=True)
        elif contribution.contributor_id not in told:
            told.add(contribution.contributor_id)
            pool_notify(
                pool=pool,
                recipient=contribution.contributor,
                kind=FUNDED_KIND,
                dedupe_key="funded",
                data={"choose": "organiser", "organiser": organiser},
            )


def _auto_order(pool: Pool) -> bool:
    """Order the gift of POOL if it is an auto_order pool still FUNDED (pool_order_place checks
    again under the pool's lock: a second call orders nothing). An order that cannot be placed
    now is logged and leaves the pool FUNDED for its organiser. Returns whether one was."""
    if not pool.auto_order or pool.state != State.FUNDED:
        return False
    try:
        pool_order_place(pool=pool, by=None)
    except DomainError as error:
        logger.warning(
            "Pool %s funded but not ordered: %s (%s)", pool.pk, error.message, error.code
        )
        return False
    return True


def pool_gift_chosen_record(*, pool: Pool) -> None:
    """Write GIFT_CHOSEN_TOPIC for POOL, funded before its gift was chosen, in the caller's
    transaction (lifecycle.pool_switch)."""
    from shop.core.outbox import outbox_record

    outbox_record(topic=GIFT_CHOSEN_TOPIC, payload={"pool_id": pool.pk})


def pool_gift_chosen_deliver(*, pool_id: int) -> bool:
    """The organiser of POOL_ID chose its gift after it was funded (GIFT_CHOSEN_TOPIC,
    delivered at least once): order it if the pool orders on its own (auto_order); otherwise
    the organiser orders it from the pool's page. A second delivery orders nothing (only a
    FUNDED pool is ordered, under its lock). Returns whether an order was placed."""
    pool = Pool.objects.select_related("organiser", "variant__product").filter(pk=pool_id).first()
    if pool is None or pool.variant_id is None:
        return False
    return _auto_order(pool)


# --- following the order ----------------------------------------------------------------------


def _pool_of_order(order_id: int) -> Pool | None:
    return (
        Pool.objects.select_related("organiser", "recipient", "variant__product")
        .filter(order_id=order_id)
        .first()
    )


def _shipped(pool: Pool) -> None:
    """ORDERED -> SHIPPED (pool locked by the caller's transaction), and who is told."""
    services.pool_transition(pool, State.SHIPPED, note="The shop shipped the gift")
    _members_told(
        pool, kind=SHIPPED_KIND, dedupe_key="shipped", data={"recipient": _recipient_name(pool)}
    )
    # The gift page exists from now on: the recipient may hear of it.
    pool_notify(pool=pool, recipient=pool.recipient, kind=GIFT_KIND, dedupe_key="gift", actor=None)


def pool_order_shipped(*, order_id: int) -> bool:
    """The pool whose order ORDER_ID shipped: ORDERED -> SHIPPED, the organiser and
    contributors told, the recipient (a member) told of their gift. Idempotent: False when no
    pool moved."""
    pool = _pool_of_order(order_id)
    if pool is None:
        return False
    with transaction.atomic():
        services.pool_lock(pool)
        if pool.state != State.ORDERED:
            return False
        _shipped(pool)
    return True


def pool_order_delivered(*, order_id: int) -> bool:
    """The pool whose order ORDER_ID was delivered: SHIPPED -> DELIVERED (through SHIPPED if
    its shipped event comes later: the outbox delivers roughly in order). Idempotent."""
    pool = _pool_of_order(order_id)
    if pool is None:
        return False
    with transaction.atomic():
        services.pool_lock(pool)
        if pool.state == State.ORDERED:
            _shipped(pool)
        if pool.state != State.SHIPPED:
            return False
        services.pool_transition(pool, State.DELIVERED, note="The gift was delivered")
    return True


def pool_order_cancelled(*, order_id: int) -> bool:
    """The shop cancelled the order of a pool (before shipping): the pool is CANCELLED and every
    contributor refunded what they gave (refunds.pool_refunds_all); the wish's claim is given
    back to the list. Idempotent."""
    pool = _pool_of_order(order_id)
    if pool is None:
        return False
    from gifting.pools.opening import pool_claim_release
    from gifting.pools.refunds import pool_refunds_all

    with transaction.atomic():
        services.contributions_lock(pool)  # before the pool: paying's lock order
        services.pool_lock(pool)
        if pool.state != State.ORDERED:
            return False
        services.pool_transition(pool, State.CANCELLED, note="The shop cancelled the order")
        pool_refunds_all(pool=pool, reason="The shop cancelled the gift's order")
        pool_claim_release(pool=pool)
    return True


def pool_order_refunded(*, order_id: int, refund_id: int, amount: int) -> bool:
    """The shop refunded AMOUNT of a pool's order that goes on (a partial refund, or one after
    delivery): the contributors get it back pro rata (refunds.pool_surplus_refund), once per
    shop refund REFUND_ID. A cancelled order's refund is pool_order_cancelled's (all back)."""
    from gifting.pools.models import PoolRefund
    from gifting.pools.refunds import pool_surplus_refund
    from shop.orders.selectors import order_for_email

    pool = _pool_of_order(order_id)
    order = order_for_email(order_id=order_id) if pool is not None else None
    if pool is None or order is None or order.status == order.Status.CANCELLED:
        return False
    reason = f"The shop refunded part of the gift (refund {refund_id})"
    with transaction.atomic():
        services.contributions_lock(pool)  # before the pool: paying's lock order
        services.pool_lock(pool)
        if PoolRefund.objects.filter(contribution__pool_id=pool.pk, reason=reason).exists():
            return False
        pool_surplus_refund(pool=pool, surplus=amount, reason=reason)
    return True


# --- receivers of the shop's order events (connected in PoolsConfig.ready) ---------------------


def order_shipped_receive(sender, *, order_id: int, **kwargs) -> None:
    pool_order_shipped(order_id=order_id)


def order_delivered_receive(sender, *, order_id: int, **kwargs) -> None:
    pool_order_delivered(order_id=order_id)


def order_cancelled_receive(sender, *, order_id: int, **kwargs) -> None:
    pool_order_cancelled(order_id=order_id)


def order_refunded_receive(sender, *, order_id: int, refund_id: int, amount: int, **kwargs) -> None:
    pool_order_refunded(order_id=order_id, refund_id=refund_id, amount=amount)
