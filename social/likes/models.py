"""Likes, shares and "ask my friends": what a person says about a product to their friends.

Who may see a like follows its owner's privacy setting (PrivacySettings.likes); a share to
chosen friends and an ask are seen by the people they were sent to (and their author). Both
are decided by the audience rule of social.graph in the selectors, never here.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def share_token_new() -> str:
    return secrets.token_urlsafe(12)


class Like(models.Model):
    """USER likes PRODUCT (once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="likes_like_once")]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="likes_like_user_recent"),
            models.Index(fields=["product", "user"], name="likes_like_product"),
        ]

    def __str__(self) -> str:
        return f"Like #{self.pk}"


class ProductLikeCount(models.Model):
    """How many people like PRODUCT, changed by conditional UPDATEs in the same transaction as
    the Like row (never read, add and write back), so a product page never counts rows."""

    product = models.OneToOneField(
        "catalog.Product", primary_key=True, on_delete=models.CASCADE, related_name="like_count"
    )
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} likes of product #{self.product_id}"


class Share(models.Model):
    """SHARER shared PRODUCT: as a link (TOKEN, in ?s=…), to chosen friends in the shop
    (ShareRecipient rows), or to another network through its share URL (CHANNEL)."""

    class Channel(models.TextChoices):
        LINK = "link", "Link"
        FRIENDS = "friends", "Friends in the shop"
        NETWORK = "network", "Another network"

    sharer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, unique=True, default=share_token_new)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.LINK)
    # The network a NETWORK share went to ("email", "x", "facebook", "whatsapp", "native").
    network = models.CharField(max_length=20, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Kept denormalised for the merchant's analytics (changed by conditional UPDATEs).
    visit_count = models.PositiveIntegerField(default=0)
    order_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sharer", "-created_at"], name="likes_share_sharer"),
            models.Index(fields=["product", "-created_at"], name="likes_share_product"),
        ]

    def __str__(self) -> str:
        return f"Share #{self.pk}"


class ShareRecipient(models.Model):
    """A friend a share was sent to in the shop."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["share", "user"], name="likes_share_recipient_once")
        ]

    def __str__(self) -> str:
        return f"Share recipient #{self.pk}"


class ShareVisit(models.Model):
    """A visit that came through a share's link, and the order it led to if any: the
    merchant's later analytics. VISITOR_KEY is a hash of the session, never the session key."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="visits")
    visitor_key = models.CharField(max_length=64)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["share", "visitor_key"], name="likes_share_visit_once")
        ]

    def __str__(self) -> str:
        return f"Share visit #{self.pk}"


class Ask(models.Model):
    """ASKER asks friends "Should I buy this?" about PRODUCT. Open until CLOSES_AT (7 days)
    or until closed (the asker bought it, or withdrew the ask). YES_COUNT and NO_COUNT are
    the tally, changed by conditional UPDATEs with the answers."""

    class Closed(models.TextChoices):
        OPEN = "", "Open"
        BOUGHT = "bought", "Bought"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    # Asked of every friend (True) or only of the AskRecipient rows.
    all_friends = models.BooleanField(default=False)
    yes_count = models.PositiveIntegerField(default=0)
    no_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_reason = models.CharField(
        max_length=10, choices=Closed.choices, blank=True, default=Closed.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_reason__in=["", "bought", "withdrawn", "expired"]),
                name="likes_ask_closed_valid",
            ),
            # One open question per person and product: asking again adds friends to it.
            models.UniqueConstraint(
                fields=["asker", "product"],
                condition=Q(closed_at__isnull=True),
                name="likes_ask_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["asker", "product", "-created_at"], name="likes_ask_asker"),
            models.Index(
                fields=["closes_at"], condition=Q(closed_at__isnull=True), name="likes_ask_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Ask #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.closes_at > timezone.now()


class AskRecipient(models.Model):
    """A friend an ask was put to (one row per friend asked, also when all friends were)."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ask", "user"], name="likes_ask_recipient_once")
        ]
        indexes = [models.Index(fields=["user", "ask"], name="likes_ask_recipient_user")]

    def __str__(self) -> str:
        return f"Ask recipient #{self.pk}"


class AskAnswer(models.Model):
    """FRIEND's answer to ASK: yes or no, with an optional comment; one per friend, which they
    may change while the ask is open."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="answers")
    friend = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    yes = models.BooleanField()
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "friend"], name="likes_ask_answer_once")
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk}"
