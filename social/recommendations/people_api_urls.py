"""/api/v1/suggestions (config/api_urls.py mounts it)."""

from django.urls import re_path

from social.recommendations import people_api

urlpatterns = [
    re_path(r"^suggestions/?$", people_api.SuggestionListApi.as_view(), name="api-suggestions"),
    re_path(
        r"^suggestions/(?P<username>[^/]+)/dismiss/?$",
        people_api.SuggestionDismissApi.as_view(),
        name="api-suggestion-dismiss",
    ),
]
