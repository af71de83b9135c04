"""What the organiser does with a pool (close it, top it up, switch its gift) and what
happens with time (the beat tasks: deadline passed, expiring soon, abandoned pools refunded,
funded pools whose gift was never chosen refunded).

Whatever takes both locks takes the pool's pending and succeeded contributions first, then the
pool (services.contributions_lock, then services.pool_lock): the order paying takes them.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from gifting.pools.activity import pool_activities_delete
from gifting.pools.contributions import (
    TOP_UP_KEY_PREFIX,
    contribution_or_top_up_reserve,
    contributions_release,
)
from gifting.pools.errors import PoolError
from gifting.pools.models import Contribution, Pool, PoolTransition
from gifting.pools.services import (
    MINIMUM_FLOOR,
    STATE_ADJECTIVE,
    State,
    actor_of,
    amount_is_cents,
    contributions_lock,
    pool_fund,
    pool_lock,
    pool_transition,
    refunds_not_started_check,
)
from shop.core.errors import DomainError
from shop.core.money import money_format

# --- what the organiser does with a pool ------------------------------------------------------


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


def _open_or_expired_check(pool: Pool, *, can: str, done: str, doing: str) -> None:
    """Check that the organiser may still change the locked POOL: it is OPEN or EXPIRED
    (else POOL_CLOSED, "Only an open or expired pool can CAN."), its refunds have not started
    (REFUNDS_STARTED, "it cannot be DONE now") and nobody is paying (PAYMENT_PENDING, "DOING
    in a few minutes")."""
    if pool.state not in (State.OPEN, State.EXPIRED):
        raise DomainError(
            f"Only an open or expired pool can {can}.",
            code=PoolError.POOL_CLOSED,
            field="state",
        )
    refunds_not_started_check(pool, action=done)
    _no_payment_pending_check(pool, action=doing)


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
        contributions_lock(pool)
        pool_lock(pool)
        if pool.state not in (State.OPEN, State.EXPIRED, State.FUNDED):
            adjective = STATE_ADJECTIVE[pool.state]
            raise DomainError(
                f"{adjective[0].upper()}{adjective[1:]} pool cannot be closed.",
                code=PoolError.ILLEGAL_TRANSITION,
                field="state",
            )
        pool_transition(pool, State.CANCELLED, by=by, note="Closed by the organiser", closed_at=now)
        pool_activities_delete(pool=pool)
        contributions_release(
            Contribution.objects.filter(pool_id=pool.pk, status=Contribution.Status.RESERVED)
        )
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
        pool_lock(pool)
        waiting = Contribution.objects.filter(
            pool_id=pool.pk,
            status=Contribution.Status.RESERVED,
            idempotency_key__startswith=TOP_UP_KEY_PREFIX,
            reserved_until__gt=now,
        ).first()
        if waiting is not None:
            return waiting
        _open_or_expired_check(pool, can="be topped up", done="topped up", doing="top it up")
        return contribution_or_top_up_reserve(
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
    without action starts again. A pool for an amount FUNDED before it had a gift gets its
    first one here too (_funded_gift_choose). Raises NOT_ORGANISER, POOL_CLOSED,
    PAYMENT_PENDING (a payment is under way), INVALID_GIFT, GIFT_TOO_DEAR and
    REFUNDS_STARTED."""
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
    if not amount_is_cents(target) or target < MINIMUM_FLOOR:
        raise DomainError(
            "Choose a gift that has a price.", code=PoolError.INVALID_GIFT, field="variant"
        )
    with transaction.atomic():
        contributions_lock(pool)
        pool_lock(pool)
        if pool.state == State.FUNDED and pool.variant_id is None:
            return _funded_gift_choose(
                pool, variant=variant, shipping_method=shipping_method, target=target, by=by
            )
        _open_or_expired_check(
            pool, can="switch to another gift", done="switched", doing="switch the gift"
        )
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


def _funded_gift_choose(pool: Pool, *, variant, shipping_method, target: int, by) -> Pool:
    """POOL (locked, with its contributions) is a pool for an amount that was FUNDED before
    its organiser chose the gift: VARIANT sent by SHIPPING_METHOD (costing TARGET) becomes its
    gift if the money collected covers it. What was collected beyond TARGET goes back to the
    contributors pro rata (refunds.pool_surplus_refund: to the cent, the remainder to the last);
    the pool stays FUNDED (it is not funded again) with TARGET as its target and collected.
    The choice is recorded (a FUNDED -> FUNDED PoolTransition naming the gift) with its outbox
    row GIFT_CHOSEN_TOPIC, whose delivery orders the gift of an auto_order pool
    (ordering.pool_gift_chosen_deliver). Raises GIFT_TOO_DEAR ("at most €X") for a gift the
    money does not cover, REFUNDS_STARTED."""
    from gifting.pools.choosing import pool_gift_too_dear_message
    from gifting.pools.notifications import pool_gift_name
    from gifting.pools.ordering import pool_gift_chosen_record
    from gifting.pools.refunds import pool_surplus_refund

    refunds_not_started_check(pool, action="given a gift")
    if target > pool.collected:
        raise DomainError(
            pool_gift_too_dear_message(pool, target=target),
            code=PoolError.GIFT_TOO_DEAR,
            field="variant",
        )
    pool.variant = variant
    pool.shipping_method = shipping_method
    gift = pool_gift_name(pool)
    surplus = pool.collected - target
    if surplus > 0:
        pool_surplus_refund(
            pool=pool,
            surplus=surplus,
            reason=f"The pool's gift costs less than was collected: {gift}"[:200],
        )
    pool.target = target
    pool.minimum = min(pool.minimum, target)
    if pool.suggested_amount is not None:
        pool.suggested_amount = min(pool.suggested_amount, target)
    pool.save(update_fields=["variant", "shipping_method", "target", "minimum", "suggested_amount"])
    note = f"Gift chosen: {gift}"
    if surplus > 0:
        note += f"; {money_format(surplus, currency=pool.currency)} back to contributors"
    PoolTransition.objects.create(
        pool=pool, from_state=State.FUNDED, to_state=State.FUNDED, by=actor_of(by), note=note[:300]
    )
    pool_gift_chosen_record(pool=pool)
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
                pool_lock(pool)
                if pool.state != State.OPEN or pool.deadline > now:
                    continue  # funded or extended meanwhile
                pool_transition(pool, State.EXPIRED, note="The deadline passed", closed_at=now)
                pool_notify(
                    pool=pool, recipient=pool.organiser, kind=EXPIRED_KIND, dedupe_key="expired"
                )
        except DomainError:
            continue
        expired += 1
    return expired


def pools_expiring_remind(*, now: datetime | None = None) -> int:
    """Tell the organiser of every OPEN pool ending within 24 hours, once per pool (and once
    more after an extension); and the organiser of every FUNDED pool for an amount whose time
    to choose the gift ends within 24 hours (selectors.pool_gift_choose_by) that they must
    choose it or everyone is refunded, once. Returns how many were told now."""
    from gifting.pools.notifications import EXPIRING_KIND, pool_notify
    from gifting.pools.selectors import pool_gift_choose_by, pools_gift_unchosen

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
    soon = now + timedelta(hours=24)
    unchosen = pools_gift_unchosen().filter(
        deadline__lte=soon - timedelta(days=settings.POOL_REFUND_AFTER_DAYS)
    )
    for pool in unchosen.select_related("organiser"):
        choose_by = pool_gift_choose_by(pool)
        if not now < choose_by <= soon:
            continue
        with transaction.atomic():
            told += bool(
                pool_notify(
                    pool=pool,
                    recipient=pool.organiser,
                    kind=EXPIRING_KIND,
                    dedupe_key=f"choose:{choose_by.isoformat()}",
                    data={"choose_by": date_format(timezone.localtime(choose_by), "j F Y, H:i")},
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
            contributions_lock(pool)
            pool_lock(pool)
            if pool.state != State.EXPIRED or pool.reserved or pool.closed_at > before:
                continue
            days = settings.POOL_REFUND_AFTER_DAYS
            reason = f"The pool expired and nothing was done with it for {days} days."
            pool_refunds_all(pool=pool, reason=reason)
            pool_refunds_settle(pool=pool, abandoned=True)
        handled += 1
    return handled


def pools_unchosen_refund(*, now: datetime | None = None) -> int:
    """Every FUNDED pool for an amount whose organiser did not choose the gift in time
    (POOL_REFUND_AFTER_DAYS after its deadline, or after it was funded when later:
    selectors.pool_gift_choose_by) is closed by the system (FUNDED -> CANCELLED, closed_at)
    and its contributions refunded (refunds.pool_refunds_all; REFUNDED once all are back), as
    an abandoned pool's. Idempotent: a closed pool is not found again. Returns how many."""
    from gifting.pools.refunds import pool_refunds_all, pool_refunds_settle
    from gifting.pools.selectors import pool_gift_choose_by, pools_gift_unchosen

    now = now or timezone.now()
    days = settings.POOL_REFUND_AFTER_DAYS
    handled = 0
    due = pools_gift_unchosen().filter(deadline__lte=now - timedelta(days=days))
    for pool in due:
        if pool_gift_choose_by(pool) > now:
            continue  # funded after its deadline: it has its days from then
        with transaction.atomic():
            contributions_lock(pool)
            pool_lock(pool)
            if pool.state != State.FUNDED or pool.variant_id is not None:
                continue  # the gift was chosen (or the pool closed) meanwhile
            pool_transition(
                pool,
                State.CANCELLED,
                note=f"No gift was chosen within {days} days: everyone is refunded",
                closed_at=now,
            )
            pool_activities_delete(pool=pool)
            reason = f"The pool was full but no gift was chosen for it within {days} days."
            pool_refunds_all(pool=pool, reason=reason)
            pool_refunds_settle(pool=pool)
        handled += 1
    return handled
