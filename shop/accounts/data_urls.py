"""Your data and your account's end, under /settings/ (config/urls.py)."""

from django.urls import path

from shop.accounts import data_views

urlpatterns = [
    path("data/", data_views.personal_data_page, name="personal_data"),
    path(
        "data/<str:token>/download/",
        data_views.personal_data_download,
        name="personal_data_download",
    ),
    path("delete/", data_views.account_delete_page, name="account_delete"),
]
