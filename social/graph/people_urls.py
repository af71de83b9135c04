"""People's pages under /people/ (config/urls.py mounts them there)."""

from django.urls import path

from social.graph import people_views

urlpatterns = [
    path("", people_views.people_search, name="people_search"),
    path("<str:username>/", people_views.person_page, name="person_detail"),
    path("<str:username>/report/", people_views.person_report, name="person_report"),
    path("<str:username>/<slug:action>/", people_views.person_act, name="person_act"),
]
