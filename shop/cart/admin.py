"""Discount codes (and, read-only, carts) in Django admin, for operators (superusers) only.

Merchant staff are admin users too; codes cut the whole order's price, so they are not theirs
to see. Saving goes through services.discount_code_save; times_used is changed only by
services.discount_use when an order is placed.
"""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy

from shop.cart import selectors, services
from shop.cart.models import Cart, CartLine, DiscountCode
from shop.core.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline, SuperuserOnlyAdmin
from shop.core.money import money_format
from shop.core.money_fields import MoneyField, money_hint, money_input_text, money_parse


class DiscountCodeAdminForm(forms.ModelForm):
    """A discount code; its amount off and minimum spend typed in euros, not cents."""

    value = forms.CharField(
        label="Value",
        max_length=20,
        help_text=format_lazy(
            "For a percentage, the percent off (1–100), e.g. 15. For a fixed amount, "
            "the amount off. {}",
            money_hint("5 or 4.99"),
        ),
    )
    min_spend = MoneyField(
        label="Minimum spend",
        required=False,
        empty_value=0,
        help_text=format_lazy("{} Empty for none.", money_hint("25 or 19.99")),
    )

    class Meta:
        model = DiscountCode
        fields = ["code", "kind", "value", "starts_at", "ends_at", "usage_limit", "is_active"]
        help_texts = {
            "starts_at": "Empty: usable at once.",
            "ends_at": "Empty: never expires.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        discount = self.instance
        if discount.pk:
            if discount.min_subtotal:
                self.initial["min_spend"] = discount.min_subtotal
            if discount.kind == DiscountCode.Kind.FIXED:
                self.initial["value"] = money_input_text(discount.value)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if selectors.discount_code_taken(code=code, exclude_id=self.instance.pk):
            raise forms.ValidationError(f"There is already a code “{code}” (case does not matter).")
        return code

    def clean_value(self) -> int:
        raw = self.cleaned_data["value"].strip()
        if self.cleaned_data.get("kind") == DiscountCode.Kind.FIXED:
            amount = money_parse(raw)
            if amount < 1:
                raise forms.ValidationError("Enter an amount above zero.")
            return amount
        percent = raw.removesuffix("%").strip()
        if not percent.isdigit():
            raise forms.ValidationError("Enter a whole percentage from 1 to 100, e.g. 15.")
        return int(percent)

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if kind == DiscountCode.Kind.PERCENT and value is not None:
            if value < 1:
                self.add_error("value", "Enter at least 1.")
            elif value > 100:
                self.add_error("value", "A percentage is at most 100.")
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must be after the start.")
        self.instance.min_subtotal = cleaned.get("min_spend") or 0
        return cleaned


@admin.register(DiscountCode)
class DiscountCodeAdmin(SuperuserOnlyAdmin):
    form = DiscountCodeAdminForm
    list_display = [
        "code",
        "kind",
        "value_display",
        "min_spend_display",
        "window",
        "usage",
        "is_active",
    ]
    list_filter = ["is_active", "kind", "created_at"]
    search_fields = ["code"]
    ordering = ["-created_at", "-id"]
    readonly_fields = ["times_used", "created_at"]
    fieldsets = [
        (None, {"fields": ["code", "kind", "value", "min_spend", "is_active"]}),
        ("When and how often", {"fields": ["starts_at", "ends_at", "usage_limit", "times_used"]}),
    ]
    list_per_page = 50

    @admin.display(description="value", ordering="value")
    def value_display(self, obj: DiscountCode) -> str:
        return selectors.discount_describe(discount=obj)

    @admin.display(description="min spend", ordering="min_subtotal")
    def min_spend_display(self, obj: DiscountCode) -> str:
        return money_format(obj.min_subtotal) if obj.min_subtotal else "—"

    @admin.display(description="valid", ordering="starts_at")
    def window(self, obj: DiscountCode) -> str:
        def day(moment) -> str:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

        if obj.starts_at is None and obj.ends_at is None:
            return "always"
        start = day(obj.starts_at) if obj.starts_at else "now"
        end = day(obj.ends_at) if obj.ends_at else "no end"
        return format_html('<span class="agora-nowrap">{} → {}</span>', start, end)

    @admin.display(description="used / limit", ordering="times_used")
    def usage(self, obj: DiscountCode) -> str:
        limit = "∞" if obj.usage_limit is None else obj.usage_limit
        return f"{obj.times_used} / {limit}"

    def save_model(self, request, obj, form, change):
        services.discount_code_save(discount=obj)


class CartLineInline(ReadOnlyTabularInline):
    model = CartLine
    fields = ["variant", "quantity", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("variant__product")


@admin.register(Cart)
class CartAdmin(ReadOnlyAdminMixin, SuperuserOnlyAdmin):
    """Carts, to look at only (a shopper's cart changes through the shop)."""

    list_display = ["id", "user", "discount_code", "created_at", "updated_at"]
    list_select_related = ["user", "discount_code"]
    search_fields = ["user__username", "user__email", "token"]
    date_hierarchy = "updated_at"
    ordering = ["-updated_at", "-id"]
    fields = ["user", "token", "discount_code", "created_at", "updated_at"]
    inlines = [CartLineInline]
    show_full_result_count = False
