"""The feed's pages, mounted at the site's root (config/urls.py)."""

from django.urls import path

from social.feed import views

urlpatterns = [
    path("feed/", views.feed_page, name="feed"),
    path("feed/new-count/", views.feed_new_count, name="feed_new_count"),
]
