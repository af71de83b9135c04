"""The pages of "ask my friends" (included by social/likes/urls.py)."""

from django.urls import path

from social.likes import ask_views as views

urlpatterns = [
    path("asks/", views.ask_list, name="ask_list"),
    path("asks/new/", views.ask_new, name="ask_new"),
    path("asks/<int:ask_id>/", views.ask_detail, name="ask_detail"),
    path("asks/<int:ask_id>/answer/", views.ask_answer, name="ask_answer"),
    path("asks/<int:ask_id>/close/", views.ask_close, name="ask_close"),
]
