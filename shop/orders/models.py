"""Orders: what was bought, at what price, shipped where, and every state it went through."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from shop.core.money import money_format
from shop.orders.vat import vat_rate_label

# Unambiguous letters and digits (no 0/O, 1/I/L): an order number is read out on the phone.
_NUMBER_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def order_number_new() -> str:
    """A random, not guessable order number such as AG-7K2M9QX4TB (about 50 bits)."""
    return "AG-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(10))


class ShippingMethod(models.Model):
    name = models.CharField(max_length=80)
    code = models.SlugField(max_length=40, unique=True)
    description = models.CharField(max_length=200, blank=True)
    price = models.PositiveIntegerField(help_text="In cents (minor units).")
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "price"]

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "Waiting for payment"
        PAID = "paid", "Paid"
        PARTIALLY_FULFILLED = "partially_fulfilled", "Partly shipped"
        FULFILLED = "fulfilled", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    number = models.CharField(max_length=20, unique=True, default=order_number_new)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    email = models.EmailField()
    status = models.CharField(
        max_length=30, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    currency = models.CharField(max_length=3)
    subtotal = models.PositiveIntegerField()
    discount_total = models.PositiveIntegerField("discount", default=0)
    shipping_total = models.PositiveIntegerField("shipping", default=0)
    total = models.PositiveIntegerField()
    # VAT included in the total, as it was when the order was placed (shop.orders.vat): the
    # store's rate in basis points (2100 = 21%) and the amount in cents. A later change of
    # settings.STORE_VAT_RATE_BASIS_POINTS changes no order. Null on orders placed before VAT
    # was recorded: their rate is not known, so no amount is made up for them.
    vat_rate = models.PositiveIntegerField(
        null=True, blank=True, help_text="Basis points: 2100 is 21%. Empty: not recorded."
    )
    vat_total = models.PositiveIntegerField(
        null=True, blank=True, help_text="VAT included in the total, in cents."
    )
    amount_refunded = models.PositiveIntegerField("refunded", default=0)
    discount_code = models.CharField(max_length=40, blank=True)
    discount = models.ForeignKey(
        "cart.DiscountCode", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The cart the order came from: placing a new order from it cancels the older unpaid one.
    cart_token = models.CharField(max_length=64, blank=True, db_index=True)
    # Where the shopper came from, opaque to the shop (shop.orders.attribution): another app
    # wrote it into the session ("share:…") and reads it back from the order's events.
    attribution = models.CharField(max_length=100, blank=True)
    # Shipping address and method, copied: later edits of a saved address change no order.
    ship_full_name = models.CharField("full name", max_length=120)
    ship_line1 = models.CharField("address line 1", max_length=200)
    ship_line2 = models.CharField("address line 2", max_length=200, blank=True)
    ship_postal_code = models.CharField("postal code", max_length=20)
    ship_city = models.CharField("city", max_length=100)
    ship_country = models.CharField("country", max_length=2)
    ship_phone = models.CharField("phone", max_length=40, blank=True)
    # Set when the buyer shipped to an address they never see (shop.orders.destinations: a
    # friend's registry address): what the buyer reads instead of the address, everywhere.
    ship_to_label = models.CharField(
        "shipped to (as the buyer reads it)",
        max_length=120,
        blank=True,
        help_text="A gift sent to an address the buyer does not see, e.g. “Ana's registry "
        "address”. The address above is the real one: ship to it.",
    )
    shipping_method_name = models.CharField("shipping method", max_length=80)
    shipping_method = models.ForeignKey(
        ShippingMethod, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    payment_attempts = models.PositiveIntegerField(default=0)
    # The payment that paid the order (set once, by services.order_mark_paid).
    payment = models.ForeignKey(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # True once the order's stock went back to the shelf (cancel or expiry); never twice.
    stock_released = models.BooleanField(default=False)
    # True while the order counts as one use of its discount code: set when placed, cleared
    # when a cancel or expiry gives the use back (so a shopper who re-places their order,
    # or whose order expired, can use a single-use code again).
    discount_counted = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set when the order was cancelled because it was not paid in time (not by a person):
    # a payment that still succeeds afterwards may revive such an order.
    expired_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=models.F("total")),
                name="orders_order_refund_not_above_total",
            ),
            models.CheckConstraint(
                condition=Q(vat_total__lte=models.F("total")),
                name="orders_order_vat_not_above_total",
            ),
            # Recorded together or not at all.
            models.CheckConstraint(
                condition=Q(vat_rate__isnull=True, vat_total__isnull=True)
                | Q(vat_rate__isnull=False, vat_total__isnull=False),
                name="orders_order_vat_rate_with_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/orders/{self.number}/"

    @property
    def address_hidden(self) -> bool:
        """Whether the buyer may not see the address (a gift to a friend's hidden address)."""
        return bool(self.ship_to_label)

    @property
    def greeting_name(self) -> str:
        """Who the buyer's emails greet: the name on the address, unless it is hidden."""
        return "there" if self.address_hidden else self.ship_full_name

    @property
    def payment_reference(self) -> str:
        return f"order:{self.number}"

    @property
    def payment_hold_minutes(self) -> int | None:
        """How many minutes after it was placed the order kept its items for payment."""
        if self.expires_at is None or self.created_at is None:
            return None
        return max(0, round((self.expires_at - self.created_at).total_seconds() / 60))

    @property
    def vat_rate_label(self) -> str:
        """'21%', or '' when the order's VAT was not recorded."""
        return "" if self.vat_rate is None else vat_rate_label(self.vat_rate)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(
        "catalog.Variant", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_title = models.CharField("product", max_length=200)
    product_slug = models.CharField(max_length=220)
    variant_name = models.CharField("variant", max_length=120)
    sku = models.CharField("SKU", max_length=64)
    unit_price = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField()
    line_total = models.PositiveIntegerField()

    class Meta:
        ordering = ["merchant_id", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_title} ({self.variant_name})"


class Fulfilment(models.Model):
    """One merchant's shipment of its lines of an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfilments")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.PROTECT, related_name="+")
    carrier = models.CharField(max_length=80, blank=True)
    tracking_number = models.CharField(max_length=100)
    shipped_at = models.DateTimeField(auto_now_add=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["shipped_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "merchant"], name="orders_fulfilment_one_per_merchant"
            )
        ]

    def __str__(self) -> str:
        return f"Shipment {self.tracking_number}"


class OrderTransition(models.Model):
    """The order's history: every status change, who made it and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("from", max_length=30)
    to_status = models.CharField("to", max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField("when", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        if not self.from_status:  # the step that placed the order
            return self.to_label
        return f"{self.from_label} → {self.to_label}"

    @property
    def from_label(self) -> str:
        return order_status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return order_status_label(self.to_status)


class OrderRefund(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    amount = models.PositiveIntegerField()
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The merchant whose lines are refunded when merchant staff refund (they may refund at
    # most the value of their own lines); empty for a refund by the operator.
    merchant = models.ForeignKey(
        "catalog.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_refund = models.ForeignKey(
        "payments.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("when", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Refund of {money_format(self.amount)}"


def order_status_label(status: str) -> str:
    """Return an order status's label ("Waiting for payment"): "—" for none (the step that
    placed the order came from no status), the code itself if it is no longer a choice."""
    if not status:
        return "—"
    try:
        return Order.Status(status).label
    except ValueError:
        return status


class OrderNotification(models.Model):
    """An email sent about an order, recorded so a task that runs twice sends it once."""

    class Kind(models.TextChoices):
        PLACED = "placed", "Order placed"
        PAID = "paid", "Order paid"
        SHIPPED = "shipped", "Order shipped"
        REFUNDED = "refunded", "Order refunded"
        PAYMENT_RETURNED = "payment_returned", "Late payment returned"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What within the order it is about (a fulfilment's or a refund's id), "" for the order.
    key = models.CharField(max_length=40, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "key"], name="orders_notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.key}"
