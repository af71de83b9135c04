"""The API of "ask my friends about my list" under /api/v1/ (included by api_urls.py)."""

from django.urls import path

from gifting.wishlists import ask_api

urlpatterns = [
    path(
        "wishlists/<int:wishlist_id>/ask",
        ask_api.WishlistAskApi.as_view(),
        name="api_wishlist_ask",
    ),
    path(
        "wishlist-items/<int:item_id>/votes",
        ask_api.WishlistItemVotesApi.as_view(),
        name="api_wishlist_item_votes",
    ),
    path(
        "wishlist-items/<int:item_id>/comments",
        ask_api.WishlistItemCommentsApi.as_view(),
        name="api_wishlist_item_comments",
    ),
    path(
        "wishlist-items/<int:item_id>/comments/<int:comment_id>",
        ask_api.WishlistItemCommentApi.as_view(),
        name="api_wishlist_item_comment",
    ),
]
