"""Contributions to a pool: reserve, succeed, release, expire.

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

from gifting.pools.activity import chip_in_activity_record
from gifting.pools.errors import PoolError
from gifting.pools.models import Contribution, Pool
from gifting.pools.services import (
    NAME_MAX,
    State,
    amount_is_cents,
    pool_fund,
    pool_lock,
    refunds_started,
)
from shop.core.errors import DomainError
from shop.core.money import money_format

# The idempotency keys of the organiser's top-ups (lifecycle.pool_top_up) start with this: only
# they may be reserved and paid while the pool is EXPIRED, and their success funds an EXPIRED
# pool.
TOP_UP_KEY_PREFIX = "pool-top-up:"


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
    return contribution_or_top_up_reserve(
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


def contribution_or_top_up_reserve(
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
    if not amount_is_cents(amount) or amount <= 0:
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
        pool_lock(pool)
        # Looked up under the pool's lock: a retried request racing its first try waits for
        # it and gets its contribution, never a second one (nor a unique-key error).
        if idempotency_key:
            existing = Contribution.objects.filter(
                idempotency_key=idempotency_key, pool_id=pool.pk
            ).first()
            if existing is not None:
                return existing
        if top_up:
            taking = pool.state in (State.OPEN, State.EXPIRED) and not refunds_started(pool)
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


def contributions_release(queryset) -> int:
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
    done = bool(contributions_release(Contribution.objects.filter(pk=contribution.pk)))
    contribution.refresh_from_db()
    return done


def contributions_expire(*, now: datetime | None = None) -> int:
    """Release every reservation past its reserved_until (the payment never came). Returns
    how many; a second run finds none."""
    now = now or timezone.now()
    return contributions_release(
        Contribution.objects.filter(status=Contribution.Status.RESERVED, reserved_until__lt=now)
    )
