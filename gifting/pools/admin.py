"""Pools in the admin: read-only (search and filter). Pools and contributions change only
through gifting.pools.services (their sums and states are kept under row locks there)."""

from django.contrib import admin

from gifting.pools.models import Contribution, Pool, PoolTransition


class _ReadOnly:
    """Every field shown, none editable; nothing added or changed here."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.concrete_fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ContributionInline(_ReadOnly, admin.TabularInline):
    model = Contribution
    extra = 0
    fields = [
        "contributor",
        "guest_name",
        "amount",
        "status",
        "reserved_until",
        "succeeded_at",
        "refunded_amount",
    ]


class PoolTransitionInline(_ReadOnly, admin.TabularInline):
    model = PoolTransition
    extra = 0
    fields = ["from_state", "to_state", "by", "note", "created_at"]


@admin.register(Pool)
class PoolAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = [
        "__str__",
        "organiser",
        "recipient_name",
        "state",
        "target",
        "collected",
        "reserved",
        "deadline",
    ]
    list_filter = ["state"]
    search_fields = ["token", "organiser__username", "recipient_name"]
    inlines = [ContributionInline, PoolTransitionInline]
