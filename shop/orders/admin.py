"""Orders in Django admin, for the operator and for merchant staff.

Orders are read-only here: status changes only through the actions, which call
shop.orders.services (mark shipped with a tracking number, refund, mark delivered) and
report a DomainError's message when a change is not allowed.

Merchant staff see only the orders holding a line of a merchant they manage, and within
them only their own lines, shipments and refunds (selectors.order_list_for_staff and
catalog's merchants_of_user), not the order's money totals. They ship and refund for their
merchant only; operators (superusers) see and do everything. Staff need no permission on
the order models: being in the merchant staff group is what gives access.
"""

from functools import partial

from django import forms
from django.contrib import admin
from django.db.models import Sum
from django.utils.html import format_html, format_html_join

from shop.catalog.selectors import merchants_of_user
from shop.core.admin import (
    ActionPage,
    ActionPageMixin,
    MoneyAdminMixin,
    ReadOnlyAdminMixin,
    ReadOnlyTabularInline,
    SuperuserOnlyAdmin,
)
from shop.core.money import money_format
from shop.core.money_fields import MoneyField
from shop.orders import selectors, services
from shop.orders.models import (
    Fulfilment,
    Order,
    OrderLine,
    OrderRefund,
    OrderTransition,
    ShippingMethod,
)

# Given to the "Merchant staff" group by shop.catalog (MERCHANT_STAFF_PERMISSIONS).
MERCHANT_STAFF_PERMISSION = "catalog.view_product"


def _can_see_orders(request) -> bool:
    """Operators, and merchant staff (members of catalog's "Merchant staff" group).

    Read from the permissions Django already loaded for the request (no query: the admin
    asks on every page, for its menu). What a member then sees is cut to the orders of
    the merchants they manage by get_queryset, and every action re-checks the merchant.
    """
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.has_perm(MERCHANT_STAFF_PERMISSION)


class _OrdersReadOnly(ReadOnlyAdminMixin):
    """Visible to whoever may see orders; added, changed and deleted by services only."""

    def has_module_permission(self, request) -> bool:
        return _can_see_orders(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _can_see_orders(request)


def _money(amount: int | None, currency: str = "") -> str:
    return money_format(amount, currency=currency or None)


class _MerchantScopedInline(_OrdersReadOnly, ReadOnlyTabularInline):
    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("merchant")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(merchant__in=merchants_of_user(user=request.user))


class OrderLineInline(_MerchantScopedInline):
    model = OrderLine
    fields = [
        "merchant",
        "product_title",
        "variant_name",
        "sku",
        "unit_price_display",
        "quantity",
        "line_total_display",
    ]
    verbose_name_plural = "Lines"

    @admin.display(description="Unit price")
    def unit_price_display(self, line: OrderLine) -> str:
        return _money(line.unit_price)

    @admin.display(description="Line total")
    def line_total_display(self, line: OrderLine) -> str:
        return _money(line.line_total)


class FulfilmentInline(_MerchantScopedInline):
    model = Fulfilment
    fields = ["merchant", "carrier", "tracking_number", "shipped_at", "shipped_by"]
    verbose_name_plural = "Shipments"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("shipped_by")


class OrderRefundInline(_MerchantScopedInline):
    model = OrderRefund
    fields = ["created_at", "amount_display", "reason", "merchant", "by"]
    verbose_name_plural = "Refunds"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    @admin.display(description="Amount")
    def amount_display(self, refund: OrderRefund) -> str:
        return _money(refund.amount)


# Steps one merchant takes: the note names its carrier and tracking number, or its refund
# reason, and `by` is one of its staff. A transition does not record its merchant, so merchant
# staff see who and why only for the order's own steps (placed, paid, cancelled, delivered...);
# their own shipments and refunds are in the inlines above, cut to their merchants.
MERCHANT_STEPS = {
    Order.Status.PARTIALLY_FULFILLED,
    Order.Status.FULFILLED,
    Order.Status.REFUNDED,
}


class OrderTransitionInline(_OrdersReadOnly, ReadOnlyTabularInline):
    model = OrderTransition
    fields = ["created_at", "from_label", "to_label", "by", "note"]
    staff_fields = ["created_at", "from_label", "to_label", "by_for_staff", "note_for_staff"]
    verbose_name_plural = "History"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def get_fields(self, request, obj=None):
        return self.fields if request.user.is_superuser else self.staff_fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="From")
    def from_label(self, transition: OrderTransition) -> str:
        return transition.from_label

    @admin.display(description="To")
    def to_label(self, transition: OrderTransition) -> str:
        return transition.to_label

    @admin.display(description="By")
    def by_for_staff(self, transition: OrderTransition) -> str:
        if transition.to_status in MERCHANT_STEPS or transition.by is None:
            return "—"
        return str(transition.by)

    @admin.display(description="Note")
    def note_for_staff(self, transition: OrderTransition) -> str:
        if transition.to_status in MERCHANT_STEPS:
            return "—"
        return transition.note


