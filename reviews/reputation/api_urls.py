"""The API of merchant reputation under /api/v1/ (included by config/api_urls.py)."""

from django.urls import path

from reviews.reputation import api

urlpatterns = [
    path(
        "merchants/<slug:slug>/reputation",
        api.MerchantReputationApi.as_view(),
        name="api_merchant_reputation",
    ),
]
