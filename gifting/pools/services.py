"""Every write of pools: opening one, contributions (reserve, succeed, release, expire) and
the pool's named state transitions.

Contributions to one pool are reserved under the pool's row lock, so friends chipping in at
once never hold more than the target between them; a payment succeeding moves its amount
from `reserved` to `collected` in one conditional UPDATE. The database refuses
collected + reserved > target whatever happens.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gifting.pools.activity import (
    chip_in_activity_record,
    pool_activities_delete,
    pool_activity_record,
)
from gifting.pools.errors import PoolError
from gifting.pools.models import POOL_VISIBILITIES, Contribution, Pool, PoolTransition
from shop.core.errors import DomainError
from shop.core.money import money_format

MINIMUM_FLOOR = 100  # one euro: less is not worth a card payment's fee
MESSAGE_MAX = 1000
NAME_MAX = 120
State = Pool.State

# --- transitions ------------------------------------------------------------------------------

# Every legal state change. EXPIRED -> OPEN is taken once, by pool_extend.
# The idempotency keys of the organiser's top-ups (pool_top_up) start with this: only they may
# be reserved and paid while the pool is EXPIRED, and their success funds an EXPIRED pool.
TOP_UP_KEY_PREFIX = "pool-top-up:"
_TRANSITIONS: dict[str, set[str]] = {
    State.OPEN: {State.FUNDED, State.EXPIRED, State.CANCELLED},
    State.FUNDED: {State.ORDERED, State.CANCELLED},
    State.ORDERED: {State.SHIPPED, State.CANCELLED},
    State.SHIPPED: {State.DELIVERED},
    State.DELIVERED: set(),
    # EXPIRED -> FUNDED: the organiser topped up the rest (pool_top_up) or switched to a gift
    # the money collected covers (pool_switch).
    State.EXPIRED: {State.OPEN, State.FUNDED, State.CANCELLED, State.REFUNDED},
    State.CANCELLED: {State.REFUNDED},
    State.REFUNDED: set(),
}
_STATE_ADJECTIVE = {
    State.OPEN: "an open",
    State.FUNDED: "a funded",
    State.ORDERED: "an ordered",
    State.SHIPPED: "a shipped",
    State.DELIVERED: "a delivered",
    State.EXPIRED: "an expired",
    State.CANCELLED: "a cancelled",
    State.REFUNDED: "a refunded",
}
_TARGET_VERB = {
    State.OPEN: "reopened",
    State.FUNDED: "marked funded",
    State.ORDERED: "marked ordered",
    State.SHIPPED: "marked shipped",
    State.DELIVERED: "marked delivered",
    State.EXPIRED: "expired",
    State.CANCELLED: "cancelled",
    State.REFUNDED: "marked refunded",
}


def _actor(by):
    """The user to record as having acted: None for the system and for visitors."""
    return by if getattr(by, "is_authenticated", False) else None


def _pool_lock(pool: Pool) -> Pool:
    """Lock the pool's row for this transaction and refresh `pool` from it (returned)."""
    fresh = Pool.objects.select_for_update().get(pk=pool.pk)
    for field in Pool._meta.concrete_fields:
        setattr(pool, field.attname, getattr(fresh, field.attname))
    pool._state.fields_cache = {}
    return pool


def _transition(pool: Pool, to: str, *, by=None, note: str = "", **fields) -> Pool:
    """Move `pool` to state `to` (saving `fields` with it) and record the transition.

    Locks the pool's row and checks the state read under the lock. Raises
    ILLEGAL_TRANSITION ("A delivered pool cannot be cancelled.")."""
    with transaction.atomic():
        _pool_lock(pool)
        current = pool.state
        if to not in _TRANSITIONS[current]:
            adjective = _STATE_ADJECTIVE[current]
            raise DomainError(
                f"{adjective[0].upper()}{adjective[1:]} pool cannot be {_TARGET_VERB[to]}.",
                code=PoolError.ILLEGAL_TRANSITION,
                field="state",
            )
        pool.state = to
        for name, value in fields.items():
            setattr(pool, name, value)
        pool.save(update_fields=["state", *fields])
        PoolTransition.objects.create(
            pool=pool, from_state=current, to_state=to, by=_actor(by), note=note[:300]
        )
    return pool


