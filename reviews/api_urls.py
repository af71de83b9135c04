"""/api/v1/reviews and its sub-resources."""

from django.urls import re_path

from reviews import api

urlpatterns = [
    re_path(r"^reviews/?$", api.ReviewListApi.as_view(), name="api-reviews"),
    re_path(
        r"^reviews/(?P<review_id>[0-9]{1,10})/?$", api.ReviewDetailApi.as_view(), name="api-review"
    ),
    re_path(
        r"^reviews/(?P<review_id>[0-9]{1,10})/votes/?$",
        api.ReviewVoteApi.as_view(),
        name="api-review-votes",
    ),
    re_path(
        r"^reviews/(?P<review_id>[0-9]{1,10})/reports/?$",
        api.ReviewReportApi.as_view(),
        name="api-review-reports",
    ),
    re_path(
        r"^reviews/(?P<review_id>[0-9]{1,10})/reply/?$",
        api.ReviewReplyApi.as_view(),
        name="api-review-reply",
    ),
]
