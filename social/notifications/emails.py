"""Notification emails: one at once (kind set to "immediate"), or a daily digest.

Each is sent under the lock of its notification rows, which are marked sent in the same
transaction: a task that runs twice sends one email. What the person chose is read again
when sending (a kind turned off meanwhile sends nothing), and so is the block rule (someone
blocked meanwhile is not named).
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from social.graph.selectors import is_blocked_either_way
from social.notifications.kinds import notification_kind_get
from social.notifications.models import Delivery, Notification
from social.notifications.selectors import (
    notification_items_group,
    preference_for,
    preferences_get,
)
from social.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url

User = get_user_model()
Status = Notification.EmailStatus


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def _message_send(*, recipient, subject: str, template: str, context: dict, kinds: list[str]):
    link = unsubscribe_url(user_id=recipient.pk, kinds=kinds)
    context = {
        **context,
        "recipient": recipient,
        "store_name": settings.STORE_NAME,
        "unsubscribe_url": link,
        "settings_url": _absolute("/settings/notifications/"),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[recipient.email],
        headers=unsubscribe_headers(url=link),
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()


def _actor_hidden(notification: Notification) -> bool:
    actor = notification.actor
    if actor is None:
        return False
    return not actor.is_active or is_blocked_either_way(user=notification.recipient, other=actor)


def notification_email_deliver(*, notification_id: int) -> bool:
    """Send the email of one notification queued for "immediate"; return whether it went now."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .filter(pk=notification_id, email_status=Status.QUEUED)
            .select_related("recipient", "actor")
            .first()
        )
        if notification is None:
            return False
        recipient = notification.recipient
        kind = notification_kind_get(notification.kind)
        delivery = preference_for(user_id=recipient.pk, kind=notification.kind)
        if delivery == Delivery.DAILY:
            notification.email_status = Status.DIGEST
            notification.save(update_fields=["email_status"])
            return False
        if (
            kind is None
            or delivery != Delivery.IMMEDIATE
            or not recipient.is_active
            or not recipient.email
            or _actor_hidden(notification)
        ):
            notification.email_status = Status.SKIPPED
            notification.save(update_fields=["email_status"])
            return False
        (item,) = notification_items_group([notification])
        _message_send(
            recipient=recipient,
            subject=kind.subject(actor=item.actor_text, data=notification.data),
            template=kind.email_template,
            context={"item": item, "kind": kind, "url": _absolute(item.url)},
            kinds=[kind.key],
        )
        notification.email_status = Status.SENT
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["email_status", "emailed_at"])
    return True


def notification_digest_deliver(*, recipient_id: int, now: datetime | None = None) -> bool:
    """Send RECIPIENT_ID's daily digest of what waits for it; return whether one went now."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient_id=recipient_id, email_status=Status.DIGEST, created_at__lte=now)
            .select_related("recipient", "actor")
            .order_by("-created_at", "-id")
        )
        if not rows:
            return False
        recipient = rows[0].recipient
        deliveries = preferences_get(user=recipient)
        send, skip = [], []
        for n in rows:
            wanted = deliveries.get(n.kind) in (Delivery.DAILY, Delivery.IMMEDIATE)
            (send if wanted and not _actor_hidden(n) else skip).append(n)
        if not recipient.is_active or not recipient.email:
            send, skip = [], rows
        if send:
            items = notification_items_group(send)
            for item in items:
                item.absolute_url = _absolute(item.url)
            count = len(items)
            _message_send(
                recipient=recipient,
                subject=f"Your daily digest: {count} new notification{'s' if count != 1 else ''}",
                template="social/notifications/email/digest",
                context={"items": items},
                kinds=sorted({n.kind for n in send}),
            )
        Notification.objects.filter(pk__in=[n.pk for n in send]).update(
            email_status=Status.SENT, emailed_at=now
        )
        Notification.objects.filter(pk__in=[n.pk for n in skip]).update(email_status=Status.SKIPPED)
    return bool(send)


def notification_digests_deliver(*, now: datetime | None = None) -> int:
    """Send every daily digest that is due; return how many went. Safe to run twice."""
    now = now or timezone.now()
    recipient_ids = (
        Notification.objects.filter(email_status=Status.DIGEST, created_at__lte=now)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(
        notification_digest_deliver(recipient_id=recipient_id, now=now)
        for recipient_id in list(recipient_ids)
    )
