"""The API of likes, shares and asks, under /api/v1/ (config/api_urls.py)."""

from django.urls import include, path  # noqa: F401

urlpatterns = [
    # Likes and social proof (services.py, selectors.py, views.py / api.py).
    # Shares: share_urls / share_api_urls.
    # Ask my friends: ask_urls / ask_api_urls.
]
