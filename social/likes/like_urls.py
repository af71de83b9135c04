"""The pages of likes (mounted by social/likes/urls.py)."""

from django.urls import path

from social.likes import views

urlpatterns = [
    path("likes/", views.likes_page, name="likes_page"),
    path("likes/<slug:slug>/", views.like_create, name="like_create"),
    path("likes/<slug:slug>/remove/", views.like_delete, name="like_delete"),
]
