"""Notifications in Django admin, for the operator (superusers) only, to look at.

They are written by notification_notify (once per event, with its email queued in the
outbox), so nothing here adds, edits or deletes.
"""

from django.contrib import admin

from shop.core.admin import ReadOnlyAdminMixin, SuperuserOnlyAdmin
from social.notifications.models import Notification, NotificationPreference


class _NotificationsAdmin(ReadOnlyAdminMixin, SuperuserOnlyAdmin):
    show_full_result_count = False
    list_per_page = 50


@admin.register(Notification)
class NotificationAdmin(_NotificationsAdmin):
    list_display = ["recipient", "kind", "actor", "created_at", "read_at", "email_status"]
    list_select_related = ["recipient", "actor"]
    list_filter = ["kind", "email_status"]
    search_fields = ["recipient__username", "recipient__email", "actor__username"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = [
        "recipient",
        "kind",
        "actor",
        "target_type",
        "target_id",
        "url",
        "data",
        "group_key",
        "dedupe_key",
        "created_at",
        "read_at",
        "email_status",
        "emailed_at",
    ]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(_NotificationsAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_select_related = ["user"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__email"]
    ordering = ["user", "kind"]
    fields = ["user", "kind", "delivery", "updated_at"]
