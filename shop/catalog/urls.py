from django.urls import path

from shop.catalog import views

urlpatterns = [
    path("", views.home, name="home"),
]
