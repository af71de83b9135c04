from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from shop.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Profile", {"fields": ("display_name", "bio", "avatar", "avatar_thumb")}),
    )
    # Avatars change only through the profile service, which verifies and re-encodes them.
    readonly_fields = ("avatar", "avatar_thumb")
    list_display = ("username", "email", "display_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_active")
    search_fields = ("username", "email", "display_name")
