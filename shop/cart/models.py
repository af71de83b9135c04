import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper


def cart_token_new() -> str:
    return secrets.token_urlsafe(24)


class Cart(models.Model):
    """A shopper's cart. A signed-in shopper has one (by user); a visitor's cart is found
    through the token kept in their session. Prices are never stored here: they are read
    from the variants every time the cart is shown or checked out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
    )
    token = models.CharField(max_length=64, unique=True, default=cart_token_new)
    discount_code = models.ForeignKey(
        "cart.DiscountCode", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Cart {self.pk} ({self.user or 'visitor'})"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_line_unique_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_line_quantity_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


class DiscountCode(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", "Percentage off"
        FIXED = "fixed", "Fixed amount off"

    code = models.CharField(max_length=40, help_text="What shoppers type; case does not matter.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.PositiveIntegerField(
        help_text="Percent (1-100) for a percentage, minor units (cents) for a fixed amount."
    )
    min_subtotal = models.PositiveIntegerField(
        "minimum spend", default=0, help_text="Minimum spend in cents."
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    usage_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many orders may use it; empty for no limit."
    )
    # Changed only by a conditional UPDATE (times_used < usage_limit) when an order is placed.
    times_used = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Upper("code"), name="cart_discountcode_code_ci_unique"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__gte=1, value__lte=100),
                name="cart_discountcode_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(times_used__lte=models.F("usage_limit")),
                name="cart_discountcode_used_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code
