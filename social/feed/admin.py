from django.contrib import admin

from social.feed.models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Read-only: activities are recorded by services, never edited by hand."""

    list_display = ["id", "verb", "actor", "merchant", "visibility", "created_at"]
    list_filter = ["verb", "visibility"]
    list_select_related = ["actor", "merchant"]
    raw_id_fields = ["actor", "merchant", "product"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
