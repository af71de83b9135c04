"""Giving pool money back: every contribution when a pool closes or is abandoned, a surplus pro
rata when the organiser switches to a cheaper gift, a payment that came too late.

What is owed is written first, as a PoolRefund with its own idempotency key
("pool-contribution:<id>:refund:<kind>"), in the transaction that decided it; the gateway is
called afterwards (pool_refund_attempt, from the beat task pool_refunds_retry or right after the
commit), with that key, so a refund attempted twice is made once. A refund the gateway cannot
make now (unreachable, or an error of its own) is FAILED with its error and tried again later
with a growing wait (1, 5, 30 minutes, 2 hours, then every 6 hours). One the gateway refuses for
good (the payment cannot be refunded: a declined or invalid request), or that failed
POOL_REFUND_MAX_ATTEMPTS times, NEEDS_OPERATOR: no longer retried on its own, operators are
emailed (outbox, REFUND_ATTENTION_TOPIC) and retry it from the admin once they have looked.
Never dropped: it stays owed, and the pool is not REFUNDED while it waits.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from gifting.pools import notifications
from gifting.pools.errors import PoolError
from gifting.pools.models import Contribution, Pool, PoolRefund
from shop.core.errors import DomainError
from shop.core.money import money_format
from shop.core.outbox import outbox_record
from shop.payments import services as payment_services
from shop.payments.errors import PaymentError

logger = logging.getLogger(__name__)

# The kind of refund every contribution gets when the pool closes or is abandoned: once one is
# written, the pool's refunds are under way (it cannot be extended, topped up or switched).
REFUND_ALL = "all"
# Waits before the next try after the 1st, 2nd, ... failure; the last one repeats.
RETRY_WAITS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
RETRY_BATCH_SIZE = 200
# Operators are emailed about a refund that needs them (delivered by email_message_send).
REFUND_ATTENTION_TOPIC = "email.pools.refund_attention"
# HTTP statuses of a gateway's error that may pass: a timeout, a conflict (Stripe: the same
# idempotency key in flight), too many requests. Any other 4xx is a refusal for good.
_TRANSIENT_HTTP = {408, 409, 429}


def refund_key(contribution_id: int, kind: str) -> str:
    return f"pool-contribution:{contribution_id}:refund:{kind}"


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


def pool_refunds_started(pool: Pool) -> bool:
    """Whether POOL's contributions are being (or were) refunded in full."""
    return PoolRefund.objects.filter(
        contribution__pool_id=pool.pk, idempotency_key__endswith=f":refund:{REFUND_ALL}"
    ).exists()


def _owed(contribution_ids: list[int]) -> dict[int, int]:
    """What is already written as owed back to each contribution, whatever its status."""
    rows = (
        PoolRefund.objects.filter(contribution_id__in=contribution_ids)
        .values("contribution_id")
        .annotate(total=Sum("amount"))
    )
    return {row["contribution_id"]: row["total"] for row in rows}


def _attempt_after_commit() -> None:
    """Have the refunds just written tried once this transaction commits (beat retries)."""
    from gifting.pools import tasks
    from shop.core.enqueue import task_enqueue

    transaction.on_commit(lambda: task_enqueue(tasks.pool_refunds_retry), robust=True)


def pool_refunds_all(*, pool: Pool, reason: str) -> list[PoolRefund]:
    """Write what POOL owes back to each of its succeeded contributions: what they gave less
    what is already owed back to them. Idempotent (one "all" refund per contribution): a second
    call returns the same refunds. The gateway is called after the commit."""
    reason = (reason or "")[:200]
    with transaction.atomic():
        contributions = list(
            Contribution.objects.select_for_update()
            .filter(
                pool_id=pool.pk,
                status__in=[Contribution.Status.SUCCEEDED, Contribution.Status.REFUNDED],
            )
            .order_by("created_at", "id")
        )
        owed = _owed([c.pk for c in contributions])
        refunds = []
        for contribution in contributions:
            key = refund_key(contribution.pk, REFUND_ALL)
            existing = PoolRefund.objects.filter(idempotency_key=key).first()
            if existing is not None:
                refunds.append(existing)
                continue
            left = contribution.amount - owed.get(contribution.pk, 0)
            if left > 0:
                refunds.append(
                    PoolRefund.objects.create(
                        contribution=contribution, amount=left, reason=reason, idempotency_key=key
                    )
                )
        if refunds:
            _attempt_after_commit()
    return refunds


