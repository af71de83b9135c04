"""Recommendations' tables: people you may know (people_*), products for you and the
personal home (products_*)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# --- people you may know ----------------------------------------------------------------------


class Dismissal(models.Model):
    """USER said "Not now" to PERSON in "People you may know": PERSON is never suggested to
    USER again (for good; nothing else changes between them: either may still ask the other
    to be friends)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestion_dismissals"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Also the index the suggestions' NOT EXISTS reads: (user, person).
            models.UniqueConstraint(fields=["user", "person"], name="recs_dismissal_once"),
            models.CheckConstraint(condition=~Q(user=F("person")), name="recs_dismissal_not_self"),
        ]

    def __str__(self) -> str:
        return f"Dismissal #{self.pk}"
