"""The pages of likes, shares and asks, mounted at the site's root (config/urls.py)."""

from django.urls import include, path

urlpatterns = [
    # Likes and social proof (services.py, selectors.py, views.py / api.py).
    path("", include("social.likes.like_urls")),
    # Shares: share_urls / share_api_urls.
    path("", include("social.likes.share_urls")),
    # Ask my friends: ask_urls / ask_api_urls.
    path("", include("social.likes.ask_urls")),
]
