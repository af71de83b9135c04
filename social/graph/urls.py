"""The graph's pages, mounted at the site's root (config/urls.py)."""

from django.urls import path

from social.graph import views

urlpatterns = [
    path("friends/", views.friends_page, name="friends"),
    path("friends/invite/", views.invite_send, name="invite_send"),
    path("friends/invite/link/", views.invite_link_make, name="invite_link_make"),
    path(
        "friends/requests/<int:request_id>/<str:action>/",
        views.friend_request_answer,
        name="friend_request_answer",
    ),
    path("friends/follows/<int:follow_id>/unfollow/", views.follow_end, name="follow_end"),
    path("friends/<str:username>/unfriend/", views.friendship_end, name="friendship_end"),
    path("settings/privacy/", views.privacy_settings_edit, name="privacy_settings"),
    path("invite/<str:token>/", views.invite_open, name="invite_open"),
]