def pool_fund(*, pool: Pool, by=None, note: str = "") -> Pool:
    """OPEN -> FUNDED: the target is collected (called by contribution_succeed). The outbox
    row "pools.funded" is written with it: its delivery tells the organiser and contributors
    and orders an auto_order pool's gift (ordering.pool_funded_deliver)."""
    from gifting.pools.ordering import pool_funded_record

    with transaction.atomic():
        _transition(pool, State.FUNDED, by=by, note=note)
        pool_funded_record(pool=pool)
    return pool


def pool_expire(*, pool: Pool, by=None, note: str = "") -> Pool:
    """OPEN -> EXPIRED: the deadline passed before the target was collected."""
    return _transition(pool, State.EXPIRED, by=by, note=note)


def pool_extend(*, pool: Pool, deadline: datetime, by=None, now: datetime | None = None) -> Pool:
    """EXPIRED -> OPEN with a new, later DEADLINE: once per pool (ALREADY_EXTENDED after)."""
    now = now or timezone.now()
    with transaction.atomic():
        _pool_lock(pool)
        _refunds_not_started_check(pool, action="extended")
        if pool.extended_once:
            raise DomainError(
                "This pool's deadline was already extended once.",
                code=PoolError.ALREADY_EXTENDED,
                field="deadline",
            )
        _deadline_check(deadline, now=now)
        return _transition(
            pool,
            State.OPEN,
            by=by,
            note=f"Deadline extended to {deadline.isoformat()}",
            deadline=deadline,
            extended_once=True,
        )


def pool_cancel(*, pool: Pool, by=None, note: str = "") -> Pool:
    """Cancel the pool (before its gift is shipped); its contributions are to be refunded and
    its activities leave every feed."""
    with transaction.atomic():
        _transition(pool, State.CANCELLED, by=by, note=note)
        pool_activities_delete(pool=pool)
    return pool


def pool_refund_done(*, pool: Pool, by=None, note: str = "") -> Pool:
    """EXPIRED or CANCELLED -> REFUNDED: every contribution was paid back."""
    return _transition(pool, State.REFUNDED, by=by, note=note)


def pool_mark_ordered(*, pool: Pool, by=None, note: str = "") -> Pool:
    return _transition(pool, State.ORDERED, by=by, note=note)


def pool_mark_shipped(*, pool: Pool, by=None, note: str = "") -> Pool:
    return _transition(pool, State.SHIPPED, by=by, note=note)


def pool_mark_delivered(*, pool: Pool, by=None, note: str = "") -> Pool:
    return _transition(pool, State.DELIVERED, by=by, note=note)


# --- opening a pool ---------------------------------------------------------------------------


def _deadline_check(deadline: datetime, *, now: datetime) -> None:
    if not isinstance(deadline, datetime) or deadline <= now:
        raise DomainError(
            "Choose a deadline in the future.", code=PoolError.INVALID_DEADLINE, field="deadline"
        )


