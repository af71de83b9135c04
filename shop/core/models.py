"""Infrastructure every app shares. Domain models live in their own apps."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    """An event that must reach its receivers even if the process dies after the commit.

    A service writes the row in the same transaction as the change it announces and asks
    for delivery on commit; a beat task re-sends rows still unsent (a crash, a receiver that
    failed, a broker that was down). Delivery is therefore at least once: receivers use the
    row's id to act once. How to record and deliver: shop.core.outbox.
    """

    topic = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # When beat may try the row (again): a while after it was written, later after each
    # failed attempt, so a row that keeps failing does not crowd out the others.
    available_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The redelivery scan reads only unsent rows; sent ones pile up untouched.
            models.Index(
                fields=["available_at"],
                condition=Q(sent_at__isnull=True),
                name="core_outbox_unsent_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"
