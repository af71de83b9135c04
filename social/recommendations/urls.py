"""Pages of recommendations (included by config/urls.py)."""

from django.urls import path

from social.recommendations import products_views

urlpatterns = [
    path(
        "recommendations/bought-together/add/",
        products_views.bought_together_add,
        name="bought-together-add",
    ),
]
