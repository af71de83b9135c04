"""Celery tasks of reviews: thin, take ids, call the services, safe to run twice."""

from celery import shared_task

from reviews import invitations

# A refused SMTP connection is worth retrying; a template error is a bug and is not.
_RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task
def review_invitations_send() -> int:
    """Beat: invite the buyers of lines delivered a few days ago to review them."""
    return invitations.invitations_send()


@shared_task(**_RETRY)
def review_invitation_email(*, invitation_id: int) -> bool:
    return invitations.invitation_email_send(invitation_id=invitation_id)
