from django.urls import re_path
from rest_framework.routers import SimpleRouter

from shop.accounts import api, data_api

router = SimpleRouter()
# SimpleRouter's __init__ turns any truthy trailing_slash into "/"; set the optional one after.
router.trailing_slash = "/?"

urlpatterns = [
    re_path(r"^me/?$", api.MeApi.as_view(), name="api-me"),
    re_path(r"^me/export/?$", data_api.PersonalDataExportApi.as_view(), name="api-me-export"),
    *router.urls,
]
