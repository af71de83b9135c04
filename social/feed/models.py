"""Activities (what someone did, with a typed reference and a snapshot of its object) and the
feeds they are fanned out to (one FeedItem per feed owner and activity).

Who may see an activity is decided by the audience rule of social.graph, at fan-out (who
gets a FeedItem) and again at read (a datum made private later, or an actor blocked since,
never shows); never here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shop.core.visibility import Visibility


class Activity(models.Model):
    """One thing a person (actor) or a merchant did, as shown in feeds.

    The object is a typed reference (product, kept NULL once the product is deleted: shown
    "no longer available") plus a snapshot taken at the time (title, image_url, price in
    minor units, currency, url), so a feed page renders from its own rows without a query
    per row. dedupe_key makes recording idempotent (an event delivered twice records once).
    """

    class Verb(models.TextChoices):
        PURCHASE = "purchase", "bought"
        LIKE = "like", "liked"
        SHARE = "share", "shared"
        ASK = "ask", "asked about"
        FRIENDSHIP = "friendship", "became friends with"
        NEW_PRODUCT = "new_product", "published"
        REVIEW = "review", "reviewed"
        WISHLIST = "wishlist", "shared a wishlist"
        WISH = "wish", "would love"
        POOL = "pool", "started a gift pool"
        CHIP_IN = "chip_in", "chipped in for"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    merchant = models.ForeignKey(
        "catalog.Merchant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(default=dict, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    # Shared with chosen people only (ActivityRecipient rows): no one else's feed gets it.
    has_recipients = models.BooleanField(default=False)
    # Its actor had more followers than FEED_PULL_THRESHOLD: not fanned out, feeds pull it.
    pulled = models.BooleanField(default=False)
    # The one person who must not see it, whatever the audience (a gift's recipient: a pool
    # is a surprise). Left out at fan-out and at read.
    hidden_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The fan-out's progress: the last recipient id done, and when it finished.
    fanout_cursor = models.BigIntegerField(default=0)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False, merchant__isnull=True)
                | Q(actor__isnull=True, merchant__isnull=False),
                name="feed_activity_one_actor",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="feed_activity_visibility"
            ),
        ]
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="feed_activity_actor"),
            models.Index(fields=["merchant", "-created_at"], name="feed_activity_merchant"),
            models.Index(
                fields=["-created_at"], condition=Q(pulled=True), name="feed_activity_pulled"
            ),
            # Fan-outs not finished yet (beat resumes those that stalled).
            models.Index(
                fields=["created_at"],
                condition=Q(fanned_out_at__isnull=True, pulled=False),
                name="feed_activity_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"Activity #{self.pk} ({self.verb})"


class ActivityRecipient(models.Model):
    """A person an activity was shared with by name (a share to chosen friends)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="feed_recipient_once")
        ]

    def __str__(self) -> str:
        return f"Recipient #{self.pk}"


class FeedItem(models.Model):
    """ACTIVITY in OWNER's feed. created_at is the activity's, copied so a page reads one
    index (owner, -created_at, -activity)."""

    # A feed item is derived data, written by the thousand at each fan-out, so it costs as
    # little per row as it can: no id (the primary key is (activity, owner): a feed holds an
    # activity once, an activity's deletion and set-based removals find its items, and a
    # fan-out appends to its end) and one index more, the page index (owner, …) reading a
    # feed and removing one owner's items; foreign keys the database does not check row by
    # row (half of a fan-out's cost). Deleting a person or an activity still deletes their
    # items (Django cascades); the fan-out inserts only while its activity's row is there and
    # locked by it; and a read joins the activity, so an item without one never shows.
    pk = models.CompositePrimaryKey("activity", "owner")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at", "-activity"], name="feed_item_page"),
        ]

    def __str__(self) -> str:
        return f"Activity #{self.activity_id} in the feed of user #{self.owner_id}"


class FeedState(models.Model):
    """What the feed knows of a person's log-ins: the previous one (Django overwrites
    last_login before our receiver runs) and whether their feed is being rebuilt."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)
    rebuild_requested_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Feed state of user #{self.user_id}"

    @property
    def rebuilding(self) -> bool:
        return self.rebuild_requested_at is not None and (
            self.rebuilt_at is None or self.rebuilt_at < self.rebuild_requested_at
        )
