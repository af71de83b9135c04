"""Reviews: a shopper's rating (1–5), title, text and photos of a product, one per person and
product; helpful votes, reports, moderation, the merchant's public reply, and invitations.

A review's rating counts in its product's aggregates (catalog's Product.rating_*) while it is
not hidden; catalog's product_rating_change keeps them, called by the services in the review's
own transaction. "Verified purchase" is decided by the services from the person's orders,
never typed in (editable=False).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shop.core.visibility import Visibility

# Who sees in their feed that I reviewed a product (the review itself is public).
FEED_CHOICES = [
    (v.value, v.label) for v in (Visibility.PRIVATE, Visibility.FRIENDS, Visibility.PUBLIC)
]
PHOTOS_MAX = 6


def review_photo_upload_to(instance, filename: str) -> str:
    # FILENAME is random (shop.core.images.random_image_name), never the uploader's.
    return f"reviews/{filename}"


class Review(models.Model):
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField("text", max_length=5000)
    feed_visibility = models.CharField(
        "who sees it in their feed",
        max_length=10,
        choices=FEED_CHOICES,
        default=Visibility.FRIENDS,
    )
    verified_purchase = models.BooleanField(default=False, editable=False)
    photo_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # Counters changed by conditional UPDATEs (F()) with the vote and report rows.
    helpful_count = models.PositiveIntegerField(default=0, editable=False)
    unhelpful_count = models.PositiveIntegerField(default=0, editable=False)
    report_count = models.PositiveIntegerField(default=0, editable=False)
    # In the operators' queue: reported, or caught by the word list, and not yet decided.
    needs_moderation = models.BooleanField(default=False, editable=False)
    flag_reason = models.CharField(max_length=200, blank=True, editable=False)
    is_hidden = models.BooleanField(default=False, editable=False)
    hidden_reason = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    edit_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "author"], name="reviews_review_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="reviews_review_rating_1_5"
            ),
        ]
        indexes = [
            models.Index(fields=["product", "is_hidden", "-created_at"], name="reviews_by_product"),
            models.Index(
                fields=["product", "is_hidden", "-helpful_count"], name="reviews_by_helpful"
            ),
            models.Index(
                fields=["-created_at"],
                condition=Q(needs_moderation=True),
                name="reviews_moderation_queue",
            ),
            models.Index(fields=["author", "-created_at"], name="reviews_by_author"),
        ]

    def __str__(self) -> str:
        return f"Review #{self.pk}"


class ReviewPhoto(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to=review_photo_upload_to, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(upload_to=review_photo_upload_to, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Photo #{self.pk} of review #{self.review_id}"


class ReviewRevision(models.Model):
    """What a review said before one of its edits (operators read the history in admin)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField("text")
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"Revision #{self.pk} of review #{self.review_id}"


class ReviewVote(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "voter"], name="reviews_vote_once")
        ]
        indexes = [models.Index(fields=["voter", "review"], name="reviews_vote_voter")]

    def __str__(self) -> str:
        return f"Vote #{self.pk}"


class ReviewReport(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        OFFENSIVE = "offensive", "Offensive or hateful"
        OFF_TOPIC = "off_topic", "Not about the product"
        PERSONAL = "personal", "Personal information"
        FAKE = "fake", "Fake or paid review"
        OTHER = "other", "Something else"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="reviews_report_once")
        ]

    def __str__(self) -> str:
        return f"Report #{self.pk}"


class ReviewModeration(models.Model):
    """An operator's decision on a review: hidden or restored, and why (the author is told)."""

    class Action(models.TextChoices):
        HIDE = "hide", "Hidden"
        RESTORE = "restore", "Restored"
        KEEP = "keep", "Kept"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="moderations")
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} review #{self.review_id}"


class ReviewReply(models.Model):
    """The merchant's one public reply to a review of its product (editable)."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="reply")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField("reply", max_length=3000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "review replies"

    def __str__(self) -> str:
        return f"Reply to review #{self.review_id}"


class ReviewInvitation(models.Model):
    """The email inviting a buyer to review a delivered order line (once per line)."""

    order_line = models.OneToOneField(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation #{self.pk}"
