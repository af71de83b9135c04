"""The API of likes and social proof (mounted by social/likes/api_urls.py)."""

from django.urls import re_path

from social.likes import api

urlpatterns = [
    re_path(r"^likes/?$", api.LikeListApi.as_view(), name="api-likes"),
    re_path(r"^likes/(?P<slug>[^/]+)/?$", api.LikeDetailApi.as_view(), name="api-like"),
    re_path(
        r"^products/(?P<slug>[^/]+)/social-proof/?$",
        api.ProductSocialProofApi.as_view(),
        name="api-product-social-proof",
    ),
    re_path(r"^social-proof/?$", api.SocialProofListApi.as_view(), name="api-social-proof"),
]
