"""The social graph in Django admin, for the operator (superusers) only, to look at.

Rows change through the services (a friendship is two rows written together; a block ends
requests and follows), so nothing here adds, edits or deletes. Invite tokens are secrets
that open a signup as someone's friend: they are not shown. Reports are handled with the
list's actions (mark handled, reopen), which call the service.
"""

from django.contrib import admin

from shop.core.admin import ReadOnlyAdminMixin, SuperuserOnlyAdmin
from social.graph.models import (
    Block,
    Follow,
    FriendRequest,
    Friendship,
    Invite,
    PrivacySettings,
    Referral,
    Report,
)
from social.graph.report_services import reports_mark_handled


class _GraphAdmin(ReadOnlyAdminMixin, SuperuserOnlyAdmin):
    show_full_result_count = False
    list_per_page = 50


@admin.register(Friendship)
class FriendshipAdmin(_GraphAdmin):
    """Each friendship shows twice, once from each side."""

    list_display = ["user", "friend", "created_at"]
    list_select_related = ["user", "friend"]
    search_fields = ["user__username", "user__email", "friend__username", "friend__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = ["user", "friend", "created_at"]


@admin.register(FriendRequest)
class FriendRequestAdmin(_GraphAdmin):
    list_display = ["from_user", "to_user", "status", "created_at", "decided_at"]
    list_select_related = ["from_user", "to_user"]
    list_filter = ["status"]
    search_fields = [
        "from_user__username",
        "from_user__email",
        "to_user__username",
        "to_user__email",
    ]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = ["from_user", "to_user", "message", "status", "created_at", "decided_at"]


@admin.register(Follow)
class FollowAdmin(_GraphAdmin):
    list_display = ["follower", "person", "merchant", "created_at"]
    list_select_related = ["follower", "person", "merchant"]
    list_filter = [("merchant", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["follower__username", "person__username", "merchant__name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = ["follower", "person", "merchant", "created_at"]


@admin.register(Block)
class BlockAdmin(_GraphAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    list_select_related = ["blocker", "blocked"]
    search_fields = ["blocker__username", "blocker__email", "blocked__username", "blocked__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = ["blocker", "blocked", "created_at"]


@admin.register(Invite)
class InviteAdmin(_GraphAdmin):
    list_display = ["inviter", "kind", "email", "email_status", "created_at", "sent_at"]
    list_select_related = ["inviter"]
    list_filter = ["kind", "email_status"]
    search_fields = ["inviter__username", "inviter__email", "email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = ["inviter", "kind", "email", "email_status", "created_at", "sent_at"]


@admin.register(Referral)
class ReferralAdmin(_GraphAdmin):
    """Who brought whom."""

    list_display = ["inviter", "newcomer", "created_at", "befriended_at"]
    list_select_related = ["inviter", "newcomer"]
    list_filter = [("befriended_at", admin.EmptyFieldListFilter)]
    search_fields = ["inviter__username", "inviter__email", "newcomer__username", "newcomer__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = ["inviter", "newcomer", "invite", "created_at", "befriended_at"]


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(_GraphAdmin):
    """Only people who changed a setting have a row; the others have the defaults."""

    list_display = ["user", "profile", "friends_list", "purchases", "likes", "discoverable"]
    list_select_related = ["user"]
    list_filter = ["profile", "friends_list", "purchases", "likes", "discoverable"]
    search_fields = ["user__username", "user__email"]
    ordering = ["-updated_at"]
    fields = [
        "user",
        "profile",
        "friends_list",
        "purchases",
        "likes",
        "wishlists",
        "reviews_show_name",
        "discoverable",
        "personalised",
        "updated_at",
    ]


@admin.register(Report)
class ReportAdmin(_GraphAdmin):
    """People reported by others: open ones first; block or deactivate through the accounts."""

    list_display = ["created_at", "person", "reason", "reporter", "handled"]
    list_select_related = ["reporter", "person"]
    list_filter = ["handled", "reason", "created_at"]
    search_fields = [
        "person__username",
        "person__email",
        "person__display_name",
        "reporter__username",
        "reporter__email",
        "text",
    ]
    date_hierarchy = "created_at"
    ordering = ["handled", "-created_at", "-id"]
    fields = ["person", "reporter", "reason", "text", "created_at", "handled"]
    actions = ["mark_handled", "mark_open"]

    @admin.action(description="Mark the selected reports as handled")
    def mark_handled(self, request, queryset):
        changed = reports_mark_handled(report_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{changed} report(s) marked as handled.")

    @admin.action(description="Reopen the selected reports")
    def mark_open(self, request, queryset):
        changed = reports_mark_handled(
            report_ids=list(queryset.values_list("pk", flat=True)), handled=False
        )
        self.message_user(request, f"{changed} report(s) reopened.")
