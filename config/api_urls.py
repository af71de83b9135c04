"""/api/v1/: each app keeps its own routes in <app>/api_urls.py, listed here as one list
(shop.core.routing: routed as `path("", include(…))` for each would, without a resolver each)."""

from shop.core.routing import urlpatterns_of

MODULES = (
    "reviews.reputation.api_urls",
    "shop.catalog.api_urls",
    "shop.accounts.api_urls",
    "shop.cart.api_urls",
    "shop.orders.api_urls",
    "shop.payments.api_urls",
    "social.graph.api_urls",
    "social.notifications.api_urls",
    "social.feed.api_urls",
    "social.likes.api_urls",
    "social.recommendations.people_api_urls",
    "social.recommendations.api_urls",
    "reviews.api_urls",
    "reviews.questions.api_urls",
    "gifting.wishlists.api_urls",
    "gifting.pools.api_urls",
)

urlpatterns = urlpatterns_of(*MODULES)
