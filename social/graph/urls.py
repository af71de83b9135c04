from django.urls import path

from social.graph import views

urlpatterns = [
    path("<str:token>/", views.invite_open, name="invite_open"),
]
