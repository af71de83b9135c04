"""Payments know amounts, currencies and references (e.g. "order:AG7K2M9Q"), never orders."""

from django.db import models

from shop.core.money import money_format


class Payment(models.Model):
    """One attempt to collect an amount through a gateway.

    The idempotency key is derived by the caller from what is being paid and the attempt
    number (e.g. "order:AG7K2M9Q:attempt:2"): sending the same attempt twice finds this row
    instead of charging twice, whatever the gateway does with its own key.
    """

    class Status(models.TextChoices):
        REQUIRES_PAYMENT_METHOD = "requires_payment_method", "Waiting for a card"
        REQUIRES_ACTION = "requires_action", "Waiting for the card holder's confirmation"
        PROCESSING = "processing", "Processing"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Cancelled"

    gateway = models.CharField(max_length=20)
    gateway_payment_id = models.CharField(
        "gateway payment ID", max_length=255, blank=True, db_index=True
    )
    reference = models.CharField(max_length=100, db_index=True)
    idempotency_key = models.CharField(max_length=255, unique=True)
    amount = models.PositiveIntegerField(help_text="Minor units.")
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=30, choices=Status.choices, default=Status.REQUIRES_PAYMENT_METHOD
    )
    amount_refunded = models.PositiveIntegerField(default=0)
    client_secret = models.CharField(max_length=255, blank=True)
    error_code = models.CharField(max_length=100, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    card_last4 = models.CharField("card's last 4 digits", max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "gateway_payment_id"],
                condition=~models.Q(gateway_payment_id=""),
                name="payments_payment_gateway_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__lte=models.F("amount")),
                name="payments_payment_refund_not_above_amount",
            ),
        ]

    def __str__(self) -> str:
        amount = money_format(self.amount, currency=self.currency)
        return f"{self.reference} {amount} ({self.get_status_display()})"

    @property
    def amount_refundable(self) -> int:
        return self.amount - self.amount_refunded if self.status == self.Status.SUCCEEDED else 0


def payment_status_label(status: str) -> str:
    """Return a payment status's label ("Waiting for a card"): "—" for none, the code itself
    if it is no longer a choice."""
    if not status:
        return "—"
    try:
        return Payment.Status(status).label
    except ValueError:
        return status


class PaymentTransition(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("from", max_length=30)
    to_status = models.CharField("to", max_length=30)
    source = models.CharField(max_length=50, help_text="e.g. 'checkout', 'webhook evt_123'.")
    created_at = models.DateTimeField("when", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        if not self.from_status:  # the payment's first status
            return self.to_label
        return f"{self.from_label} → {self.to_label}"

    @property
    def from_label(self) -> str:
        return payment_status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return payment_status_label(self.to_status)


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=255, unique=True)
    gateway_refund_id = models.CharField("gateway refund ID", max_length=255, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField("when", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Refund of {money_format(self.amount)} on payment {self.payment_id}"


class WebhookEvent(models.Model):
    """Every gateway event, stored by its id before it is applied, so it is applied once."""

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "event_id"], name="payments_webhookevent_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.event_id} ({self.type})"


class FakeCharge(models.Model):
    """The fake gateway's own ledger (what Stripe would keep on its side), local default only."""

    idempotency_key = models.CharField(max_length=255, unique=True)
    fake_id = models.CharField(max_length=40, unique=True)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=30)
    card_last4 = models.CharField(max_length=4, blank=True)
    amount_refunded = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.fake_id
