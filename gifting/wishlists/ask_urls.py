"""The pages of "ask my friends about my list" (included by gifting/wishlists/urls.py)."""

from django.urls import path

from gifting.wishlists import ask_views as views

urlpatterns = [
    path("wishlists/<str:token>/ask/", views.wishlist_ask, name="wishlist_ask"),
    path(
        "wishlists/<str:token>/items/<int:item_id>/vote/",
        views.item_vote,
        name="wishlist_item_vote",
    ),
    path(
        "wishlists/<str:token>/items/<int:item_id>/comments/",
        views.item_comment,
        name="wishlist_item_comment",
    ),
    path(
        "wishlists/<str:token>/comments/<int:comment_id>/delete/",
        views.item_comment_delete,
        name="wishlist_comment_delete",
    ),
]
