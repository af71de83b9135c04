"""Payments in Django admin: read-only, for the operator to look up what happened.

Nothing here changes a payment: statuses move only through shop.payments.services (refunds
are made from the order's admin, which calls the orders service).
"""

import json

from django.contrib import admin
from django.utils.html import format_html

from shop.core.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline
from shop.core.money import money_format
from shop.payments.models import Payment, PaymentTransition, Refund, WebhookEvent


class PaymentTransitionInline(ReadOnlyTabularInline):
    model = PaymentTransition
    fields = ["created_at", "from_label", "to_label", "source"]

    @admin.display(description="From")
    def from_label(self, transition: PaymentTransition) -> str:
        return transition.from_label

    @admin.display(description="To")
    def to_label(self, transition: PaymentTransition) -> str:
        return transition.to_label


class RefundInline(ReadOnlyTabularInline):
    model = Refund
    fields = ["created_at", "amount_display", "reason", "gateway_refund_id", "idempotency_key"]

    @admin.display(description="Amount")
    def amount_display(self, refund: Refund) -> str:
        return money_format(refund.amount, currency=refund.payment.currency)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("payment")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "amount_display", "status", "gateway", "created_at"]
    list_filter = ["status", "gateway", "currency", "created_at"]
    search_fields = ["reference", "gateway_payment_id", "idempotency_key"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "reference",
        "status",
        "amount_display",
        "refunded_display",
        "currency",
        "gateway",
        "gateway_payment_id",
        "idempotency_key",
        "card_last4",
        "error_code",
        "error_message",
        "created_at",
        "updated_at",
    ]
    inlines = [PaymentTransitionInline, RefundInline]

    @admin.display(description="amount", ordering="amount")
    def amount_display(self, obj: Payment) -> str:
        return money_format(obj.amount, currency=obj.currency)

    @admin.display(description="refunded")
    def refunded_display(self, obj: Payment) -> str:
        return money_format(obj.amount_refunded, currency=obj.currency)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["event_id", "gateway", "type", "received_at", "processed_at"]
    list_filter = ["gateway", "type", "received_at"]
    search_fields = ["event_id"]
    date_hierarchy = "received_at"
    ordering = ["-received_at", "-id"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["gateway", "event_id", "type", "received_at", "processed_at", "payload_display"]

    @admin.display(description="payload")
    def payload_display(self, obj: WebhookEvent) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, sort_keys=True))
