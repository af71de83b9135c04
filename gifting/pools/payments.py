"""Paying a contribution: charging it through shop.payments, 3-D Secure, Stripe Elements, and
applying a payment that succeeded, however and whenever the news comes.

Every attempt is a Payment with the reference "pool-contribution:<id>" and the idempotency key
"pool-contribution:<id>:attempt:<n>", n counted on the contribution under its row lock: a
second click waits for the first and then finds the contribution paid; a retry after a rollback
re-sends the same key, which is never charged twice.

A payment that succeeded is applied once (contribution_payment_apply): it pays its contribution
if that is still reserved; a contribution whose reservation was released meanwhile (the payment
came late) is reserved again when the pool is open and has room, and otherwise its payment is
refunded in full. Money is never lost, nor kept beyond the pool's target.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gifting.pools import contributions, services
from gifting.pools.errors import PoolError
from gifting.pools.models import Contribution, Pool
from shop.core.errors import DomainError
from shop.payments import services as payment_services
from shop.payments.models import Payment
from shop.payments.selectors import payment_get, payment_list_unsettled

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "pool-contribution:"
# The reconciliation leaves a payment this long to its own payment.succeeded delivery.
RECONCILE_AFTER = timedelta(minutes=5)
State = Pool.State


def contribution_reference(contribution: Contribution) -> str:
    return f"{REFERENCE_PREFIX}{contribution.pk}"


def _contribution_lock(contribution: Contribution) -> Contribution:
    """Lock the contribution's row for this transaction and refresh `contribution` from it."""
    fresh = Contribution.objects.select_for_update().get(pk=contribution.pk)
    for field in Contribution._meta.concrete_fields:
        setattr(contribution, field.attname, getattr(fresh, field.attname))
    contribution._state.fields_cache = {}
    return contribution


def _payable_check(contribution: Contribution, *, now: datetime) -> None:
    """Raise unless the (locked) contribution still waits for its payment in a pool that
    takes it."""
    status = contribution.status
    if status in (Contribution.Status.SUCCEEDED, Contribution.Status.REFUNDED):
        raise DomainError(
            "This contribution is already paid.", code=PoolError.NOT_RESERVED, field="amount"
        )
    if status != Contribution.Status.RESERVED:
        raise DomainError(
            "This contribution is no longer held for you: chip in again.",
            code=PoolError.NOT_RESERVED,
            field="amount",
        )
    if contribution.reserved_until <= now:
        raise DomainError(
            "Your contribution was held for "
            f"{settings.POOL_RESERVATION_MINUTES} minutes and that time is over: chip in again.",
            code=PoolError.RESERVATION_EXPIRED,
            field="amount",
        )
    pool = Pool.objects.only("state").get(pk=contribution.pool_id)
    taking = pool.state == State.OPEN or (
        pool.state == State.EXPIRED and contributions.contribution_is_top_up(contribution)
    )
    if not taking:
        raise DomainError(
            "This pool is no longer taking contributions.",
            code=PoolError.POOL_CLOSED,
            field="amount",
        )


def _attempt_next(contribution: Contribution) -> str:
    """Count one more payment attempt (under the contribution's lock); return its key."""
    attempt = contribution.payment_attempts + 1
    Contribution.objects.filter(pk=contribution.pk).update(
        payment_attempts=F("payment_attempts") + 1
    )
    contribution.payment_attempts = attempt
    return f"{contribution_reference(contribution)}:attempt:{attempt}"


def _payment_remember(contribution: Contribution, payment: Payment) -> None:
    Contribution.objects.filter(pk=contribution.pk).update(payment=payment)
    contribution.payment = payment


def _outcome_apply(contribution: Contribution, payment: Payment) -> None:
    """What the payment's status means for its contribution, in the caller's transaction."""
    if payment.status == Payment.Status.SUCCEEDED:
        contribution_payment_apply(contribution=contribution, payment=payment)
    elif payment.status == Payment.Status.FAILED:
        contributions.contribution_release(contribution=contribution)


def contribution_pay(*, contribution: Contribution, payment_method: str) -> Payment:
    """Charge the reserved CONTRIBUTION with PAYMENT_METHOD (a new attempt each call).

    SUCCEEDED: the contribution succeeds in this transaction (the pool collects it). FAILED (a
    declined card): the reservation is released, and the person may chip in again; the
    payment's error_message says why. REQUIRES_ACTION (3-D Secure): it stays reserved until
    contribution_payment_action_confirm. Raises NOT_RESERVED, RESERVATION_EXPIRED, POOL_CLOSED
    and the payment errors (GATEWAY_UNAVAILABLE: nothing kept, the same attempt may be sent
    again)."""
    now = timezone.now()
    with transaction.atomic():
        _contribution_lock(contribution)
        _payable_check(contribution, now=now)
        payment = payment_services.payment_start(
            reference=contribution_reference(contribution),
            amount=contribution.amount,
            currency=Pool.objects.values_list("currency", flat=True).get(pk=contribution.pool_id),
            idempotency_key=_attempt_next(contribution),
            payment_method=payment_method,
        )
        _payment_remember(contribution, payment)
        _outcome_apply(contribution, payment)
    return payment


