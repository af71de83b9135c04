from django.urls import re_path

from social.likes import share_api

urlpatterns = [
    re_path(r"^shares/?$", share_api.ShareApi.as_view(), name="api-shares"),
]
