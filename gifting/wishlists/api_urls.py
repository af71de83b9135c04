"""The wishlists' API under /api/v1/ (included by config/api_urls.py)."""

from django.urls import include, path

from gifting.wishlists import api

urlpatterns = [
    # Ask my friends: votes and comments (ask_api_urls).
    path("", include("gifting.wishlists.ask_api_urls")),
    path("wishlists", api.WishlistsApi.as_view(), name="api_wishlists"),
    path("wishlists/<int:wishlist_id>", api.WishlistDetailApi.as_view(), name="api_wishlist"),
    path(
        "wishlists/<int:wishlist_id>/items",
        api.WishlistItemsApi.as_view(),
        name="api_wishlist_items",
    ),
    path(
        "wishlists/<int:wishlist_id>/reveal",
        api.WishlistRevealApi.as_view(),
        name="api_wishlist_reveal",
    ),
    path(
        "wishlist-items/<int:item_id>/claims",
        api.WishlistItemClaimsApi.as_view(),
        name="api_wishlist_item_claims",
    ),
]
