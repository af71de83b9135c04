"""The pool's named state transitions, and opening a pool.

A pool changes state only through pool_transition, under the pool's row lock, each change recorded
as a PoolTransition. Contributions are in contributions.py; what the organiser does with a pool
(close, top up, switch) and what happens with time (the beat tasks) in lifecycle.py.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gifting.pools.activity import pool_activities_delete, pool_activity_record
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
STATE_ADJECTIVE = {
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


def actor_of(by):
    """The user to record as having acted: None for the system and for visitors."""
    return by if getattr(by, "is_authenticated", False) else None


def pool_lock(pool: Pool) -> Pool:
    """Lock the pool's row for this transaction and refresh `pool` from it (returned)."""
    fresh = Pool.objects.select_for_update().get(pk=pool.pk)
    for field in Pool._meta.concrete_fields:
        setattr(pool, field.attname, getattr(fresh, field.attname))
    pool._state.fields_cache = {}
    return pool


def contributions_lock(pool: Pool) -> None:
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


def pool_transition(pool: Pool, to: str, *, by=None, note: str = "", **fields) -> Pool:
    """Move `pool` to state `to` (saving `fields` with it) and record the transition.

    Locks the pool's row and checks the state read under the lock. Raises
    ILLEGAL_TRANSITION ("A delivered pool cannot be cancelled.")."""
    with transaction.atomic():
        pool_lock(pool)
        current = pool.state
        if to not in _TRANSITIONS[current]:
            adjective = STATE_ADJECTIVE[current]
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
            pool=pool, from_state=current, to_state=to, by=actor_of(by), note=note[:300]
        )
    return pool


def pool_fund(*, pool: Pool, by=None, note: str = "") -> Pool:
    """OPEN -> FUNDED: the target is collected (called by contribution_succeed). The outbox
    row "pools.funded" is written with it: its delivery tells the organiser and contributors
    and orders an auto_order pool's gift (ordering.pool_funded_deliver)."""
    from gifting.pools.ordering import pool_funded_record

    with transaction.atomic():
        pool_transition(pool, State.FUNDED, by=by, note=note)
        pool_funded_record(pool=pool)
    return pool


def pool_expire(*, pool: Pool, by=None, note: str = "") -> Pool:
    """OPEN -> EXPIRED: the deadline passed before the target was collected."""
    return pool_transition(pool, State.EXPIRED, by=by, note=note)


def pool_extend(*, pool: Pool, deadline: datetime, by=None, now: datetime | None = None) -> Pool:
    """EXPIRED -> OPEN with a new, later DEADLINE: once per pool (ALREADY_EXTENDED after)."""
    now = now or timezone.now()
    with transaction.atomic():
        pool_lock(pool)
        refunds_not_started_check(pool, action="extended")
        if pool.extended_once:
            raise DomainError(
                "This pool's deadline was already extended once.",
                code=PoolError.ALREADY_EXTENDED,
                field="deadline",
            )
        _deadline_check(deadline, now=now)
        return pool_transition(
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
        pool_transition(pool, State.CANCELLED, by=by, note=note)
        pool_activities_delete(pool=pool)
    return pool


def pool_refund_done(*, pool: Pool, by=None, note: str = "") -> Pool:
    """EXPIRED or CANCELLED -> REFUNDED: every contribution was paid back."""
    return pool_transition(pool, State.REFUNDED, by=by, note=note)


def pool_mark_ordered(*, pool: Pool, by=None, note: str = "") -> Pool:
    return pool_transition(pool, State.ORDERED, by=by, note=note)


def pool_mark_shipped(*, pool: Pool, by=None, note: str = "") -> Pool:
    return pool_transition(pool, State.SHIPPED, by=by, note=note)


def pool_mark_delivered(*, pool: Pool, by=None, note: str = "") -> Pool:
    return pool_transition(pool, State.DELIVERED, by=by, note=note)


# --- opening a pool ---------------------------------------------------------------------------


def _deadline_check(deadline: datetime, *, now: datetime) -> None:
    if not isinstance(deadline, datetime) or deadline <= now:
        raise DomainError(
            "Choose a deadline in the future.", code=PoolError.INVALID_DEADLINE, field="deadline"
        )


def amount_is_cents(value) -> bool:
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
    if not amount_is_cents(target) or target <= 0:
        raise DomainError(
            "Enter a target above zero.", code=PoolError.INVALID_TARGET, field="target"
        )
    _deadline_check(deadline, now=now)
    if not amount_is_cents(minimum) or minimum < MINIMUM_FLOOR:
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
        not amount_is_cents(suggested_amount) or not minimum <= suggested_amount <= target
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
            pool=pool, from_state="", to_state=State.OPEN, by=actor_of(organiser)
        )
        pool_activity_record(pool=pool)
    return pool


# --- refunds under way ------------------------------------------------------------------------


def refunds_started(pool: Pool) -> bool:
    from gifting.pools.refunds import pool_refunds_started

    return pool_refunds_started(pool)


def refunds_not_started_check(pool: Pool, *, action: str) -> None:
    if refunds_started(pool):
        raise DomainError(
            f"The contributions of this pool are being refunded: it cannot be {action} now.",
            code=PoolError.REFUNDS_STARTED,
            field="state",
        )
