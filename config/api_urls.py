"""/api/v1/: each app keeps its own routes in <app>/api_urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("reviews.reputation.api_urls")),
    path("", include("shop.catalog.api_urls")),
    path("", include("shop.accounts.api_urls")),
    path("", include("shop.cart.api_urls")),
    path("", include("shop.orders.api_urls")),
    path("", include("shop.payments.api_urls")),
    path("", include("social.graph.api_urls")),
    path("", include("social.notifications.api_urls")),
    path("", include("social.feed.api_urls")),
    path("", include("social.likes.api_urls")),
    path("", include("social.recommendations.people_api_urls")),
    path("", include("social.recommendations.api_urls")),
    path("", include("reviews.api_urls")),
    path("", include("reviews.questions.api_urls")),
    path("", include("gifting.wishlists.api_urls")),
    path("", include("gifting.pools.api_urls")),
]
