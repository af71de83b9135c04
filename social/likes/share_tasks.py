"""Celery tasks of shares: thin, take ids, call services, safe to run twice."""

from celery import shared_task

from social.likes import share_services


@shared_task
def share_recipients_notify(*, share_id: int) -> int:
    """Notify the friends a product was shared with (enqueued through the outbox)."""
    return share_services.share_recipients_notify(share_id=share_id)