def pool_surplus_refund(*, pool: Pool, surplus: int, reason: str) -> list[PoolRefund]:
    """Give SURPLUS cents of what POOL collected back to its contributors in proportion to what
    each gave (refunds_pro_rata over the succeeded contributions, oldest first: to the
    cent, the remainder to the last; the refunds add up to SURPLUS exactly). The pool's
    collected is lowered by SURPLUS in the same transaction (conditional UPDATE). Raises
    INVALID_SURPLUS unless 0 < SURPLUS <= collected."""
    with transaction.atomic():
        contributions = list(
            Contribution.objects.select_for_update()
            .filter(pool_id=pool.pk, status=Contribution.Status.SUCCEEDED)
            .order_by("created_at", "id")
        )
        owed = _owed([c.pk for c in contributions])
        kept = [(c.pk, c.amount - owed.get(c.pk, 0)) for c in contributions]
        kept = [(pk, amount) for pk, amount in kept if amount > 0]
        if (
            isinstance(surplus, bool)
            or not isinstance(surplus, int)
            or surplus <= 0
            or surplus > sum(amount for _, amount in kept)
        ):
            raise DomainError(
                "The surplus to refund must be above zero and at most what was collected.",
                code=PoolError.INVALID_SURPLUS,
                field="surplus",
            )
        lowered = Pool.objects.filter(pk=pool.pk, collected__gte=surplus).update(
            collected=F("collected") - surplus
        )
        if not lowered:
            raise DomainError(
                "The surplus to refund must be above zero and at most what was collected.",
                code=PoolError.INVALID_SURPLUS,
                field="surplus",
            )
        pool.collected -= surplus
        operation = secrets.token_hex(6)  # one surplus refund among any others of the pool
        shares = refunds_pro_rata(kept, surplus)
        refunds = [
            PoolRefund.objects.create(
                contribution_id=pk,
                amount=share,
                reason=(reason or "")[:200],
                idempotency_key=refund_key(pk, f"surplus-{operation}"),
            )
            for pk, share in shares.items()
            if share > 0
        ]
        _attempt_after_commit()
    return refunds


def pool_late_payment_refund(*, contribution: Contribution, payment, reason: str) -> PoolRefund:
    """Write the full refund of PAYMENT, which CONTRIBUTION (released) can no longer take: the
    pool is closed or has no room for it any more. One per payment; CONTRIBUTION.payment must
    be PAYMENT (the caller sets it)."""
    refund, created = PoolRefund.objects.get_or_create(
        idempotency_key=refund_key(contribution.pk, f"payment-{payment.pk}"),
        defaults={"contribution": contribution, "amount": payment.amount, "reason": reason[:200]},
    )
    if created:
        _attempt_after_commit()
    return refund


def _next_attempt_at(attempts: int, *, now: datetime) -> datetime:
    return now + RETRY_WAITS[min(attempts, len(RETRY_WAITS)) - 1]


def _refusal_is_final(exc: Exception) -> bool:
    """Whether retrying cannot help: the payment service refused the refund itself (not
    refundable, more than is left, a key reused) rather than being unreachable, or the
    gateway answered a client error (Stripe's InvalidRequestError: charge already refunded,
    disputed; a revoked key) rather than a network error or a 5xx."""
    if isinstance(exc, DomainError):
        return exc.code != PaymentError.GATEWAY_UNAVAILABLE
    status = getattr(exc, "http_status", None)
    return isinstance(status, int) and 400 <= status < 500 and status not in _TRANSIENT_HTTP


