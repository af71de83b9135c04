"""Emails to guest contributors (who chipped in with a name and an email address, no account):
queued through the outbox (notifications.pool_guest_email_record), sent by the task
pool_guest_email_send from templates/pools/email/guest_<email>.txt and .html.

The outbox delivers at least once; an email already sent (same contribution, email and
context) is not sent again while the cache remembers it (a week).
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from gifting.pools.models import Contribution
from gifting.pools.notifications import pool_gift_name
from shop.core.tasks import email_message_send

logger = logging.getLogger(__name__)

SUBJECTS = {
    "received": "Thank you for chipping in for {gift}",
    "refunded": "Your contribution for {gift}: {amount} refunded",
    "funded": "The pool for {gift} is fully funded",
}
SENT_MEMORY = 7 * 24 * 3600


def _sent_key(contribution_id: int, email: str, context: dict) -> str:
    digest = hashlib.sha256(
        json.dumps([contribution_id, email, context], sort_keys=True, default=str).encode()
    ).hexdigest()[:32]
    return f"pools:guest-email:{digest}"


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
    key = _sent_key(contribution_id, email, context)
    if not cache.add(key, True, SENT_MEMORY):
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
    try:
        email_message_send(
            subject=SUBJECTS[email].format(**{"amount": "", **values}),
            body=render_to_string(f"pools/email/guest_{email}.txt", values),
            html_body=render_to_string(f"pools/email/guest_{email}.html", values),
            to=[contribution.guest_email],
        )
    except Exception:
        cache.delete(key)  # not sent: the retry may send it
        raise
    return True
