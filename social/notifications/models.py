"""Notifications: what a person is told in the app (the bell, /notifications/) and by email,
and how each kind reaches them by email (their preferences)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Delivery(models.TextChoices):
    """How a kind of notification reaches a person by email (in the app it always shows)."""

    IMMEDIATE = "immediate", "Email me at once"
    DAILY = "daily", "Daily digest"
    OFF = "off", "No email"


class Notification(models.Model):
    """One thing RECIPIENT is told: ACTOR (if a person did it) did KIND to TARGET.

    DEDUPE_KEY names the event that caused it (a request's id, an outbox event's id): unique
    per recipient, so a receiver or task that runs twice notifies once. GROUP_KEY says which
    notifications show as one line ("Ana and 2 others accepted your friend request").
    """

    class EmailStatus(models.TextChoices):
        NONE = "", "No email"
        QUEUED = "queued", "Waiting to be sent"
        DIGEST = "digest", "Waiting for the daily digest"
        SENT = "sent", "Sent"
        # Not sent after all: the preference became "off", or the actor was blocked meanwhile.
        SKIPPED = "skipped", "Not sent"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    # Who did it; null for what no person did (an order shipped, an export ready).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What it is about, typed ("graph.friendrequest", 12) rather than a generic foreign key:
    # the read path never joins it; URL is where the item leads.
    target_type = models.CharField(max_length=50, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # A small snapshot the text needs (an order's number), so rendering reads no other table.
    data = models.JSONField(default=dict, blank=True)
    group_key = models.CharField(max_length=200)
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=8, choices=EmailStatus.choices, blank=True, default=EmailStatus.NONE
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notifications_once_per_event"
            ),
        ]
        indexes = [
            # The bell: a person's unread count reads only their unread rows.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notifications_unread",
            ),
            # /notifications/: newest first, the cursor (created_at, id) seeks in it.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notifications_newest"),
            # The daily digest finds what waits for it without scanning the table.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(email_status="digest"),
                name="notifications_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification #{self.pk} ({self.kind})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """USER's choice of email for one KIND; without a row the kind's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=50)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery} (user #{self.user_id})"
