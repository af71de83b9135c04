"""Notifications' part of "download my data" and "delete my account" (shop.core.personal_data)."""

from django.db.models import Q

from social.notifications.models import Notification, NotificationPreference
from social.notifications.selectors import preferences_get


def _when(value) -> str | None:
    return value.isoformat() if value else None


def notifications_export(user) -> dict:
    """Return USER's notifications (what they were told, not who else was) and preferences."""
    return {
        "preferences": preferences_get(user=user),
        "notifications": [
            {
                "kind": n.kind,
                "actor": n.actor.username if n.actor_id else None,
                "url": n.url,
                "data": n.data,
                "created_at": _when(n.created_at),
                "read_at": _when(n.read_at),
            }
            for n in Notification.objects.filter(recipient_id=user.pk)
            .select_related("actor")
            .order_by("-created_at", "-id")
        ],
    }


def notifications_erase(user) -> None:
    """Delete USER's notifications and preferences, and every notification naming them."""
    Notification.objects.filter(Q(recipient_id=user.pk) | Q(actor_id=user.pk)).delete()
    NotificationPreference.objects.filter(user_id=user.pk).delete()
