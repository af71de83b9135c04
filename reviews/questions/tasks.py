"""Celery tasks of questions: thin, take ids, safe to run twice (emails.py sends once)."""

from celery import shared_task

from reviews.questions import emails

# A refused SMTP connection is worth retrying; a template error is a bug and is not.
_RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="reviews.questions.tasks.question_asked_staff_email", **_RETRY)
def question_asked_staff_email(*, question_id: int) -> bool:
    return emails.question_asked_staff_email_send(question_id=question_id)
