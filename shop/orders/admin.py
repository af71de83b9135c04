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

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template import engines
from django.template.response import TemplateResponse

from shop.catalog.selectors import merchants_of_user
from shop.core.admin import SuperuserOnlyAdmin
from shop.core.errors import DomainError
from shop.core.money import money_format, money_parse_major
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


class _OrdersReadOnly:
    """Visible to whoever may see orders; added, changed and deleted by services only."""

    def has_module_permission(self, request) -> bool:
        return _can_see_orders(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _can_see_orders(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _money(amount: int | None, currency: str = "") -> str:
    return money_format(amount, currency=currency or None)


class _MerchantScopedInline(_OrdersReadOnly, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

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
    readonly_fields = fields
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
    readonly_fields = fields
    verbose_name_plural = "Shipments"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("shipped_by")


class OrderRefundInline(_MerchantScopedInline):
    model = OrderRefund
    fields = ["created_at", "amount_display", "reason", "merchant", "by"]
    readonly_fields = fields
    verbose_name_plural = "Refunds"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    @admin.display(description="Amount")
    def amount_display(self, refund: OrderRefund) -> str:
        return _money(refund.amount)


class OrderTransitionInline(_OrdersReadOnly, admin.TabularInline):
    model = OrderTransition
    fields = ["created_at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "History"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


# --- the intermediate pages of the actions ------------------------------------------------------

# Rendered from this string (extending the admin's own base) so the admin needs no template
# folder of its own; one row per selected order, each with its own prefixed form.
_ACTION_PAGE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}
{% block title %}{{ title }} | {{ site_title|default:"Django site admin" }}{% endblock %}
{% block breadcrumbs %}<div class="breadcrumbs"><a href="{% url 'admin:index' %}">Home</a>
&rsaquo; <a href="{% url 'admin:orders_order_changelist' %}">Orders</a> &rsaquo; {{ title }}</div>
{% endblock %}
{% block content %}
<p>{{ intro }}</p>
<form method="post">{% csrf_token %}
<table>
<thead><tr><th scope="col">Order</th><th scope="col">{{ hint_label }}</th>
{% for field in first_form %}<th scope="col">{{ field.label_tag }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr>
<th scope="row">{{ row.order.number }}<br><small>{{ row.order.get_status_display }}</small></th>
<td>{{ row.hint }}</td>
{% for field in row.form %}<td>{{ field.errors }}{{ field }}</td>{% endfor %}
</tr>
{% endfor %}
</tbody>
</table>
{% for row in rows %}<input type="hidden" name="{{ checkbox_name }}" value="{{ row.order.pk }}">
{% endfor %}<input type="hidden" name="action" value="{{ action }}">
<input type="hidden" name="apply" value="1">
<p><input type="submit" value="{{ submit }}">
<a href="{% url 'admin:orders_order_changelist' %}">Back to the orders</a></p>
</form>
{% endblock %}"""
)


class ShipForm(forms.Form):
    tracking_number = forms.CharField(max_length=100)
    carrier = forms.CharField(max_length=80, required=False)


class RefundForm(forms.Form):
    amount = forms.CharField(label="Amount (€)", max_length=20)
    reason = forms.CharField(max_length=200, required=False)

    def clean_amount(self) -> int:
        try:
            amount = money_parse_major(self.cleaned_data["amount"])
        except ValueError:
            raise forms.ValidationError("Enter an amount such as 12.50.") from None
        if amount <= 0:
            raise forms.ValidationError("Enter an amount above zero.")
        return amount


class OrderAdmin(_OrdersReadOnly, admin.ModelAdmin):
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
        fieldsets = [
            (None, {"fields": ["number", "status", "email", "created_at", "paid_at"]}),
            (
                "Ship to",
                {
                    "fields": [
                        "ship_full_name",
                        "ship_line1",
                        "ship_line2",
                        ("ship_postal_code", "ship_city", "ship_country"),
                        "ship_phone",
                        "shipping_method_name",
                    ]
                },
            ),
        ]
        if request.user.is_superuser:
            fieldsets.insert(
                1,
                (
                    "Money",
                    {
                        "fields": [
                            "subtotal_display",
                            "discount_display",
                            "shipping_display",
                            "total_display",
                            "refunded_display",
                            "payment_attempts",
                            "customer",
                            "expires_at",
                            "expired_at",
                        ]
                    },
                ),
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [
            name
            for _, options in self.get_fieldsets(request, obj)
            for entry in options["fields"]
            for name in (entry if isinstance(entry, tuple) else (entry,))
        ]

    @admin.display(description="Subtotal")
    def subtotal_display(self, order: Order) -> str:
        return _money(order.subtotal, order.currency)

    @admin.display(description="Discount")
    def discount_display(self, order: Order) -> str:
        if not order.discount_total:
            return "—"
        return f"-{_money(order.discount_total, order.currency)} ({order.discount_code})"

    @admin.display(description="Shipping")
    def shipping_display(self, order: Order) -> str:
        return _money(order.shipping_total, order.currency)

    @admin.display(description="Total", ordering="total")
    def total_display(self, order: Order) -> str:
        return _money(order.total, order.currency)

    @admin.display(description="Refunded")
    def refunded_display(self, order: Order) -> str:
        return _money(order.amount_refunded, order.currency)

    # --- actions ---------------------------------------------------------------------------

    def _action_page(self, request, *, action: str, title: str, intro: str, rows, **extra):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "intro": intro,
            "rows": rows,
            "first_form": rows[0]["form"] if rows else None,
            "action": action,
            "checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **extra,
        }
        return TemplateResponse(request, _ACTION_PAGE, context)

    def _domain_error(self, request, order: Order, exc: DomainError) -> None:
        self.message_user(request, f"Order {order.number}: {exc.message}", messages.ERROR)

    @admin.action(description="Mark shipped (asks for tracking numbers)")
    def mark_shipped(self, request, queryset):
        orders = list(queryset.order_by("pk"))
        applying = "apply" in request.POST
        rows = []
        for order in orders:
            merchants = selectors.order_merchants_for_staff(order=order, user=request.user)
            form = ShipForm(request.POST if applying else None, prefix=f"order-{order.pk}")
            hint = ", ".join(merchant.name for merchant in merchants)
            rows.append({"order": order, "form": form, "merchants": merchants, "hint": hint})
        if not applying or not all(row["form"].is_valid() for row in rows):
            return self._action_page(
                request,
                action="mark_shipped",
                title="Mark shipped",
                intro="Give each parcel's tracking number: the shopper is emailed it.",
                rows=rows,
                hint_label="Lines of",
                submit="Mark shipped",
            )
        for row in rows:
            order, data = row["order"], row["form"].cleaned_data
            for merchant in row["merchants"]:
                try:
                    services.order_fulfil(
                        order=order,
                        merchant=merchant,
                        tracking_number=data["tracking_number"],
                        carrier=data["carrier"],
                        by=request.user,
                    )
                except DomainError as exc:
                    self._domain_error(request, order, exc)
                else:
                    self.message_user(
                        request,
                        f"Order {order.number}: {merchant.name}'s lines marked shipped, "
                        f"tracking number {data['tracking_number']}. The shopper is emailed.",
                        messages.SUCCESS,
                    )
        return None

    @admin.action(description="Refund (asks for amounts)")
    def refund(self, request, queryset):
        orders = list(queryset.order_by("pk"))
        applying = "apply" in request.POST
        rows = []
        for order in orders:
            merchant = None
            if not request.user.is_superuser:
                # Staff refund for their merchant (the first, should they manage several
                # of the merchants in one order).
                merchants = selectors.order_merchants_for_staff(order=order, user=request.user)
                merchant = merchants[0] if merchants else None
            limit = selectors.order_refundable_amount(order=order, merchant=merchant)
            form = RefundForm(request.POST if applying else None, prefix=f"order-{order.pk}")
            hint = f"up to {_money(limit, order.currency)}"
            rows.append({"order": order, "form": form, "merchant": merchant, "hint": hint})
        if not applying or not all(row["form"].is_valid() for row in rows):
            return self._action_page(
                request,
                action="refund",
                title="Refund",
                intro="The amount goes back to the shopper's card and they are emailed.",
                rows=rows,
                hint_label="Refundable",
                submit="Refund",
            )
        for row in rows:
            order, data = row["order"], row["form"].cleaned_data
            try:
                services.order_refund(
                    order=order,
                    amount=data["amount"],
                    reason=data["reason"],
                    by=request.user,
                    merchant=row["merchant"],
                )
            except DomainError as exc:
                self._domain_error(request, order, exc)
            else:
                self.message_user(
                    request,
                    f"Order {order.number}: refunded {_money(data['amount'], order.currency)}"
                    f" ({order.get_status_display().lower()}). The shopper is emailed.",
                    messages.SUCCESS,
                )
        return None

    @admin.action(description="Mark delivered")
    def mark_delivered(self, request, queryset):
        for order in queryset.order_by("pk"):
            try:
                services.order_mark_delivered(order=order, by=request.user)
            except DomainError as exc:
                self._domain_error(request, order, exc)
            else:
                self.message_user(
                    request, f"Order {order.number} marked delivered.", messages.SUCCESS
                )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            # Delivery is the whole order's, not one merchant's, to record.
            actions.pop("mark_delivered", None)
        return actions


class ShippingMethodAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "code", "price_display", "is_active", "position"]
    list_editable = ["is_active", "position"]
    prepopulated_fields = {"code": ["name"]}

    @admin.display(description="Price", ordering="price")
    def price_display(self, method: ShippingMethod) -> str:
        return _money(method.price)


admin.site.register(Order, OrderAdmin)
admin.site.register(ShippingMethod, ShippingMethodAdmin)
