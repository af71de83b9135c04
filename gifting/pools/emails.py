"""Emails to guest contributors (who chipped in with a name and an email address, no account):
queued through the outbox (notifications.pool_guest_email_record), sent by the task
pool_guest_email_send from templates/pools/email/guest_<email>.txt and .html.

The outbox delivers at least once; an email already sent (same contribution, email and
context) is not sent again: the task claims it with a PoolGuestEmail row, inserted in the
transaction that sends it. The database, not the cache, remembers: Redis down or flushed
neither loses an email nor sends one twice.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from gifting.pools.models import Contribution, PoolGuestEmail
from gifting.pools.notifications import pool_gift_name
from shop.core.tasks import email_message_send

logger = logging.getLogger(__name__)

SUBJECTS = {
    "received": "Thank you for chipping in for {gift}",
    "refunded": "Your contribution for {gift}: {amount} refunded",
    "funded": "The pool for {gift} is fully funded",
}


def _context_digest(context: dict) -> str:
    return hashlib.sha256(json.dumps(context, sort_keys=True, default=str).encode()).hexdigest()


def _claim(*, contribution_id: int, email: str, context: dict) -> bool:
    """Insert this delivery's PoolGuestEmail in the caller's transaction; return False when
    it is there already (sent, or being sent by another worker, whose commit we waited for on
    the unique constraint)."""
    try:
        with transaction.atomic():  # a savepoint: the conflict leaves the caller's intact
            PoolGuestEmail.objects.create(
                contribution_id=contribution_id, kind=email, digest=_context_digest(context)
            )
    except IntegrityError:
        return False
    return True


def pool_guest_email_send(*, contribution_id: int, email: str, **context) -> bool:
    """Send EMAIL ("received", "refunded") to the guest of CONTRIBUTION_ID; return whether it
    went now (False: no such guest contribution, an unknown email, or sent already)."""
    if email not in SUBJECTS:
        logger.error("No guest email %r for pools", email)
        return False
    contribution = (
        Contribution.objects.select_related("pool__variant__product", "pool__organiser")
        .filter(pk=contribution_id)
        .exclude(guest_email="")
        .first()
    )
    if contribution is None:
        return False
    pool = contribution.pool
    values = {
        "contribution": contribution,
        "pool": pool,
        "gift": pool_gift_name(pool),
        "organiser_name": pool.organiser.public_name,
        "pool_url": f"{settings.SITE_URL}/pools/{pool.token}/",
        "store_name": settings.STORE_NAME,
        **context,
    }
    # Claimed and sent in one transaction: a send that raises (or a worker that dies) rolls the
    # claim back, so the outbox's or Celery's retry sends it; a commit that fails after the
    # send may send it twice, never none (at least once).
    with transaction.atomic():
        if not _claim(contribution_id=contribution_id, email=email, context=context):
            return False
        email_message_send(
            subject=SUBJECTS[email].format(**{"amount": "", **values}),
            body=render_to_string(f"pools/email/guest_{email}.txt", values),
            html_body=render_to_string(f"pools/email/guest_{email}.html", values),
            to=[contribution.guest_email],
        )
    return True
