from django.contrib import admin

from shop.core.admin import SuperuserOnlyAdmin
from shop.pages import services
from shop.pages.models import StorePage


@admin.register(StorePage)
class StorePageAdmin(SuperuserOnlyAdmin):
    """The operator writes the store's pages; merchant staff do not see them."""

    list_display = ["title", "slug", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "body", "is_published"]

    def save_model(self, request, obj, form, change):
        services.store_page_save(page=obj)
