"""The API of recommendations, under /api/v1/ (config/api_urls.py)."""

from django.urls import re_path

from social.recommendations import products_api

urlpatterns = [
    re_path(
        r"^recommendations/?$",
        products_api.RecommendationListApi.as_view(),
        name="api-recommendations",
    ),
    re_path(
        r"^products/(?P<slug>[^/]+)/bought-together/?$",
        products_api.BoughtTogetherApi.as_view(),
        name="api-product-bought-together",
    ),
]
