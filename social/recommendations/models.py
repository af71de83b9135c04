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


# --- products for you ---------------------------------------------------------------------------


class CoPurchase(models.Model):
    """How many paid orders held both PRODUCT and OTHER ("often bought together").

    Kept both ways (a row for (a, b) and one for (b, a)), so a product's partners are one
    index range (product, -orders). Counted by products_services.copurchase_order_count with
    an upsert, once per order (CoPurchaseOrder)."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    orders = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "other"], name="recs_copurchase_pair"),
            models.CheckConstraint(condition=~Q(product=F("other")), name="recs_copurchase_two"),
        ]
        indexes = [models.Index(fields=["product", "-orders", "other"], name="recs_copurchase_top")]

    def __str__(self) -> str:
        return f"#{self.product_id} with #{self.other_id}: {self.orders}"


class CoPurchaseOrder(models.Model):
    """A paid order already counted into CoPurchase: an event delivered twice counts once."""

    order = models.OneToOneField(
        "orders.Order", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    counted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Order #{self.order_id} counted"


class BrowseInterest(models.Model):
    """How many product pages of a category (or a brand) a person looked at, flushed from the
    cache by a task (products_services.browse_flush): a product page never writes a row."""

    class Kind(models.TextChoices):
        CATEGORY = "category", "Category"
        BRAND = "brand", "Brand"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=80)  # a category's id, or a brand
    views = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "value"], name="recs_browse_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.value}: {self.views}"


class PickReason(models.TextChoices):
    """Why a product is recommended; each is shown as a sentence (products_selectors)."""

    FRIEND_LIKED = "friend_liked", "A friend likes it"
    FRIEND_BOUGHT = "friend_bought", "A friend bought it"
    BOUGHT_WITH = "bought_with", "Often bought with something you bought"
    YOU_LIKED = "you_liked", "Like something you liked"
    CATEGORY = "category", "In a category you like"
    MERCHANT_NEW = "merchant_new", "New from a merchant you follow"
    POPULAR = "popular", "Popular in the shop"
    NEW = "new", "New in the shop"


class ProductPick(models.Model):
    """One product recommended to USER, with its score and the one reason shown.

    Precomputed per person by Celery (products_services.picks_compute), never per request;
    read with one query (products_selectors.picks_for_user). REASON_PERSON is the friend a
    reason names: re-checked against the audience rule when read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reason = models.CharField(max_length=16, choices=PickReason.choices)
    reason_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason_product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason_label = models.CharField(max_length=120, blank=True)  # a category, a merchant
    reason_key = models.CharField(max_length=40, blank=True)  # its id: the section it is in

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "product"], name="recs_pick_once"),
        ]
        indexes = [models.Index(fields=["user", "position"], name="recs_pick_user")]

    def __str__(self) -> str:
        return f"#{self.product_id} for #{self.user_id} ({self.reason})"


class PickState(models.Model):
    """When USER's picks were computed, whether their signals changed since (STALE: beat
    recomputes them, so ten likes in a minute cost one computation) and the VERSION the
    personal home and decorations are cached under (moved by every computation and by every
    event that may hide a reason: a block, an unfriending, a privacy change)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    computed_at = models.DateTimeField(null=True, blank=True)
    stale = models.BooleanField(default=True, db_index=True)
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Picks of #{self.user_id}"