def contribution_payment_action_confirm(*, contribution: Contribution) -> Payment:
    """Finish the contribution's payment that waited for the card holder (3-D Secure). Raises
    NO_PAYMENT_TO_CONFIRM and GATEWAY_UNAVAILABLE."""
    with transaction.atomic():
        _contribution_lock(contribution)
        payment = contribution.payment
        if payment is not None and payment.status == Payment.Status.SUCCEEDED:
            contribution_payment_apply(contribution=contribution, payment=payment)
            return payment
        if payment is None or payment.status != Payment.Status.REQUIRES_ACTION:
            raise DomainError(
                "There is no payment waiting for your confirmation.",
                code=PoolError.NO_PAYMENT_TO_CONFIRM,
                field="payment",
            )
        payment = payment_services.payment_action_confirm(payment=payment)
        _outcome_apply(contribution, payment)
    return payment


def _payment_open_for_client(payment: Payment | None, *, contribution: Contribution) -> bool:
    return (
        payment is not None
        and payment.status
        in (Payment.Status.REQUIRES_PAYMENT_METHOD, Payment.Status.REQUIRES_ACTION)
        and bool(payment.gateway_payment_id and payment.client_secret)
        and payment.gateway == settings.PAYMENT_GATEWAY
        and payment.amount == contribution.amount
    )


def contribution_payment_intent_open(*, contribution: Contribution) -> Payment:
    """Return the contribution's payment attempt the client confirms itself (Stripe.js, its
    client_secret), opening one if none is open: asking twice makes one PaymentIntent. The
    contribution succeeds when contribution_payment_refresh or the webhook learns the payment
    succeeded. Raises NOT_RESERVED, RESERVATION_EXPIRED, POOL_CLOSED,
    CLIENT_CONFIRMATION_UNSUPPORTED (the fake gateway) and GATEWAY_UNAVAILABLE."""
    now = timezone.now()
    with transaction.atomic():
        _contribution_lock(contribution)
        _payable_check(contribution, now=now)
        if _payment_open_for_client(contribution.payment, contribution=contribution):
            return contribution.payment
        payment = payment_services.payment_intent_create(
            reference=contribution_reference(contribution),
            amount=contribution.amount,
            currency=Pool.objects.values_list("currency", flat=True).get(pk=contribution.pool_id),
            idempotency_key=_attempt_next(contribution),
        )
        _payment_remember(contribution, payment)
    return payment


def contribution_payment_refresh(*, contribution: Contribution) -> Payment:
    """Learn from the gateway where the contribution's latest attempt stands and apply it (the
    return step after Stripe.js confirmed it). Safe to repeat; a webhook bringing the same news
    changes nothing more. Raises NO_PAYMENT_TO_CONFIRM and GATEWAY_UNAVAILABLE."""
    with transaction.atomic():
        _contribution_lock(contribution)
        if contribution.payment is None:
            raise DomainError(
                "There is no payment for this contribution yet.",
                code=PoolError.NO_PAYMENT_TO_CONFIRM,
                field="payment",
            )
        payment = payment_services.payment_refresh(payment=contribution.payment)
        if payment.status == Payment.Status.SUCCEEDED:
            contribution_payment_apply(contribution=contribution, payment=payment)
    return payment


# --- applying a succeeded payment -------------------------------------------------------------


def _return_in_full(contribution: Contribution, payment: Payment, *, reason: str) -> None:
    """Give back a payment the contribution, already paid by another, cannot take."""
    left = payment.amount - payment.amount_refunded
    if left <= 0:
        return
    logger.warning("Returning payment %s of contribution %s", payment.pk, contribution.pk)
    payment_services.payment_refund(
        payment=payment,
        amount=left,
        idempotency_key=f"{contribution_reference(contribution)}:payment:{payment.pk}:return",
        reason=reason[:200],
    )


