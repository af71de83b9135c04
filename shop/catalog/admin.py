"""The catalogue in Django admin.

Merchant staff (members of the "Merchant staff" group, listed in a merchant's staff) see and
change only their own merchant's products, variants, images and stock: every queryset here
is cut to selectors.merchants_of_user, so another merchant's row is simply not found (the
admin redirects with "doesn't exist"), and a merchant id that is not theirs is not a valid
choice in the form. Superusers see everything. Every save and delete goes through
shop.catalog.services, which re-checks the merchant and bumps the catalogue version.
"""

from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.db.models import Case, F, IntegerField, Max, Min, OuterRef, Subquery, Sum, When
from django.utils.html import format_html
from django.utils.translation import ngettext

from shop.catalog import services
from shop.catalog.admin_forms import (
    CategoryAdminForm,
    CategoryTreeChoiceField,
    CategoryTreeListFilter,
    MerchantAdminForm,
    ProductAdminForm,
    ProductImageInlineForm,
    VariantAdminForm,
    VariantInlineForm,
    VariantStockForm,
)
from shop.catalog.models import Category, Merchant, Product, ProductImage, Variant
from shop.catalog.selectors import merchants_of_user
from shop.core.money import money_format


def _variant_aggregate(aggregate, field: str) -> Subquery:
    """One value per product over its variants, as a subquery (no GROUP BY on the list)."""
    return Subquery(
        Variant.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(value=aggregate(field))
        .values("value"),
        output_field=IntegerField(),
    )


def _image_preview(image_file, alt_text: str, *, large: bool = False) -> str:
    if not image_file:
        return "—"
    # Sized by classes of static/css/admin.css: the CSP refuses style="" attributes.
    classes = "agora-preview agora-preview--large" if large else "agora-preview"
    return format_html('<img src="{}" alt="{}" class="{}">', image_file.url, alt_text, classes)


def _merchant_count(request) -> int:
    """How many merchants the signed-in user manages, counted once per request."""
    if not hasattr(request, "_catalog_merchant_count"):
        request._catalog_merchant_count = merchants_of_user(user=request.user).count()
    return request._catalog_merchant_count


class MerchantScopedAdmin(admin.ModelAdmin):
    """Cut the admin's rows to the merchants the signed-in user manages."""

    merchant_path = "merchant"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            **{f"{self.merchant_path}__in": merchants_of_user(user=request.user)}
        )


# --- products -------------------------------------------------------------------------------


class VariantInline(admin.TabularInline):
    model = Variant
    form = VariantInlineForm
    fields = ["sku", "name", "options", "price", "compare_at_price", "stock", "position"]
    extra = 1

    def get_queryset(self, request):
        # Each row is labelled with str(variant), which names its product.
        return super().get_queryset(request).select_related("product")


class ProductImageInline(admin.StackedInline):
    model = ProductImage
    form = ProductImageInlineForm
    fields = ["preview", "upload", "alt_text", "position"]
    readonly_fields = ["preview"]
    extra = 1

    @admin.display(description="Current picture")
    def preview(self, obj: ProductImage) -> str:
        return _image_preview(obj.thumbnail or obj.image, obj.alt_text, large=True)


