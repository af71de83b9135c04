from django.urls import re_path
from rest_framework.routers import SimpleRouter

from shop.orders import api

router = SimpleRouter()
# SimpleRouter's __init__ turns any truthy trailing_slash into "/"; set the optional one after.
router.trailing_slash = "/?"
router.register("orders", api.OrderApi, basename="api-order")

urlpatterns = [
    re_path(r"^checkout/?$", api.CheckoutApi.as_view(), name="api-checkout"),
    re_path(r"^shipping-methods/?$", api.ShippingMethodApi.as_view(), name="api-shipping-methods"),
    *router.urls,
]