def _operators_emails() -> list[str]:
    """Where refunds needing an operator are reported: settings.ADMINS, else the active
    superusers (the shop's operators)."""
    admins = [address for _, address in getattr(settings, "ADMINS", [])]
    if admins:
        return admins
    return list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _operators_tell(*, refund: PoolRefund) -> None:
    """Email the operators (outbox, in this transaction) that REFUND needs them."""
    to = _operators_emails()
    if not to:
        logger.error("Pool refund %s needs an operator and no operator has an email", refund.pk)
        return
    pool = refund.contribution.pool
    outbox_record(
        topic=REFUND_ATTENTION_TOPIC,
        payload={
            "subject": f"A gift pool refund needs you: refund #{refund.pk}",
            "body": (
                f"The refund #{refund.pk} of {money_format(refund.amount, currency=pool.currency)}"
                f" to contribution #{refund.contribution_id} (pool #{pool.pk}) was not made "
                f"after {refund.attempts} attempt(s) and is no longer retried on its own.\n\n"
                f"Last error: {refund.last_error or '(none)'}\n\n"
                f"See it in the admin: {settings.SITE_URL}/admin/pools/poolrefund/"
                f"?status__exact={PoolRefund.Status.NEEDS_OPERATOR.value}\n"
                'Once the cause is dealt with, select it and choose "Retry failed refunds '
                'now", or refund the contributor another way.\n'
            ),
            "to": to,
        },
    )


def pool_refund_attempt(*, refund: PoolRefund, now: datetime | None = None) -> bool:
    """Make REFUND through the gateway (with its idempotency key); return whether it is done.

    Done: DONE with the payment's Refund, the contribution's refunded_amount raised (REFUNDED
    once all of it is back), the contributor told (a member in the app, a guest by email), and
    the pool REFUNDED when it was closed or expired and nothing more is owed. Not done:
    attempts + 1 and the error kept; refused for good (_refusal_is_final) or tried
    POOL_REFUND_MAX_ATTEMPTS times, NEEDS_OPERATOR and the operators emailed; else FAILED and
    the next try scheduled with backoff. A refund already done is left as it is (True)."""
    return _attempt(refund.pk, now=now or timezone.now(), skip_locked=False)


def _attempt(
    refund_id: int, *, now: datetime, skip_locked: bool, operator_asked: bool = False
) -> bool:
    with transaction.atomic():
        refund = (
            PoolRefund.objects.select_for_update(skip_locked=skip_locked, of=("self",))
            .filter(pk=refund_id)
            .select_related("contribution__payment", "contribution__pool")
            .first()
        )
        if refund is None:
            return False  # another worker has it now
        if refund.status == PoolRefund.Status.DONE:
            return True
        contribution = refund.contribution
        error = ""
        final = False
        made = None
        if contribution.payment is None:
            error = "The contribution has no payment to refund."
            final = True
        else:
            try:
                with transaction.atomic():
                    made = payment_services.payment_refund(
                        payment=contribution.payment,
                        amount=refund.amount,
                        idempotency_key=refund.idempotency_key,
                        reason=refund.reason,
                    )
            except DomainError as exc:
                error = exc.message
                final = _refusal_is_final(exc)
            except Exception as exc:  # noqa: BLE001 (a gateway's own error: kept, judged)
                logger.exception("Pool refund %s failed", refund.pk)
                error = f"{type(exc).__name__}: {exc}"
                final = _refusal_is_final(exc)
        if made is None:
            refund.attempts += 1
            refund.last_error = error[:300]
            refund.next_attempt_at = _next_attempt_at(refund.attempts, now=now)
            if final or refund.attempts >= settings.POOL_REFUND_MAX_ATTEMPTS:
                refund.status = PoolRefund.Status.NEEDS_OPERATOR
            else:
                refund.status = PoolRefund.Status.FAILED
            refund.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
            logger.warning(
                "Pool refund %s not made (try %s, %s): %s",
                refund.pk,
                refund.attempts,
                refund.status,
                error,
            )
            # An operator who retried it sees the outcome in the admin: no email about it.
            if refund.status == PoolRefund.Status.NEEDS_OPERATOR and not operator_asked:
                _operators_tell(refund=refund)
            return False
        refund.status = PoolRefund.Status.DONE
        refund.attempts += 1
        refund.refund = made
        refund.done_at = now
        refund.last_error = ""
        refund.save(update_fields=["status", "attempts", "refund", "done_at", "last_error"])
        Contribution.objects.filter(
            pk=contribution.pk, refunded_amount__lte=F("amount") - refund.amount
        ).update(refunded_amount=F("refunded_amount") + refund.amount)
        Contribution.objects.filter(
            pk=contribution.pk,
            status=Contribution.Status.SUCCEEDED,
            refunded_amount=F("amount"),
        ).update(status=Contribution.Status.REFUNDED)
        contribution.refresh_from_db()
        _refunded_tell(refund=refund, contribution=contribution)
        pool_refunds_settle(pool=contribution.pool)
    return True


