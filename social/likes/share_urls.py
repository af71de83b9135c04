"""Share pages (social.likes.share_views), included by social/likes/urls.py."""

from django.urls import path

from social.likes import share_views

urlpatterns = [
    path("shares/new/", share_views.share_create, name="share_create"),
    # Before <token>: "friends" is no token (tokens are 16 characters).
    path("shares/friends/", share_views.share_friends, name="share_friends"),
    path("shares/<str:token>/", share_views.share_detail, name="share_detail"),
]
