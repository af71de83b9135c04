"""Celery tasks every app shares. Tasks are thin: they take plain values and call Django."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from shop.core import outbox


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_message_send(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html_body: str | None = None,
) -> None:
    """Send one email. Enqueue it with transaction.on_commit so a rolled-back write sends none.

    Addresses in the reserved ".invalid" domain (RFC 2606: a deleted account's placeholder,
    on its kept orders too) are left out: no server would take them, and the task would retry
    a bounce until it gave up. With no one left, nothing is sent.
    """
    to = [address for address in to if not _undeliverable(address)]
    if not to:
        return
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=from_email)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


def _undeliverable(address: str) -> bool:
    return address.rstrip(">").lower().endswith(".invalid")


@shared_task
def outbox_redeliver() -> int:
    """Beat, every minute: deliver the outbox rows whose delivery failed or never ran."""
    return outbox.outbox_redeliver()


@shared_task
def outbox_purge() -> int:
    """Beat, daily: delete outbox rows sent more than a week ago."""
    return outbox.outbox_purge()
