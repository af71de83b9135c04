"""The store's pages under /pages/."""

from django.urls import path

from shop.pages import views

urlpatterns = [
    path("<slug:slug>/", views.store_page_detail, name="store_page"),
]
