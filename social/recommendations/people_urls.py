""" "People you may know"'s buttons, mounted at the site's root (config/urls.py)."""

from django.urls import path

from social.recommendations import people_views

urlpatterns = [
    path(
        "friends/suggestions/<str:username>/add/",
        people_views.suggestion_add,
        name="suggestion_add",
    ),
    path(
        "friends/suggestions/<str:username>/dismiss/",
        people_views.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
]
