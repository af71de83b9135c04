"""The API of "ask my friends" under /api/v1/ (included by social/likes/api_urls.py)."""

from django.urls import path

from social.likes import ask_api as api

urlpatterns = [
    path("asks", api.AsksApi.as_view(), name="api_asks"),
    path("asks/<int:ask_id>", api.AskDetailApi.as_view(), name="api_ask_detail"),
    path("asks/<int:ask_id>/answers", api.AskAnswersApi.as_view(), name="api_ask_answers"),
    path("asks/<int:ask_id>/close", api.AskCloseApi.as_view(), name="api_ask_close"),
]