def contribution_payment_apply(*, contribution: Contribution, payment: Payment) -> str:
    """Apply PAYMENT (SUCCEEDED, for CONTRIBUTION) once; return what was done: "paid",
    "already" (applied before), "reserved_again" (it came after the reservation was released,
    and the pool took it back), "refunding" (the pool could not: a PoolRefund of all of it is
    written) or "returned" (the contribution was paid by another attempt: given back)."""
    from gifting.pools.refunds import pool_late_payment_refund, pool_refunds_started

    if (
        payment.reference != contribution_reference(contribution)
        or payment.status != Payment.Status.SUCCEEDED
    ):
        raise DomainError(
            "This payment did not pay this contribution.",
            code=PoolError.NOT_RESERVED,
            field="payment",
        )
    with transaction.atomic():
        _contribution_lock(contribution)
        pool = services.pool_lock(Pool.objects.get(pk=contribution.pool_id))
        status = contribution.status
        if status in (Contribution.Status.SUCCEEDED, Contribution.Status.REFUNDED):
            if contribution.payment_id == payment.pk:
                return "already"
            _return_in_full(contribution, payment, reason="The contribution was already paid.")
            return "returned"
        if contribution.refunds.filter(idempotency_key__endswith=f":payment-{payment.pk}").exists():
            return "already"  # came late, and its refund is written
        open_for_it = pool.state == State.OPEN or (
            pool.state == State.EXPIRED
            and (
                status == Contribution.Status.RESERVED
                or contributions.contribution_is_top_up(contribution)
            )
            and not pool_refunds_started(pool)
        )
        if status == Contribution.Status.RELEASED and open_for_it:
            # Late (the reservation expired while the card holder was at their bank): hold its
            # amount again if there is room, in one conditional UPDATE.
            if Pool.objects.filter(
                pk=pool.pk, collected__lte=F("target") - F("reserved") - contribution.amount
            ).update(reserved=F("reserved") + contribution.amount):
                Contribution.objects.filter(pk=contribution.pk).update(
                    status=Contribution.Status.RESERVED
                )
                contribution.status = Contribution.Status.RESERVED
                _payment_remember(contribution, payment)
                contributions.contribution_succeed(contribution=contribution)
                return "reserved_again"
        elif status == Contribution.Status.RESERVED and open_for_it:
            _payment_remember(contribution, payment)
            contributions.contribution_succeed(contribution=contribution)
            return "paid"
        # The pool cannot take it (closed, refunding, or full meanwhile): all of it goes back.
        if status == Contribution.Status.RESERVED:
            contributions.contribution_release(contribution=contribution)
        if contribution.payment_id not in (None, payment.pk) and (
            contribution.payment.status == Payment.Status.SUCCEEDED
        ):
            _return_in_full(contribution, payment, reason="The pool could not take it any more.")
            return "returned"
        _payment_remember(contribution, payment)
        pool_late_payment_refund(
            contribution=contribution,
            payment=payment,
            reason="The payment came after the pool stopped taking it.",
        )
        return "refunding"


def contribution_payment_succeeded(*, payment_id: int, reference: str) -> None:
    """Receiver of payments.events.payment_succeeded (from the outbox, at least once): apply
    a contribution's payment, idempotently."""
    if not reference.startswith(REFERENCE_PREFIX):
        return
    contribution = Contribution.objects.filter(pk=_id_from(reference)).first()
    payment = payment_get(payment_id=payment_id)
    if contribution is None or payment is None or payment.status != Payment.Status.SUCCEEDED:
        logger.warning("Payment %s (%s) matches no contribution", payment_id, reference)
        return
    contribution_payment_apply(contribution=contribution, payment=payment)


def contribution_payment_failed(*, payment_id: int, reference: str) -> None:
    """Receiver of payments.events.payment_failed: the contribution's latest attempt was
    declined, so its reservation is released (an older attempt's failure changes nothing)."""
    if not reference.startswith(REFERENCE_PREFIX):
        return
    contribution = Contribution.objects.filter(pk=_id_from(reference)).first()
    if contribution is None or contribution.payment_id not in (None, payment_id):
        return
    contributions.contribution_release(contribution=contribution)


def _id_from(reference: str) -> int:
    tail = reference.removeprefix(REFERENCE_PREFIX)
    return int(tail) if tail.isdigit() else 0


def contribution_payments_reconcile(*, now: datetime | None = None) -> int:
    """Apply the succeeded payments of contributions that never heard of them (older than
    RECONCILE_AFTER; their payment.succeeded delivery normally comes first). Each in its own
    transaction; one that fails is logged and tried on the next run. Returns how many."""
    now = now or timezone.now()
    unsettled = payment_list_unsettled(
        reference_prefix=REFERENCE_PREFIX,
        taken=Contribution.objects.filter(
            payment__isnull=False,
            status__in=[Contribution.Status.SUCCEEDED, Contribution.Status.REFUNDED],
        ).values("payment_id"),
        before=now - RECONCILE_AFTER,
    )
    settled = 0
    for payment in unsettled:
        contribution = Contribution.objects.filter(pk=_id_from(payment.reference)).first()
        if contribution is None:
            continue
        if contribution.refunds.filter(idempotency_key__endswith=f":payment-{payment.pk}").exists():
            continue  # given back (or being given back) already
        try:
            with transaction.atomic():
                contribution_payment_apply(contribution=contribution, payment=payment)
        except Exception:
            logger.exception("Payment %s (%s) not settled", payment.pk, payment.reference)
            continue
        settled += 1
    return settled
