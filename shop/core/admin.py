"""Admin pieces every app shares."""

from django.contrib import admin

from shop.core import outbox
from shop.core.models import OutboxMessage


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """A model only the operator (an active superuser) sees and edits; merchant staff never."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SuperuserOnlyAdmin):
    """The outbox, for the operator: what is still owed, why it failed, and "deliver now".

    Rows are written and changed only by shop.core.outbox, never by hand.
    """

    list_display = ["id", "topic", "created_at", "sent_at", "attempts", "available_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "topic"]
    search_fields = ["topic"]
    readonly_fields = [
        "topic",
        "payload",
        "created_at",
        "sent_at",
        "attempts",
        "available_at",
        "last_error",
    ]
    actions = ["deliver_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Deliver the selected unsent messages now")
    def deliver_now(self, request, queryset) -> None:
        message_ids = queryset.filter(sent_at__isnull=True).values_list("pk", flat=True)
        delivered = sum(outbox.outbox_deliver(message_id=pk) for pk in message_ids)
        self.message_user(request, f"{delivered} of {len(message_ids)} delivered.")
