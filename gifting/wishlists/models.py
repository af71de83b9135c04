"""Wishlists: what a person wants (Wishlist, WishlistItem) and who promised to give it (Claim).

A wishlist is seen by whom its visibility lets see it, decided by the audience rule of
social.graph in the selectors, never here. Its link carries a random token, never an id.
Claims are hidden from the list's owner (the surprise) until the occasion has passed or the
owner chose to reveal them (revealed_at).

"Ask my friends" (asked_at): once the owner asked, those who may see the list vote on its
items (ItemVote, 👍 or 👎, one per person and item) and comment on them (ItemComment); the
owner sees those answers (they are not claims).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shop.core.visibility import Visibility


def wishlist_token_new() -> str:
    return secrets.token_urlsafe(16)


class Wishlist(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=120)
    occasion_on = models.DateField("occasion", null=True, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    token = models.CharField(max_length=32, unique=True, default=wishlist_token_new)
    # Where a gift may be sent: the owner's own address, never shown to anyone else.
    shipping_address = models.ForeignKey(
        "accounts.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revealed_at = models.DateTimeField(null=True, blank=True)
    # When the owner first asked their friends which gift to pick: votes and comments are
    # taken from then on.
    asked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="wishlists_owner_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="wishlists_visibility_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def claims_revealed(self, *, today=None) -> bool:
        """Whether the owner may see the claims: revealed, or the occasion has passed."""
        today = today or timezone.localdate()
        return self.revealed_at is not None or (
            self.occasion_on is not None and self.occasion_on < today
        )


class WishlistItem(models.Model):
    class Priority(models.IntegerChoices):
        HIGH = 1, "Would love it"
        NORMAL = 2, "Would like it"
        LOW = 3, "Nice to have"

    wishlist = models.ForeignKey(Wishlist, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField("wanted", default=1)
    note = models.CharField(max_length=300, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    # The variant's price (minor units) when it was put on the list: a lower price now is a
    # price drop, shown beside the wish.
    price_when_added = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["wishlist", "variant"], name="wishlists_item_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="wishlists_item_quantity"),
        ]

    def __str__(self) -> str:
        return f"Item #{self.pk} of wishlist #{self.wishlist_id}"


class Claim(models.Model):
    """CLAIMER promised to give QUANTITY units of ITEM: reserved, then purchased (their paid
    order held the variant) or released (by them, or expired unpaid after
    WISHLIST_CLAIM_DAYS). Moves only through the transitions in services."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "Reserved"
        PURCHASED = "purchased", "Purchased"
        RELEASED = "released", "Released"

    class ReleaseReason(models.TextChoices):
        CLAIMER = "claimer", "Released by the claimer"
        EXPIRED = "expired", "Expired unpaid"
        ORDER = "order", "Its order was cancelled or refunded"

    item = models.ForeignKey(WishlistItem, on_delete=models.CASCADE, related_name="claims")
    claimer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RESERVED)
    release_reason = models.CharField(max_length=10, choices=ReleaseReason.choices, blank=True)
    # The paid order that bought it.
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reserved_at = models.DateTimeField(default=timezone.now)
    purchased_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reserved_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="wishlists_claim_quantity"),
            # One open reservation per person and item; claiming more adds to it.
            models.UniqueConstraint(
                fields=["item", "claimer"],
                condition=Q(status="reserved"),
                name="wishlists_claim_one_reserved",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "reserved_at"], name="wishlists_claim_open"),
            models.Index(fields=["claimer", "status"], name="wishlists_claim_claimer"),
        ]

    def __str__(self) -> str:
        return f"Claim #{self.pk} ({self.status})"


class ItemVote(models.Model):
    """VOTER's 👍 (UP) or 👎 on ITEM of a list they were asked about: one per person and item,
    changed or removed by them."""

    item = models.ForeignKey(WishlistItem, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    up = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "voter"], name="wishlists_vote_once"),
        ]
        indexes = [models.Index(fields=["voter"], name="wishlists_vote_voter")]

    def __str__(self) -> str:
        return f"Vote #{self.pk} ({'up' if self.up else 'down'})"


class ItemComment(models.Model):
    """AUTHOR's comment on ITEM of a list they were asked about; deleted by them or by the
    list's owner."""

    item = models.ForeignKey(WishlistItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["item", "created_at"], name="wishlists_comment_item"),
            models.Index(fields=["author"], name="wishlists_comment_author"),
        ]

    def __str__(self) -> str:
        return f"Comment #{self.pk} on item #{self.item_id}"
