from django.urls import re_path
from rest_framework.routers import SimpleRouter

from shop.payments.api import PaymentWebhookApi

router = SimpleRouter()
router.trailing_slash = "/?"

urlpatterns = [
    re_path(
        r"^payments/webhook/(?P<gateway>[^/]+)/?$",
        PaymentWebhookApi.as_view(),
        name="payments-webhook",
    ),
    *router.urls,
]
