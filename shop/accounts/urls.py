"""Account pages of our own, next to allauth's under /accounts/ (included before allauth.urls)."""

from django.urls import path

from shop.accounts import views

urlpatterns = [
    path("profile/", views.profile_edit, name="profile_edit"),
]
