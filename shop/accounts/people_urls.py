"""Public profiles under /people/."""

from django.urls import path

from shop.accounts import views

urlpatterns = [
    path("<str:username>/", views.person_detail, name="person_detail"),
]