class ShipForm(forms.Form):
    tracking_number = forms.CharField(max_length=100)
    carrier = forms.CharField(max_length=80, required=False)


class RefundForm(forms.Form):
    amount = MoneyField(
        label="Amount", min_value=1, error_messages={"min_value": "Enter an amount above zero."}
    )
    reason = forms.CharField(max_length=200, required=False)


class OrderAdmin(_OrdersReadOnly, ActionPageMixin, admin.ModelAdmin):
    list_display = ["number", "created_at", "email", "status", "total_display", "paid_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["number", "email"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, FulfilmentInline, OrderRefundInline, OrderTransitionInline]
    actions = ["mark_shipped", "refund", "mark_delivered"]
    list_per_page = 50

    def get_queryset(self, request):
        return selectors.order_list_for_staff(user=request.user)

    def get_list_display(self, request):
        # The order's total includes other merchants' lines: staff see their own lines only.
        if request.user.is_superuser:
            return self.list_display
        return [name for name in self.list_display if name != "total_display"]

    def get_fieldsets(self, request, obj=None):
        ship_to = [
            "ship_full_name",
            "ship_line1",
            "ship_line2",
            ("ship_postal_code", "ship_city", "ship_country"),
            "ship_phone",
            "ship_to_label",
            "shipping_method_name",
        ]
        if not request.user.is_superuser:
            # The order's totals include other merchants' lines: staff see their own part.
            return [
                (None, {"fields": ["number", "status", "email", "created_at", "paid_at"]}),
                ("Money", {"fields": ["merchant_totals"]}),
                ("Ship to", {"fields": ship_to}),
            ]
        return [
            (
                None,
                {"fields": ["number", "status", "email", "customer", "created_at", "paid_at"]},
            ),
            ("Money", {"fields": ["totals"]}),
            ("Ship to", {"fields": ship_to}),
            (
                "Payment",
                {
                    "fields": ["payment_attempts", "expires_at", "expired_at"],
                    "classes": ["collapse"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [
            name
            for _, options in self.get_fieldsets(request, obj)
            for entry in options["fields"]
            for name in (entry if isinstance(entry, tuple) else (entry,))
        ]

    @admin.display(description="Totals")
    def totals(self, order: Order) -> str:
        currency = order.currency
        rows = [("Subtotal", _money(order.subtotal, currency), "")]
        if order.discount_total:
            label = f"Discount ({order.discount_code})" if order.discount_code else "Discount"
            rows.append((label, _minus(order.discount_total, currency), ""))
        rows.append(
            (f"Shipping ({order.shipping_method_name})", _money(order.shipping_total, currency), "")
        )
        rows.append(("Total", _money(order.total, currency), "agora-totals__total"))
        # The VAT the total includes, as recorded when the order was placed and worded as the
        # storefront's order page words it (templates/checkout/totals.html); no row at 0%.
        if order.vat_rate is None:
            rows.append(("Includes VAT", "Not recorded", "agora-totals__vat"))
        elif order.vat_rate:
            label = f"Includes VAT ({order.vat_rate_label})"
            rows.append((label, _money(order.vat_total, currency), "agora-totals__vat"))
        if order.amount_refunded:
            rows.append(("Refunded", _minus(order.amount_refunded, currency), ""))
        refundable = selectors.order_refundable_amount(order=order)
        rows.append(("Refundable", _money(refundable, currency), "agora-totals__note"))
        return _totals_table(rows)

    @admin.display(description="Your lines")
    def merchant_totals(self, order: Order) -> str:
        rows = []
        merchants = selectors.order_merchants_for_staff(order=order, user=order.admin_user)
        for merchant in merchants:
            lines = order.lines.filter(merchant=merchant).aggregate(value=Sum("line_total"))
            refunded = order.refunds.filter(merchant=merchant).aggregate(value=Sum("amount"))
            refundable = selectors.order_refundable_amount(order=order, merchant=merchant)
            rows += [
                (f"Lines of {merchant.name}", _money(lines["value"] or 0, order.currency), ""),
                ("Refunded", _minus(refunded["value"] or 0, order.currency), ""),
                ("Refundable", _money(refundable, order.currency), "agora-totals__total"),
            ]
        return _totals_table(rows)

    def get_object(self, request, object_id, from_field=None):
        order = super().get_object(request, object_id, from_field)
        if order is not None:
            # Display methods get the object, not the request: merchant_totals needs to know
            # whose lines to sum. (On the object, not the admin, which all requests share.)
            order.admin_user = request.user
        return order

    @admin.display(description="Total", ordering="total")
    def total_display(self, order: Order) -> str:
        return _money(order.total, order.currency)

    # --- actions ---------------------------------------------------------------------------

    @admin.action(description="Mark shipped (asks for tracking numbers)")
    def mark_shipped(self, request, queryset):
        def describe(order: Order) -> dict:
            merchants = selectors.order_merchants_for_staff(order=order, user=request.user)
            return {
                **_order_label(order),
                "hint": ", ".join(merchant.name for merchant in merchants),
                "extra": {"merchants": merchants},
            }

        rows = self.action_rows(
            request, queryset.order_by("pk"), form_class=ShipForm, describe=describe
        )
        page = ActionPage(
            action="mark_shipped",
            title="Mark shipped",
            intro="Give each parcel's tracking number: the shopper is emailed it.",
            hint_label="Lines of",
            submit="Mark shipped",
        )
        if (response := self.action_page_or_none(request, page=page, rows=rows)) is not None:
            return response
        for row in rows:
            order, data = row.obj, row.form.cleaned_data
            for merchant in row.extra["merchants"]:
                self.action_step(
                    request,
                    label=f"Order {order.number}",
                    step=partial(_ship, order, merchant, data, by=request.user),
                )
        return None

    @admin.action(description="Refund (asks for amounts)")
    def refund(self, request, queryset):
        def describe(order: Order) -> dict:
            merchant = None
            if not request.user.is_superuser:
                # Staff refund for their merchant (the first, should they manage several
                # of the merchants in one order).
                merchants = selectors.order_merchants_for_staff(order=order, user=request.user)
                merchant = merchants[0] if merchants else None
            limit = selectors.order_refundable_amount(order=order, merchant=merchant)
            return {
                **_order_label(order),
                "hint": f"up to {_money(limit, order.currency)}",
                "extra": {"merchant": merchant},
            }

        rows = self.action_rows(
            request, queryset.order_by("pk"), form_class=RefundForm, describe=describe
        )
        page = ActionPage(
            action="refund",
            title="Refund",
            intro="The amount goes back to the shopper's card and they are emailed.",
            hint_label="Refundable",
            submit="Refund",
        )
        if (response := self.action_page_or_none(request, page=page, rows=rows)) is not None:
            return response
        for row in rows:
            self.action_step(
                request,
                label=f"Order {row.obj.number}",
                step=partial(
                    _refund, row.obj, row.form.cleaned_data, row.extra["merchant"], by=request.user
                ),
            )
        return None

    @admin.action(description="Mark delivered")
    def mark_delivered(self, request, queryset):
        for order in queryset.order_by("pk"):
            self.action_step(
                request,
                label=f"Order {order.number}",
                step=partial(_deliver, order, by=request.user),
            )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            # Delivery is the whole order's, not one merchant's, to record.
            actions.pop("mark_delivered", None)
        return actions


def _minus(amount: int, currency: str) -> str:
    """An amount taken off, '−€5.00' (a true minus sign); nothing taken off is '€0.00'."""
    return f"−{_money(amount, currency)}" if amount else _money(0, currency)


def _totals_table(rows: list[tuple[str, str, str]]) -> str:
    """Render (label, amount, row class) rows as the two-column table of a totals block."""
    body = format_html_join(
        "",
        '<tr class="{}"><th scope="row">{}</th><td>{}</td></tr>',
        ((css, label, amount) for label, amount, css in rows),
    )
    return format_html('<table class="agora-totals"><tbody>{}</tbody></table>', body)


def _order_label(order: Order) -> dict:
    return {"label": order.number, "sublabel": order.get_status_display()}


def _ship(order: Order, merchant, data: dict, *, by) -> str:
    services.order_fulfil(
        order=order,
        merchant=merchant,
        tracking_number=data["tracking_number"],
        carrier=data["carrier"],
        by=by,
    )
    return (
        f"Order {order.number}: {merchant.name}'s lines marked shipped, "
        f"tracking number {data['tracking_number']}. The shopper is emailed."
    )


def _refund(order: Order, data: dict, merchant, *, by) -> str:
    services.order_refund(
        order=order, amount=data["amount"], reason=data["reason"], by=by, merchant=merchant
    )
    return (
        f"Order {order.number}: refunded {_money(data['amount'], order.currency)}"
        f" ({order.get_status_display().lower()}). The shopper is emailed."
    )


def _deliver(order: Order, *, by) -> str:
    services.order_mark_delivered(order=order, by=by)
    return f"Order {order.number} marked delivered."


class ShippingMethodAdmin(MoneyAdminMixin, SuperuserOnlyAdmin):
    money_fields = ("price",)
    list_display = ["name", "code", "price_display", "is_active", "position"]
    list_editable = ["is_active", "position"]
    prepopulated_fields = {"code": ["name"]}

    @admin.display(description="Price", ordering="price")
    def price_display(self, method: ShippingMethod) -> str:
        return _money(method.price)


admin.site.register(Order, OrderAdmin)
admin.site.register(ShippingMethod, ShippingMethodAdmin)
