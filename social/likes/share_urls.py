"""Share pages (social.likes.share_views), included by social/likes/urls.py."""

from django.urls import path

from social.likes import share_views

urlpatterns = [
    path("shares/new/", share_views.share_create, name="share_create"),
    path("shares/<str:token>/", share_views.share_detail, name="share_detail"),
]