def _refunded_tell(*, refund: PoolRefund, contribution: Contribution) -> None:
    pool = contribution.pool
    amount = money_format(refund.amount, currency=pool.currency)
    if contribution.contributor_id is not None:
        notifications.pool_notify(
            pool=pool,
            recipient=contribution.contributor,
            kind=notifications.REFUNDED_KIND,
            dedupe_key=f"refund:{refund.pk}",
            data={"amount": amount},
        )
    else:
        notifications.pool_guest_email_record(
            contribution=contribution,
            email="refunded",
            refund_id=refund.pk,
            amount=amount,
            reason=refund.reason,
        )


def pool_refunds_settle(*, pool: Pool, abandoned: bool = False) -> bool:
    """Move a closed (CANCELLED) or abandoned (EXPIRED: ABANDONED, or its refunds under way)
    POOL to REFUNDED once nothing is owed: every succeeded contribution is back in full and no
    refund waits. Returns whether it moved."""
    from gifting.pools.services import State, pool_refund_done

    with transaction.atomic():
        pool = Pool.objects.select_for_update().get(pk=pool.pk)
        if pool.state == State.EXPIRED and not (abandoned or pool_refunds_started(pool)):
            return False
        if pool.state not in (State.CANCELLED, State.EXPIRED):
            return False
        waiting = PoolRefund.objects.filter(contribution__pool_id=pool.pk).exclude(
            status=PoolRefund.Status.DONE
        )
        kept = Contribution.objects.filter(
            pool_id=pool.pk, status=Contribution.Status.SUCCEEDED
        ).filter(Q(refunded_amount__lt=F("amount")))
        if waiting.exists() or kept.exists():
            return False
        pool_refund_done(pool=pool, note="Every contribution was refunded")
    return True


def pool_refunds_retry(*, now: datetime | None = None) -> int:
    """Try every refund that is due (waiting, or failed and its wait is over), each in its own
    transaction, skipping one another worker holds; those that need an operator are left to
    them. Returns how many were made."""
    now = now or timezone.now()
    due = list(
        PoolRefund.objects.filter(
            status__in=[PoolRefund.Status.PENDING, PoolRefund.Status.FAILED],
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:RETRY_BATCH_SIZE]
    )
    return sum(_attempt(pk, now=now, skip_locked=True) for pk in due)


def pool_refunds_retry_now(*, refunds) -> tuple[int, int]:
    """Try REFUNDS (a queryset) now, whatever their wait (an operator asked); the done ones are
    left. Those that needed an operator are put back to PENDING first (their attempts kept:
    one more failure and they need an operator again, without emailing the one who asked).
    Returns (made, still failing)."""
    now = timezone.now()
    ids = list(
        refunds.exclude(status=PoolRefund.Status.DONE).order_by("id").values_list("pk", flat=True)
    )
    # Pending even if the try below is skipped (another worker holds it): beat then makes it.
    PoolRefund.objects.filter(pk__in=ids, status=PoolRefund.Status.NEEDS_OPERATOR).update(
        status=PoolRefund.Status.PENDING, next_attempt_at=now
    )
    made = sum(_attempt(pk, now=now, skip_locked=True, operator_asked=True) for pk in ids)
    return made, len(ids) - made
