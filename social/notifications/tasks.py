"""Celery tasks of notifications: thin, take ids, safe to run twice."""

from celery import shared_task

from social.notifications import emails

# A refused SMTP connection is worth retrying; a template error is a bug and is not.
_RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**_RETRY)
def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's email (enqueued through the outbox, so it may run twice)."""
    return emails.notification_email_deliver(notification_id=notification_id)


@shared_task
def notification_digests_send() -> int:
    """Beat, daily: send each person's digest of the notifications they get once a day."""
    return emails.notification_digests_deliver()
