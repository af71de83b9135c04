"""Every write of notifications: notify, mark read, preferences, unsubscribe.

notification_notify is the one way in. It is idempotent by (recipient, dedupe key): a
receiver that sees an event twice, or a task that runs twice, notifies once and queues one
email. The email itself leaves from Celery through the outbox (emails.py), after commit.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from shop.core.errors import DomainError
from shop.core.outbox import outbox_record
from social.graph.selectors import is_blocked_either_way
from social.notifications.errors import NotificationError
from social.notifications.kinds import Group, notification_kind_get
from social.notifications.models import Delivery, Notification, NotificationPreference
from social.notifications.selectors import preference_for, preferences_get

EMAIL_TOPIC = "email.notifications.send"

_EMAIL_STATUS = {
    Delivery.IMMEDIATE: Notification.EmailStatus.QUEUED,
    Delivery.DAILY: Notification.EmailStatus.DIGEST,
    Delivery.OFF: Notification.EmailStatus.NONE,
}


def _group_key(*, kind, target_type: str, target_id: int | None, dedupe_key: str) -> str:
    if kind.group == Group.KIND:
        return kind.key
    if kind.group == Group.TARGET and target_type:
        return f"{kind.key}:{target_type}:{target_id}"
    return f"{kind.key}:{dedupe_key}"[:200]


def notification_notify(
    *,
    recipient,
    kind: str,
    dedupe_key: str,
    actor=None,
    target_type: str = "",
    target_id: int | None = None,
    url: str = "",
    data: dict | None = None,
) -> Notification | None:
    """Tell RECIPIENT that ACTOR did KIND (to TARGET); once per DEDUPE_KEY.

    Returns the new notification, or None when nothing is said: the event was already
    notified, the recipient's account is gone, the actor is the recipient, is gone, or is
    blocked by (or blocks) the recipient. An email follows, per the recipient's preference
    for KIND: at once (queued in the outbox, sent from Celery after commit) or in the daily
    digest. Raises ValueError for a kind nobody registered (a typo surfaces here).
    """
    registered = notification_kind_get(kind)
    if registered is None:
        raise ValueError(f"No notification kind {kind!r} is registered")
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and (
        actor.pk == recipient.pk
        or not actor.is_active
        or is_blocked_either_way(user=recipient, other=actor)
    ):
        return None
    dedupe_key = dedupe_key[:200]
    if Notification.objects.filter(recipient_id=recipient.pk, dedupe_key=dedupe_key).exists():
        return None
    delivery = preference_for(user_id=recipient.pk, kind=kind)
    email_status = _EMAIL_STATUS[delivery] if recipient.email else Notification.EmailStatus.NONE
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                actor=actor,
                target_type=target_type,
                target_id=target_id,
                url=url,
                data=data or {},
                group_key=_group_key(
                    kind=registered,
                    target_type=target_type,
                    target_id=target_id,
                    dedupe_key=dedupe_key,
                ),
                dedupe_key=dedupe_key,
                email_status=email_status,
            )
            if email_status == Notification.EmailStatus.QUEUED:
                outbox_record(topic=EMAIL_TOPIC, payload={"notification_id": notification.pk})
    except IntegrityError:
        # The same event notified by a twin delivery a moment earlier: already said.
        return None
    return notification


def notification_mark_read(*, notification: Notification) -> int:
    """Mark NOTIFICATION read, with the unread ones shown with it as one line (its group).

    Returns how many were marked.
    """
    return Notification.objects.filter(
        Q(pk=notification.pk) | Q(group_key=notification.group_key),
        recipient_id=notification.recipient_id,
        read_at__isnull=True,
    ).update(read_at=timezone.now())


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of USER read; return how many."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_update(*, user, deliveries: dict[str, str]) -> dict[str, str]:
    """Set USER's email delivery of each kind in DELIVERIES (kind -> immediate/daily/off).

    Kinds left out keep theirs. Raises DomainError UNKNOWN_KIND or INVALID_DELIVERY on the
    kind's field. Returns every kind's delivery after the change.
    """
    for key, delivery in deliveries.items():
        if notification_kind_get(key) is None:
            raise DomainError(
                "There is no such kind of notification.",
                code=NotificationError.UNKNOWN_KIND,
                field=str(key)[:50],
            )
        if delivery not in Delivery.values:
            raise DomainError(
                "Choose immediate, daily or off.",
                code=NotificationError.INVALID_DELIVERY,
                field=key,
            )
    if deliveries:
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user_id=user.pk, kind=key, delivery=delivery)
                for key, delivery in deliveries.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["delivery", "updated_at"],
        )
    return preferences_get(user=user)


def notifications_unsubscribe(*, user_id: int, kinds: list[str]) -> list[str]:
    """Turn off the email of KINDS for the person USER_ID (from an email's unsubscribe link).

    Kinds no longer registered are ignored; returns the kinds turned off. Safe to repeat.
    """
    known = [key for key in kinds if notification_kind_get(key) is not None]
    if known:
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user_id=user_id, kind=key, delivery=Delivery.OFF)
                for key in known
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["delivery", "updated_at"],
        )
    return known
