"""/api/v1/cart... and /api/v1/discount-codes/check (with or without a trailing slash)."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from shop.cart import api

router = SimpleRouter()
router.trailing_slash = "/?"

urlpatterns = [
    *router.urls,
    re_path(r"^cart/?$", api.CartApi.as_view(), name="api-cart"),
    re_path(r"^cart/items/?$", api.CartItemListApi.as_view(), name="api-cart-items"),
    re_path(
        r"^cart/items/(?P<line_id>[^/]+)/?$",
        api.CartItemDetailApi.as_view(),
        name="api-cart-item",
    ),
    re_path(r"^cart/discount/?$", api.CartDiscountApi.as_view(), name="api-cart-discount"),
    re_path(r"^discount-codes/check/?$", api.DiscountCheckApi.as_view(), name="api-discount-check"),
]