class ProductAdmin(MerchantScopedAdmin):
    form = ProductAdminForm
    inlines = [VariantInline, ProductImageInline]
    list_display = [
        "thumbnail",
        "title",
        "merchant",
        "category",
        "is_published",
        "is_featured",
        "price_range",
        "total_stock",
    ]
    # The title opens the product; the thumbnail beside it is not a second, nameless link.
    list_display_links = ["title"]
    list_select_related = ["merchant", "category"]
    search_fields = ["title", "brand", "variants__sku"]
    date_hierarchy = "created_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["units_sold", "rating_count", "rating_sum", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("merchant", "category")
            .annotate(
                price_min=_variant_aggregate(Min, "price"),
                price_max=_variant_aggregate(Max, "price"),
                stock_total=_variant_aggregate(Sum, "stock"),
                # The first picture's file, in the products query itself: no query per row.
                first_picture=Subquery(
                    ProductImage.objects.filter(product=OuterRef("pk"))
                    .order_by("position", "id")
                    .annotate(src=Case(When(thumbnail="", then=F("image")), default=F("thumbnail")))
                    .values("src")[:1]
                ),
            )
        )

    def get_list_display(self, request):
        # Someone managing a single merchant does not need a column repeating its name.
        if not request.user.is_superuser and _merchant_count(request) < 2:
            return [name for name in self.list_display if name != "merchant"]
        return self.list_display

    def get_list_filter(self, request):
        filters = ["is_published", "is_featured", ("category", CategoryTreeListFilter)]
        if request.user.is_superuser:
            filters.append("merchant")
        return [*filters, "brand"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["merchant", "category", "title", "slug", "brand"]}),
            ("Description", {"fields": ["description", "attributes"]}),
            ("In the shop", {"fields": ["is_published", "is_featured"]}),
        ]
        if obj is not None:
            fieldsets.append(("Figures", {"fields": self.readonly_fields, "classes": ["collapse"]}))
        return fieldsets

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "merchant":
            merchants = merchants_of_user(user=request.user)
            kwargs["queryset"] = merchants
            first_two = list(merchants[:2])
            if len(first_two) == 1:  # Someone with one merchant never has to choose it.
                kwargs["initial"] = first_two[0].pk
        if db_field.name == "category":
            kwargs["form_class"] = CategoryTreeChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="picture")
    def thumbnail(self, obj: Product) -> str:
        if not obj.first_picture:
            return "—"
        return format_html(
            # Styled by static/css/admin.css: the CSP refuses style="" attributes.
            '<img src="{}" alt="" width="48" height="48" loading="lazy" class="agora-thumb">',
            default_storage.url(obj.first_picture),
        )

    @admin.display(description="price", ordering="price_min")
    def price_range(self, obj: Product) -> str | None:
        if obj.price_min is None:
            return None
        if obj.price_min == obj.price_max:
            return money_format(obj.price_min)
        return format_html(
            '<span class="agora-nowrap">{} – {}</span>',
            money_format(obj.price_min),
            money_format(obj.price_max),
        )

    @admin.display(description="stock", ordering="stock_total")
    def total_stock(self, obj: Product) -> int:
        return obj.stock_total or 0

    # Writes: always through the services (merchant re-checked, catalogue version bumped).

    def save_model(self, request, obj, form, change):
        services.product_save(product=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        by = request.user
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            setattr(obj, formset.fk.name, formset.instance)
            if isinstance(obj, Variant):
                services.variant_delete(variant=obj, by=by)
            else:
                services.product_image_delete(product_image=obj, by=by)
        uploads = {
            id(f.instance): f.cleaned_data.get("upload")
            for f in formset.forms
            if hasattr(f, "cleaned_data")
        }
        for obj in instances:
            setattr(obj, formset.fk.name, formset.instance)
            if isinstance(obj, Variant):
                services.variant_save(variant=obj, by=by)
            else:
                services.product_image_save(product_image=obj, image=uploads.get(id(obj)), by=by)

    def delete_model(self, request, obj):
        services.product_delete(product=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        services.product_delete_many(products=queryset, by=request.user)

    @admin.action(description="Publish selected products", permissions=["change"])
    def publish(self, request, queryset):
        count = services.product_publish(products=queryset, published=True, by=request.user)
        self.message_user(
            request,
            ngettext("%d product was published.", "%d products were published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected products", permissions=["change"])
    def unpublish(self, request, queryset):
        count = services.product_publish(products=queryset, published=False, by=request.user)
        self.message_user(
            request,
            ngettext("%d product was unpublished.", "%d products were unpublished.", count) % count,
            messages.SUCCESS,
        )


admin.site.register(Product, ProductAdmin)


# --- variants (stock at a glance) -----------------------------------------------------------


class StockListFilter(admin.SimpleListFilter):
    title = "stock"
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [("out", "Out of stock"), ("low", "Low (1–5)"), ("in", "In stock")]

    def queryset(self, request, queryset):
        if self.value() == "out":
            return queryset.filter(stock=0)
        if self.value() == "low":
            return queryset.filter(stock__gte=1, stock__lte=5)
        if self.value() == "in":
            return queryset.filter(stock__gt=0)
        return queryset


class VariantAdmin(MerchantScopedAdmin):
    """Every variant of the user's merchants, with stock editable in the list.

    Variants are added on their product's page; here stock is set to a number (a full
    replace). Orders take stock with conditional UPDATEs elsewhere.
    """

    merchant_path = "product__merchant"
    form = VariantAdminForm
    list_display = ["sku", "product", "name", "price_display", "stock"]
    list_editable = ["stock"]
    list_select_related = ["product"]
    search_fields = ["sku", "name", "product__title"]
    fields = ["product", "sku", "name", "options", "price", "compare_at_price", "stock", "position"]
    readonly_fields = ["product"]
    list_per_page = 100

    def get_list_filter(self, request):
        filters = [StockListFilter, ("product__category", CategoryTreeListFilter)]
        if request.user.is_superuser:
            filters.append("product__merchant")
        return filters

    def get_changelist_form(self, request, **kwargs):
        return VariantStockForm

    def has_add_permission(self, request):
        return False

    @admin.display(description="price", ordering="price")
    def price_display(self, obj: Variant) -> str:
        return money_format(obj.price)

    def save_model(self, request, obj, form, change):
        services.variant_save(variant=obj, by=request.user)

    def delete_model(self, request, obj):
        services.variant_delete(variant=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for variant in queryset.select_related("product"):
            services.variant_delete(variant=variant, by=request.user)


admin.site.register(Variant, VariantAdmin)


# --- merchants ------------------------------------------------------------------------------


class MerchantAdmin(admin.ModelAdmin):
    """Superusers manage every merchant and its staff; staff edit their own shop front."""

    form = MerchantAdminForm
    search_fields = ["name", "slug"]
    autocomplete_fields = ["staff"]
    readonly_fields = ["logo_preview"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("staff")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=merchants_of_user(user=request.user))

    def get_list_display(self, request):
        if request.user.is_superuser:
            return ["name", "slug", "staff_list"]
        return ["name", "slug"]

    def get_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["name", "slug", "description", "logo_preview", "logo_upload", "staff"]
        return ["name", "description", "logo_preview", "logo_upload"]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name"]} if request.user.is_superuser else {}

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="staff")
    def staff_list(self, obj: Merchant) -> str:
        return ", ".join(user.username for user in obj.staff.all()) or "—"

    @admin.display(description="current logo")
    def logo_preview(self, obj: Merchant) -> str:
        return _image_preview(obj.logo, f"{obj.name} logo")

    def save_model(self, request, obj, form, change):
        services.merchant_save(
            merchant=obj, logo=form.cleaned_data.get("logo_upload"), by=request.user
        )

    def save_related(self, request, form, formsets, change):
        # Staff changes go through the service, which also gives (or takes) the group.
        if "staff" in form.cleaned_data:
            services.merchant_staff_set(merchant=form.instance, users=form.cleaned_data["staff"])
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


admin.site.register(Merchant, MerchantAdmin)


# --- categories -----------------------------------------------------------------------------


class CategoryAdmin(admin.ModelAdmin):
    """Superusers edit the tree; merchant staff may look (their group only has "view")."""

    form = CategoryAdminForm
    list_display = ["name", "parent", "position", "slug"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    list_filter = [("parent", CategoryTreeListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "parent", "description", "position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["form_class"] = CategoryTreeChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj)

    def delete_model(self, request, obj):
        services.category_delete(category=obj)

    def delete_queryset(self, request, queryset):
        for category in queryset:
            services.category_delete(category=category)


admin.site.register(Category, CategoryAdmin)
