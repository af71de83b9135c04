"""Likes, shares and asks in admin.

Likes: read-only, filtered by date and merchant, searched by person and product.

Shares are the merchant's analytics of what shoppers shared: each share's visits and the
orders they led to, filtered by merchant and product. Merchant staff see the shares of their
own merchants' products only (as shop.catalog's admin scopes them), read-only; nothing here
names the recipients or the visitors.
"""

from django.contrib import admin
from django.db.models import Count, Q, Sum
from django.utils import timezone

from shop.catalog.models import Merchant
from shop.catalog.selectors import merchants_of_user
from social.likes.models import Ask, AskAnswer, AskRecipient, Like, Share


class ShareMerchantFilter(admin.SimpleListFilter):
    title = "merchant"
    parameter_name = "merchant"

    def lookups(self, request, model_admin):
        merchants = (
            Merchant.objects.all()
            if request.user.is_superuser
            else merchants_of_user(user=request.user)
        )
        return [(m.pk, m.name) for m in merchants.order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(product__merchant_id=int(value))
        return queryset


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    list_display = [
        "product",
        "merchant",
        "channel",
        "network",
        "visit_count",
        "order_count",
        "created_at",
    ]
    list_filter = [ShareMerchantFilter, "channel", "network", "created_at"]
    search_fields = ["product__title", "product__slug", "token"]
    list_select_related = ["product__merchant"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = ["product", "channel", "network", "visit_count", "order_count", "created_at"]
    readonly_fields = fields

    @admin.display(description="merchant", ordering="product__merchant__name")
    def merchant(self, share: Share) -> str:
        return share.product.merchant.name

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(product__merchant__in=merchants_of_user(user=request.user))

    def changelist_view(self, request, extra_context=None):
        """Add the per-product totals of the shares listed (the filters applied)."""
        response = super().changelist_view(request, extra_context=extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["product_totals"] = list(
                changelist.queryset.order_by()
                .values("product__title")
                .annotate(shares=Count("pk"), visits=Sum("visit_count"), orders=Sum("order_count"))
                .order_by("-visits", "product__title")[:20]
            )
        return response

    def _manages_merchant(self, request) -> bool:
        """Whether the signed-in staff member is merchant staff (the catalogue's permissions
        come with the "Merchant staff" group). No query: Django caches the user's
        permissions, which the admin's menu has read already; which shares they see is
        get_queryset's (their merchants' products only)."""
        user = request.user
        return user.is_active and user.is_staff and user.has_perm("catalog.view_product")

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) or self._manages_merchant(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or self._manages_merchant(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- asks -------------------------------------------------------------------------------------


class AskOpenFilter(admin.SimpleListFilter):
    """Open (not closed, not past closes_at) or closed."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("closed", "Closed")]

    def queryset(self, request, queryset):
        open_q = Q(closed_at__isnull=True, closes_at__gt=timezone.now())
        if self.value() == "open":
            return queryset.filter(open_q)
        if self.value() == "closed":
            return queryset.exclude(open_q)
        return queryset


class AskRecipientInline(admin.TabularInline):
    model = AskRecipient
    extra = 0
    raw_id_fields = ["user"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AskAnswerInline(admin.TabularInline):
    model = AskAnswer
    extra = 0
    fields = ["friend", "yes", "comment", "created_at", "updated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ask)
class AskAdmin(admin.ModelAdmin):
    """Questions are the shoppers' own: read-only here (moderation looks, it does not edit)."""

    list_display = [
        "id",
        "asker",
        "product",
        "yes_count",
        "no_count",
        "created_at",
        "closes_at",
        "closed_reason",
    ]
    list_filter = [AskOpenFilter, "closed_reason", "all_friends"]
    search_fields = ["asker__username", "asker__email", "product__title", "note"]
    list_select_related = ["asker", "product"]
    raw_id_fields = ["asker", "product"]
    readonly_fields = [
        "asker",
        "product",
        "note",
        "all_friends",
        "yes_count",
        "no_count",
        "created_at",
        "closes_at",
        "closed_reason",
        "closed_at",
    ]
    inlines = [AskRecipientInline, AskAnswerInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- likes ------------------------------------------------------------------------------------


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    """Read-only: a like is made and removed by its owner (services keep the counts)."""

    list_display = ["id", "user", "product", "created_at"]
    list_filter = ["created_at", ("product__merchant", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__email", "product__title", "product__slug"]
    list_select_related = ["user", "product"]
    raw_id_fields = ["user", "product"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