def _amount_is_cents(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def pool_open(
    *,
    organiser,
    target: int,
    deadline: datetime,
    visibility: str,
    recipient=None,
    recipient_name: str = "",
    wishlist_item=None,
    variant=None,
    shipping_method=None,
    message: str = "",
    rule: str = Pool.Rule.ANY,
    minimum: int = MINIMUM_FLOOR,
    suggested_amount: int | None = None,
    invited_count: int = 0,
    show_amounts: bool = True,
    auto_order: bool = False,
    currency: str | None = None,
    now: datetime | None = None,
) -> Pool:
    """Open ORGANISER's pool towards TARGET cents by DEADLINE, for RECIPIENT (a member) or
    RECIPIENT_NAME. Raises DomainError naming the field at fault."""
    now = now or timezone.now()
    if not _amount_is_cents(target) or target <= 0:
        raise DomainError(
            "Enter a target above zero.", code=PoolError.INVALID_TARGET, field="target"
        )
    _deadline_check(deadline, now=now)
    if not _amount_is_cents(minimum) or minimum < MINIMUM_FLOOR:
        raise DomainError(
            f"The smallest contribution is at least {money_format(MINIMUM_FLOOR)}.",
            code=PoolError.INVALID_MINIMUM,
            field="minimum",
        )
    if minimum > target:
        raise DomainError(
            "The smallest contribution cannot be more than the target.",
            code=PoolError.INVALID_MINIMUM,
            field="minimum",
        )
    if visibility not in [v.value for v in POOL_VISIBILITIES]:
        raise DomainError(
            "Choose who sees the pool: friends, anyone with the link, or everyone.",
            code=PoolError.INVALID_VISIBILITY,
            field="visibility",
        )
    if rule not in Pool.Rule.values:
        raise DomainError("Choose how people chip in.", code=PoolError.INVALID_RULE, field="rule")
    if rule == Pool.Rule.SUGGESTED and (
        not _amount_is_cents(suggested_amount) or not minimum <= suggested_amount <= target
    ):
        raise DomainError(
            f"Suggest an amount from {money_format(minimum)} to {money_format(target)}.",
            code=PoolError.INVALID_SUGGESTED,
            field="suggested_amount",
        )
    if rule == Pool.Rule.EQUAL_SHARE and (not isinstance(invited_count, int) or invited_count < 1):
        raise DomainError(
            "Say how many people share the gift.",
            code=PoolError.INVALID_RULE,
            field="invited_count",
        )
    recipient_name = (recipient_name or "").strip()
    if recipient is not None and recipient.pk == organiser.pk:
        raise DomainError(
            "A pool is for someone else: choose who receives the gift.",
            code=PoolError.INVALID_RECIPIENT,
            field="recipient",
        )
    if recipient is None and not recipient_name:
        raise DomainError(
            "Say who receives the gift.", code=PoolError.INVALID_RECIPIENT, field="recipient_name"
        )
    if len(recipient_name) > NAME_MAX:
        raise DomainError(
            f"Give the recipient's name in at most {NAME_MAX} characters.",
            code=PoolError.INVALID_RECIPIENT,
            field="recipient_name",
        )
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise DomainError(
            f"Write a message of at most {MESSAGE_MAX} characters.",
            code=PoolError.INVALID_MESSAGE,
            field="message",
        )
    with transaction.atomic():
        pool = Pool.objects.create(
            organiser=organiser,
            recipient=recipient,
            recipient_name=recipient_name,
            wishlist_item=wishlist_item,
            variant=variant,
            shipping_method=shipping_method,
            target=target,
            currency=currency or settings.STORE_CURRENCY,
            deadline=deadline,
            message=message,
            visibility=visibility,
            rule=rule,
            minimum=minimum,
            suggested_amount=suggested_amount if rule == Pool.Rule.SUGGESTED else None,
            invited_count=invited_count,
            show_amounts=show_amounts,
            auto_order=auto_order,
            created_at=now,
        )
        PoolTransition.objects.create(
            pool=pool, from_state="", to_state=State.OPEN, by=_actor(organiser)
        )
        pool_activity_record(pool=pool)
    return pool


# --- contributions ----------------------------------------------------------------------------


def contribution_reserve(
    *,
    pool: Pool,
    amount: int,
    contributor=None,
    guest_name: str = "",
    guest_email: str = "",
    hide_name: bool = False,
    message: str = "",
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Contribution:
    """Hold AMOUNT cents of POOL for CONTRIBUTOR (a member) or a guest while their payment is
    pending (POOL_RESERVATION_MINUTES). A second call with the same IDEMPOTENCY_KEY returns the
    first contribution. Raises POOL_CLOSED, BELOW_MINIMUM, POOL_FULL (offering what is left)
    or POOL_COMPLETE."""
    if idempotency_key and idempotency_key.startswith(TOP_UP_KEY_PREFIX):
        raise DomainError(
            "This key is kept for the organiser's top-ups.",
            code=PoolError.INVALID_CONTRIBUTOR,
            field="idempotency_key",
        )
    return _contribution_reserve(
        pool=pool,
        amount=amount,
        contributor=contributor,
        guest_name=guest_name,
        guest_email=guest_email,
        hide_name=hide_name,
        message=message,
        idempotency_key=idempotency_key,
        now=now,
        top_up=False,
    )


def contribution_is_top_up(contribution: Contribution) -> bool:
    """Whether CONTRIBUTION is the organiser's top-up of the rest (pool_top_up)."""
    return contribution.idempotency_key.startswith(TOP_UP_KEY_PREFIX)


def _contribution_reserve(
    *,
    pool: Pool,
    amount: int,
    contributor,
    guest_name: str,
    guest_email: str,
    hide_name: bool,
    message: str,
    idempotency_key: str | None,
    now: datetime | None,
    top_up: bool,
) -> Contribution:
    """contribution_reserve; a TOP_UP may also be reserved on an EXPIRED pool (the organiser
    paying what is left after the deadline)."""
    now = now or timezone.now()
    if not _amount_is_cents(amount) or amount <= 0:
        raise DomainError(
            "Enter an amount above zero.", code=PoolError.INVALID_AMOUNT, field="amount"
        )
    guest_name = (guest_name or "").strip()
    guest_email = (guest_email or "").strip()
    if contributor is None and (not guest_name or not guest_email):
        raise DomainError(
            "Give your name and email address to chip in.",
            code=PoolError.INVALID_CONTRIBUTOR,
            field="guest_name" if not guest_name else "guest_email",
        )
    if len(guest_name) > NAME_MAX:
        raise DomainError(
            f"Give a name of at most {NAME_MAX} characters.",
            code=PoolError.INVALID_CONTRIBUTOR,
            field="guest_name",
        )
    message = (message or "").strip()
    if len(message) > 500:
        raise DomainError(
            "Write a message of at most 500 characters.",
            code=PoolError.INVALID_MESSAGE,
            field="message",
        )
    with transaction.atomic():
        _pool_lock(pool)
        # Looked up under the pool's lock: a retried request racing its first try waits for
        # it and gets its contribution, never a second one (nor a unique-key error).
        if idempotency_key:
            existing = Contribution.objects.filter(
                idempotency_key=idempotency_key, pool_id=pool.pk
            ).first()
            if existing is not None:
                return existing
        if top_up:
            taking = pool.state in (State.OPEN, State.EXPIRED) and not _refunds_started(pool)
        else:
            taking = pool.state == State.OPEN and pool.deadline > now
        if not taking:
            raise DomainError(
                "This pool is no longer taking contributions.",
                code=PoolError.POOL_CLOSED,
                field="amount",
            )
        remaining = pool.remaining
        if remaining == 0:
            raise DomainError(
                "The gift is fully funded: no more contributions are needed.",
                code=PoolError.POOL_COMPLETE,
                field="amount",
            )
        if amount > remaining:
            left = money_format(remaining, currency=pool.currency)
            raise DomainError(
                f"Only {left} is left to reach the gift: chip in {left}?",
                code=PoolError.POOL_FULL,
                field="amount",
            )
        if amount < pool.minimum and amount != remaining:
            raise DomainError(
                f"Chip in at least {money_format(pool.minimum, currency=pool.currency)}.",
                code=PoolError.BELOW_MINIMUM,
                field="amount",
            )
        Pool.objects.filter(pk=pool.pk).update(reserved=F("reserved") + amount)
        pool.reserved += amount
        return Contribution.objects.create(
            pool=pool,
            contributor=contributor,
            guest_name="" if contributor is not None else guest_name,
            guest_email="" if contributor is not None else guest_email,
            amount=amount,
            hide_name=hide_name,
            message=message,
            idempotency_key=idempotency_key or secrets.token_urlsafe(24),
            reserved_until=now + timedelta(minutes=settings.POOL_RESERVATION_MINUTES),
            created_at=now,
        )


def contribution_succeed(*, contribution: Contribution, now: datetime | None = None) -> bool:
    """The contribution's payment succeeded: RESERVED -> SUCCEEDED, its amount moved from the
    pool's reserved to its collected; at the target the pool is funded. Idempotent: False
    (and nothing changed) if it was not reserved any more."""
    now = now or timezone.now()
    with transaction.atomic():
        moved = Contribution.objects.filter(
            pk=contribution.pk, status=Contribution.Status.RESERVED
        ).update(status=Contribution.Status.SUCCEEDED, succeeded_at=now)
        if not moved:
            contribution.refresh_from_db()
            return False
        Pool.objects.filter(pk=contribution.pool_id).update(
            reserved=F("reserved") - contribution.amount,
            collected=F("collected") + contribution.amount,
        )
        contribution.status = Contribution.Status.SUCCEEDED
        contribution.succeeded_at = now
        chip_in_activity_record(contribution=contribution)
        pool = Pool.objects.get(pk=contribution.pool_id)
        if pool.collected == pool.target:
            if pool.state == State.OPEN:
                pool_fund(pool=pool, note="Target reached")
            elif pool.state == State.EXPIRED and contribution_is_top_up(contribution):
                pool_fund(pool=pool, by=contribution.contributor, note="Topped up by the organiser")
        _contribution_received_notify(pool=pool, contribution=contribution)
    return True


def _contribution_received_notify(*, pool: Pool, contribution: Contribution) -> None:
    """Tell the organiser someone chipped in (never the recipient; not the organiser's own),
    and thank a guest by email."""
    from gifting.pools.notifications import (
        CONTRIBUTION_KIND,
        pool_guest_email_record,
        pool_notify,
    )

    amount = money_format(contribution.amount, currency=pool.currency)
    pool_guest_email_record(contribution=contribution, email="received", amount=amount)
    pool_notify(
        pool=pool,
        recipient=pool.organiser,
        kind=CONTRIBUTION_KIND,
        dedupe_key=f"contribution:{contribution.pk}",
        actor=contribution.contributor,
        data={
            "amount": amount,
            "name": contribution.guest_name if contribution.contributor_id is None else "",
        },
    )


def _release(queryset) -> int:
    """Release the reserved contributions of QUERYSET, one conditional UPDATE each, giving
    their amounts back to their pools. Returns how many were released."""
    released = 0
    for pk, pool_id, amount in queryset.values_list("pk", "pool_id", "amount").order_by("pk"):
        with transaction.atomic():
            if Contribution.objects.filter(pk=pk, status=Contribution.Status.RESERVED).update(
                status=Contribution.Status.RELEASED
            ):
                Pool.objects.filter(pk=pool_id).update(reserved=F("reserved") - amount)
                released += 1
    return released


def contribution_release(*, contribution: Contribution) -> bool:
    """The contributor gave up (or their payment failed): RESERVED -> RELEASED, its amount is
    free again. Idempotent: False if it was not reserved any more."""
    done = bool(_release(Contribution.objects.filter(pk=contribution.pk)))
    contribution.refresh_from_db()
    return done


def contributions_expire(*, now: datetime | None = None) -> int:
    """Release every reservation past its reserved_until (the payment never came). Returns
    how many; a second run finds none."""
    now = now or timezone.now()
    return _release(
        Contribution.objects.filter(status=Contribution.Status.RESERVED, reserved_until__lt=now)
    )


# --- refunds ----------------------------------------------------------------------------------


def refunds_pro_rata(contributions: list[tuple[int, int]], surplus: int) -> dict[int, int]:
    """Share SURPLUS cents among CONTRIBUTIONS ((id, amount), in order) in proportion to their
    amounts, to the cent: each gets floor(surplus * amount / total) and the rounding remainder
    goes to the last one. The shares add up to SURPLUS exactly and none is more than its
    contribution (SURPLUS is at most the contributions' total)."""
    if surplus < 0:
        raise ValueError("surplus must not be negative")
    total = sum(amount for _, amount in contributions)
    if surplus > total:
        raise ValueError("surplus cannot exceed what was contributed")
    if not contributions:
        return {}
    shares = {pk: surplus * amount // total if total else 0 for pk, amount in contributions}
    last_pk = contributions[-1][0]
    shares[last_pk] += surplus - sum(shares.values())
    # The last one's share could exceed its amount only when it is tiny; hand what would be
    # over back to the others, latest first, within their own amounts.
    over = shares[last_pk] - contributions[-1][1]
    if over > 0:
        shares[last_pk] -= over
        for pk, amount in reversed(contributions[:-1]):
            room = amount - shares[pk]
            take = min(room, over)
            shares[pk] += take
            over -= take
            if not over:
                break
    return shares


# --- what the organiser does with a pool ------------------------------------------------------


def _refunds_started(pool: Pool) -> bool:
    from gifting.pools.refunds import pool_refunds_started

    return pool_refunds_started(pool)


def _refunds_not_started_check(pool: Pool, *, action: str) -> None:
    if _refunds_started(pool):
        raise DomainError(
            f"The contributions of this pool are being refunded: it cannot be {action} now.",
            code=PoolError.REFUNDS_STARTED,
            field="state",
        )


def _organiser_check(pool: Pool, by) -> None:
    if by is None or getattr(by, "pk", None) != pool.organiser_id:
        raise DomainError(
            "Only the pool's organiser can do this.", code=PoolError.NOT_ORGANISER, field="pool"
        )


def _no_payment_pending_check(pool: Pool, *, action: str) -> None:
    if pool.reserved > 0:
        raise DomainError(
            f"Someone is paying their contribution right now: {action} in a few minutes, once "
            "it has gone through or been given up.",
            code=PoolError.PAYMENT_PENDING,
            field="pool",
        )


def _contributions_lock(pool: Pool) -> None:
    """Lock the pool's pending and succeeded contributions, before the pool itself: the order
    in which paying takes them (a contribution, then its pool), so no deadlock."""
    list(
        Contribution.objects.select_for_update()
        .filter(
            pool_id=pool.pk,
            status__in=[Contribution.Status.RESERVED, Contribution.Status.SUCCEEDED],
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def pool_close(*, pool: Pool, by, now: datetime | None = None) -> Pool:
    """The organiser gives up: an OPEN, EXPIRED or FUNDED pool becomes CANCELLED (closed_at),
    pending reservations are released and every succeeded contribution is refunded through the
    gateway (refunds.pool_refunds_all, after the commit; REFUNDED once all are back). Raises
    NOT_ORGANISER and ILLEGAL_TRANSITION (an ordered gift: cancel the order instead)."""
    from gifting.pools.opening import pool_claim_release
    from gifting.pools.refunds import pool_refunds_all, pool_refunds_settle

    now = now or timezone.now()
    _organiser_check(pool, by)
    with transaction.atomic():
        _contributions_lock(pool)
        _pool_lock(pool)
        if pool.state not in (State.OPEN, State.EXPIRED, State.FUNDED):
            adjective = _STATE_ADJECTIVE[pool.state]
            raise DomainError(
                f"{adjective[0].upper()}{adjective[1:]} pool cannot be closed.",
                code=PoolError.ILLEGAL_TRANSITION,
                field="state",
            )
        _transition(pool, State.CANCELLED, by=by, note="Closed by the organiser", closed_at=now)
        pool_activities_delete(pool=pool)
        _release(Contribution.objects.filter(pool_id=pool.pk, status=Contribution.Status.RESERVED))
        pool_refunds_all(pool=pool, reason="The organiser closed the pool.")
        pool_claim_release(pool=pool)  # the wish is free on its list again
        pool_refunds_settle(pool=pool)
        pool.refresh_from_db()
    return pool


def pool_top_up(*, pool: Pool, by, now: datetime | None = None) -> Contribution:
    """The organiser reserves exactly what is left of an OPEN or EXPIRED pool as their own
    contribution, to pay with payments.contribution_pay; once paid the pool is FUNDED. Asking
    again while that top-up waits for payment returns it. Raises NOT_ORGANISER, POOL_CLOSED,
    PAYMENT_PENDING (someone else is paying), POOL_COMPLETE and REFUNDS_STARTED."""
    now = now or timezone.now()
    _organiser_check(pool, by)
    with transaction.atomic():
        _pool_lock(pool)
        waiting = Contribution.objects.filter(
            pool_id=pool.pk,
            status=Contribution.Status.RESERVED,
            idempotency_key__startswith=TOP_UP_KEY_PREFIX,
            reserved_until__gt=now,
        ).first()
        if waiting is not None:
            return waiting
        if pool.state not in (State.OPEN, State.EXPIRED):
            raise DomainError(
                "Only an open or expired pool can be topped up.",
                code=PoolError.POOL_CLOSED,
                field="state",
            )
        _refunds_not_started_check(pool, action="topped up")
        _no_payment_pending_check(pool, action="top it up")
        return _contribution_reserve(
            pool=pool,
            amount=pool.remaining,
            contributor=by,
            guest_name="",
            guest_email="",
            hide_name=False,
            message="",
            idempotency_key=f"{TOP_UP_KEY_PREFIX}{pool.pk}:{secrets.token_hex(8)}",
            now=now,
            top_up=True,
        )


def pool_switch(*, pool: Pool, variant, shipping_method, by, now: datetime | None = None) -> Pool:
    """The organiser switches an OPEN or EXPIRED pool to another gift (VARIANT sent by
    SHIPPING_METHOD): the target becomes its price plus the shipping. When more was collected,
    the surplus goes back to the contributors pro rata (refunds.pool_surplus_refund); when the
    money collected covers the new gift exactly, the pool is FUNDED. An expired pool's time
    without action starts again. Raises NOT_ORGANISER, POOL_CLOSED, PAYMENT_PENDING (a payment
    is under way), INVALID_GIFT and REFUNDS_STARTED."""
    from gifting.pools.notifications import pool_gift_name
    from gifting.pools.refunds import pool_surplus_refund

    now = now or timezone.now()
    _organiser_check(pool, by)
    if variant is None or shipping_method is None:
        raise DomainError(
            "Choose the gift and how it is sent.", code=PoolError.INVALID_GIFT, field="variant"
        )
    from gifting.pools.opening import pool_target_for

    target = pool_target_for(variant=variant, shipping_method=shipping_method)
    if not _amount_is_cents(target) or target < MINIMUM_FLOOR:
        raise DomainError(
            "Choose a gift that has a price.", code=PoolError.INVALID_GIFT, field="variant"
        )
    with transaction.atomic():
        _contributions_lock(pool)
        _pool_lock(pool)
        if pool.state not in (State.OPEN, State.EXPIRED):
            raise DomainError(
                "Only an open or expired pool can switch to another gift.",
                code=PoolError.POOL_CLOSED,
                field="state",
            )
        _refunds_not_started_check(pool, action="switched")
        _no_payment_pending_check(pool, action="switch the gift")
        pool.variant = variant
        pool.shipping_method = shipping_method
        gift = pool_gift_name(pool)
        if pool.collected > target:
            pool_surplus_refund(
                pool=pool,
                surplus=pool.collected - target,
                reason=f"The pool switched to a cheaper gift: {gift}"[:200],
            )
            pool.collected = target
        pool.target = target
        pool.minimum = min(pool.minimum, target)
        if pool.suggested_amount is not None:
            pool.suggested_amount = min(pool.suggested_amount, target)
        fields = ["variant", "shipping_method", "target", "minimum", "suggested_amount"]
        if pool.state == State.EXPIRED:
            pool.closed_at = now  # the organiser acted: the wait before refunds starts again
            fields.append("closed_at")
        pool.save(update_fields=fields)
        if pool.collected == pool.target:
            note = f"Switched to {gift}, which the money collected covers"
            pool_fund(pool=pool, by=by, note=note[:300])  # with its pools.funded row
    return pool


# --- what happens with time (beat tasks) ------------------------------------------------------


def pools_deadline_pass(*, now: datetime | None = None) -> int:
    """Every OPEN pool past its deadline becomes EXPIRED (closed_at now), and its organiser is
    told what they can do. Returns how many; a second run finds none."""
    from gifting.pools.notifications import EXPIRED_KIND, pool_notify

    now = now or timezone.now()
    expired = 0
    ids = Pool.objects.filter(state=State.OPEN, deadline__lte=now).values_list("pk", flat=True)
    for pool in Pool.objects.filter(pk__in=list(ids)).select_related("organiser"):
        try:
            with transaction.atomic():
                _pool_lock(pool)
                if pool.state != State.OPEN or pool.deadline > now:
                    continue  # funded or extended meanwhile
                _transition(pool, State.EXPIRED, note="The deadline passed", closed_at=now)
                pool_notify(
                    pool=pool, recipient=pool.organiser, kind=EXPIRED_KIND, dedupe_key="expired"
                )
        except DomainError:
            continue
        expired += 1
    return expired


def pools_expiring_remind(*, now: datetime | None = None) -> int:
    """Tell the organiser of every OPEN pool ending within 24 hours, once per pool (and once
    more after an extension). Returns how many were told now."""
    from gifting.pools.notifications import EXPIRING_KIND, pool_notify

    now = now or timezone.now()
    told = 0
    pools = Pool.objects.filter(
        state=State.OPEN, deadline__gt=now, deadline__lte=now + timedelta(hours=24)
    ).select_related("organiser", "variant__product")
    for pool in pools:
        with transaction.atomic():
            told += bool(
                pool_notify(
                    pool=pool,
                    recipient=pool.organiser,
                    kind=EXPIRING_KIND,
                    dedupe_key=f"expiring:{pool.deadline.isoformat()}",
                )
            )
    return told


def pools_abandoned_refund(*, now: datetime | None = None) -> int:
    """Every EXPIRED pool its organiser left alone for POOL_REFUND_AFTER_DAYS (and with no
    payment under way) has its contributions refunded (refunds.pool_refunds_all), and becomes
    REFUNDED once they are all back (at once when nobody had chipped in). Idempotent.
    Returns how many pools were handled."""
    from gifting.pools.refunds import pool_refunds_all, pool_refunds_settle

    now = now or timezone.now()
    before = now - timedelta(days=settings.POOL_REFUND_AFTER_DAYS)
    handled = 0
    pools = Pool.objects.filter(state=State.EXPIRED, closed_at__lte=before, reserved=0).exclude(
        contributions__refunds__idempotency_key__endswith=":refund:all"
    )
    for pool in pools:
        with transaction.atomic():
            _contributions_lock(pool)
            _pool_lock(pool)
            if pool.state != State.EXPIRED or pool.reserved or pool.closed_at > before:
                continue
            days = settings.POOL_REFUND_AFTER_DAYS
            reason = f"The pool expired and nothing was done with it for {days} days."
            pool_refunds_all(pool=pool, reason=reason)
            pool_refunds_settle(pool=pool, abandoned=True)
        handled += 1
    return handled
