"""Group gift pools: an organiser collects money from friends (and guests with the link)
towards one gift for a recipient, up to a target.

Money is in integer minor units (cents). `collected` is the sum of the succeeded
contributions and `reserved` the sum of those still pending payment; both change only in
services, under the pool's row lock or by conditional UPDATEs, and the database refuses
collected + reserved > target. A pool changes state only through services.pool_transition,
which records a PoolTransition.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from shop.core.visibility import Visibility

# Who may see a pool: never "only me" (a pool is there to be shared).
POOL_VISIBILITIES = [Visibility.FRIENDS, Visibility.LINK, Visibility.PUBLIC]


POOL_STATES = [
    "open",
    "funded",
    "ordered",
    "shipped",
    "delivered",
    "expired",
    "cancelled",
    "refunded",
]


def pool_token_new() -> str:
    return secrets.token_urlsafe(16)


class Pool(models.Model):
    class Rule(models.TextChoices):
        ANY = "any", "Any amount"
        SUGGESTED = "suggested", "A suggested amount"
        EQUAL_SHARE = "equal_share", "An equal share"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        FUNDED = "funded", "Funded"
        ORDERED = "ordered", "Ordered"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The recipient: a member, or only a name (someone not on Agora).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_name = models.CharField(max_length=120, blank=True)
    # What the pool buys: a wish from a list, a variant (with how it is shipped), or nothing
    # (a free amount).
    wishlist_item = models.ForeignKey(
        "wishlists.WishlistItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    variant = models.ForeignKey(
        "catalog.Variant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipping_method = models.ForeignKey(
        "orders.ShippingMethod",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target = models.PositiveIntegerField(help_text="Minor units (cents).")
    collected = models.PositiveIntegerField(default=0, help_text="Succeeded contributions.")
    reserved = models.PositiveIntegerField(default=0, help_text="Contributions pending payment.")
    currency = models.CharField(max_length=3)
    deadline = models.DateTimeField()
    message = models.CharField(max_length=1000, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    token = models.CharField(max_length=32, unique=True, default=pool_token_new)
    rule = models.CharField(max_length=12, choices=Rule.choices, default=Rule.ANY)
    minimum = models.PositiveIntegerField(default=100, help_text="Minor units (cents).")
    suggested_amount = models.PositiveIntegerField(null=True, blank=True)
    invited_count = models.PositiveIntegerField(default=0)
    show_amounts = models.BooleanField(default=True)
    auto_order = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    extended_once = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # When the pool last stopped taking money (expired or cancelled): refunds start when the
    # organiser has done nothing for POOL_REFUND_AFTER_DAYS since.
    closed_at = models.DateTimeField(null=True, blank=True)
    # Where the gift goes. Copied when the pool is opened: from the recipient's wishlist (the
    # organiser and contributors read only SHIP_TO_LABEL, e.g. "Ana's registry address"), or
    # as given by the organiser. Empty until someone gives it (a free-amount pool).
    ship_full_name = models.CharField(max_length=120, blank=True)
    ship_line1 = models.CharField(max_length=200, blank=True)
    ship_line2 = models.CharField(max_length=200, blank=True)
    ship_postal_code = models.CharField(max_length=20, blank=True)
    ship_city = models.CharField(max_length=100, blank=True)
    ship_country = models.CharField(max_length=2, blank=True)
    ship_phone = models.CharField(max_length=30, blank=True)
    ship_to_label = models.CharField(max_length=120, blank=True)
    # The wishlist claim the pool holds on its wish (the owner never sees it), and the order
    # placed from the pool's money once funded.
    claim = models.ForeignKey(
        "wishlists.Claim", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organiser", "-created_at"], name="pools_organiser_recent"),
            models.Index(fields=["state", "deadline"], name="pools_state_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="pools_target_positive"),
            models.CheckConstraint(condition=Q(collected__gte=0), name="pools_collected_gte_0"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="pools_reserved_gte_0"),
            models.CheckConstraint(
                condition=Q(collected__lte=F("target") - F("reserved")),
                name="pools_within_target",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=[v.value for v in POOL_VISIBILITIES]),
                name="pools_visibility_shared",
            ),
            models.CheckConstraint(condition=Q(state__in=POOL_STATES), name="pools_state_valid"),
        ]

    def __str__(self) -> str:
        return f"Pool #{self.pk} ({self.state})"

    @property
    def remaining(self) -> int:
        """What may still be reserved: the target less what is collected or held."""
        return max(self.target - self.collected - self.reserved, 0)


class Contribution(models.Model):
    """An amount chipped in by a member (CONTRIBUTOR) or a guest (GUEST_NAME, GUEST_EMAIL):
    reserved while its payment is pending (until RESERVED_UNTIL), then succeeded, or
    released (abandoned or expired); a succeeded one may be refunded (REFUNDED_AMOUNT)."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "Reserved"
        SUCCEEDED = "succeeded", "Succeeded"
        RELEASED = "released", "Released"
        REFUNDED = "refunded", "Refunded"

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="contributions")
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guest_name = models.CharField(max_length=120, blank=True)
    guest_email = models.EmailField(blank=True)
    amount = models.PositiveIntegerField(help_text="Minor units (cents).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RESERVED)
    hide_name = models.BooleanField(default=False)
    message = models.CharField(max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    reserved_until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    refunded_amount = models.PositiveIntegerField(default=0)
    # The latest payment attempt (shop.payments), reference "pool-contribution:<id>".
    payment = models.ForeignKey(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pools_contribution_positive"),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=F("amount")), name="pools_refund_within_amount"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["reserved", "succeeded", "released", "refunded"]),
                name="pools_contribution_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "reserved_until"], name="pools_contribution_pending"),
            models.Index(fields=["contributor", "status"], name="pools_contribution_person"),
        ]

    def __str__(self) -> str:
        return f"Contribution #{self.pk} ({self.status})"


class PoolRefund(models.Model):
    """Money owed back to one contribution (the pool closed, expired or switched to a cheaper
    gift): made through the gateway once per IDEMPOTENCY_KEY, retried with backoff while the
    gateway fails, never dropped. One refused for good or failing too often NEEDS_OPERATOR
    (gifting.pools.refunds); operators see the failed ones and can retry them."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DONE = "done", "Refunded"
        FAILED = "failed", "Failed, will retry"
        # The gateway refused it for good, or it failed POOL_REFUND_MAX_ATTEMPTS times: no
        # longer retried on its own; operators are told and retry it from the admin.
        NEEDS_OPERATOR = "operator", "Needs an operator"

    contribution = models.ForeignKey(Contribution, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveIntegerField(help_text="Minor units (cents).")
    reason = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)
    refund = models.ForeignKey(
        "payments.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="pools_refund_due")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pools_refund_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "done", "failed", "operator"]),
                name="pools_refund_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Refund #{self.pk} of contribution {self.contribution_id} ({self.status})"


class PoolGuestEmail(models.Model):
    """A guest's email (KIND, for one delivery: DIGEST of its context) claimed by the task that
    sends it: inserted in the transaction that sends, so a second delivery finds it and sends
    nothing, and a send that fails (or a worker that dies) leaves no row and the retry sends.
    Nothing personal here: the address stays on the contribution (erased there)."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    digest = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "kind", "digest"], name="pools_guest_email_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} email to the guest of contribution {self.contribution_id}"


class PoolInvitation(models.Model):
    """Someone asked to chip in: a member (INVITEE, picked among the organiser's friends) or an
    email address. An invitation lets its holder open the pool whatever its visibility; its
    TOKEN is in the invitation email's link."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(blank=True)
    token = models.CharField(max_length=32, unique=True, default=pool_token_new)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "invitee"],
                condition=Q(invitee__isnull=False),
                name="pools_invitation_member_once",
            ),
            models.UniqueConstraint(
                fields=["pool", "email"], condition=~Q(email=""), name="pools_invitation_email_once"
            ),
            models.CheckConstraint(
                condition=Q(invitee__isnull=False) | ~Q(email=""),
                name="pools_invitation_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to pool {self.pool_id}"


class PoolTransition(models.Model):
    """The pool's history: every state change, who made it (None: the system) and when; also
    the gift chosen for a pool for an amount already funded (funded -> funded, its note)."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField("from", max_length=10)
    to_state = models.CharField("to", max_length=10)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField("when", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"
