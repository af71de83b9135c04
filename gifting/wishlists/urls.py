"""The pages of wishlists, at /wishlists/ (mounted in config/urls.py)."""

from django.urls import include, path

from gifting.wishlists import views

urlpatterns = [
    # Ask my friends: votes and comments (ask_urls).
    path("", include("gifting.wishlists.ask_urls")),
    path("wishlists/", views.wishlists_page, name="wishlists_page"),
    path("wishlists/new/", views.wishlist_create, name="wishlist_create"),
    path("wishlists/add/", views.wishlist_item_add, name="wishlist_item_add"),
    path("wishlists/from-cart/", views.wishlist_item_from_cart, name="wishlist_item_from_cart"),
    path("wishlists/<str:token>/", views.wishlist_page, name="wishlist_page"),
    path("wishlists/<str:token>/edit/", views.wishlist_update, name="wishlist_update"),
    path("wishlists/<str:token>/delete/", views.wishlist_delete, name="wishlist_delete"),
    path("wishlists/<str:token>/reveal/", views.wishlist_reveal, name="wishlist_reveal"),
    path(
        "wishlists/<str:token>/items/<int:item_id>/",
        views.wishlist_item_update,
        name="wishlist_item_update",
    ),
    path(
        "wishlists/<str:token>/items/<int:item_id>/remove/",
        views.wishlist_item_remove,
        name="wishlist_item_remove",
    ),
    path(
        "wishlists/<str:token>/items/<int:item_id>/cart/",
        views.wishlist_item_to_cart,
        name="wishlist_item_to_cart",
    ),
    path(
        "wishlists/<str:token>/items/<int:item_id>/claim/",
        views.claim_create,
        name="wishlist_claim_create",
    ),
    path(
        "wishlists/<str:token>/claims/<int:claim_id>/buy/",
        views.claim_buy,
        name="wishlist_claim_buy",
    ),
    path(
        "wishlists/<str:token>/claims/<int:claim_id>/release/",
        views.claim_release,
        name="wishlist_claim_release",
    ),
]
