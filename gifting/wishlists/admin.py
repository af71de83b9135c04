from django.contrib import admin

from gifting.wishlists.models import Claim, ItemComment, ItemVote, Wishlist, WishlistItem


@admin.register(Wishlist)
class WishlistAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "occasion_on", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["title", "owner__username"]
    raw_id_fields = ["owner", "shipping_address"]
    readonly_fields = ["token", "revealed_at"]


@admin.register(WishlistItem)
class WishlistItemAdmin(admin.ModelAdmin):
    list_display = ["wishlist", "variant", "quantity", "priority"]
    raw_id_fields = ["wishlist", "variant"]
    # What the variant cost when it was wished for: a record (price drops compare with it).
    readonly_fields = ["price_when_added", "created_at"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only: claims move only through their services."""

    list_display = ["item", "claimer", "quantity", "status", "reserved_at"]
    list_filter = ["status"]
    raw_id_fields = ["item", "claimer", "order"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ItemVote)
class ItemVoteAdmin(admin.ModelAdmin):
    """Read-only: votes are their voters' to give."""

    list_display = ["item", "voter", "up", "updated_at"]
    raw_id_fields = ["item", "voter"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ItemComment)
class ItemCommentAdmin(admin.ModelAdmin):
    """Comments may be read and deleted (moderation), not written here."""

    list_display = ["item", "author", "text", "created_at"]
    search_fields = ["text", "author__username"]
    raw_id_fields = ["item", "author"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
