"""Celery tasks of pools: thin, take ids, call services; every one is safe to run twice."""

import logging

from celery import shared_task

from gifting.pools import contributions, emails, lifecycle, ordering, payments, refunds

logger = logging.getLogger(__name__)

# A refused SMTP connection is worth retrying; a template error is a bug and is not.
_RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task
def contributions_expire() -> int:
    """Beat, every minute: release the reservations whose payment never came."""
    return contributions.contributions_expire()


@shared_task
def pools_deadline_pass() -> int:
    """Beat, every minute: open pools past their deadline expire; their organisers are told."""
    return lifecycle.pools_deadline_pass()


@shared_task
def pools_expiring_remind() -> int:
    """Beat, hourly: organisers of pools ending within 24 hours are reminded, once."""
    return lifecycle.pools_expiring_remind()


@shared_task
def pools_abandoned_refund() -> int:
    """Beat, hourly: expired pools left alone POOL_REFUND_AFTER_DAYS are refunded."""
    return lifecycle.pools_abandoned_refund()


@shared_task
def pools_unchosen_refund() -> int:
    """Beat, hourly: funded pools whose gift was not chosen in time are closed and refunded."""
    return lifecycle.pools_unchosen_refund()


@shared_task
def pool_refunds_retry() -> int:
    """Beat, every minute (and after refunds are written): make the refunds that are due."""
    return refunds.pool_refunds_retry()


@shared_task
def pool_payments_reconcile() -> int:
    """Beat, every five minutes: apply succeeded contribution payments that were not."""
    return payments.contribution_payments_reconcile()


@shared_task(**_RETRY)
def pool_guest_email_send(*, contribution_id: int, email: str, **context) -> bool:
    """Send a guest contributor's email (queued through the outbox)."""
    return emails.pool_guest_email_send(contribution_id=contribution_id, email=email, **context)


@shared_task
def pool_funded_deliver(*, pool_id: int) -> bool:
    """A pool was funded (enqueued through the outbox; may run twice): tell its people, order
    an auto_order pool's gift."""
    return ordering.pool_funded_deliver(pool_id=pool_id)


@shared_task
def pool_gift_chosen_deliver(*, pool_id: int) -> bool:
    """The gift of a pool funded before it had one was chosen (enqueued through the outbox; may
    run twice): order it if the pool orders on its own."""
    return ordering.pool_gift_chosen_deliver(pool_id=pool_id)
