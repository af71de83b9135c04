from django.urls import re_path

from social.feed import api

urlpatterns = [
    re_path(r"^feed/?$", api.FeedApi.as_view(), name="api-feed"),
    re_path(r"^feed/new-count/?$", api.FeedNewCountApi.as_view(), name="api-feed-new-count"),
]
