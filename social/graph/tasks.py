"""Celery tasks of the graph: thin, take ids, safe to run twice."""

from celery import shared_task

from social.graph import emails

# A refused SMTP connection is worth retrying; a template error is a bug and is not.
_RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**_RETRY)
def invite_email_notify(*, invite_id: int) -> bool:
    """Send one invitation email (enqueued through the outbox, so it may run twice)."""
    return emails.invite_email_deliver(invite_id=invite_id)
