"""Account pages of our own, next to allauth's under /accounts/ (included before allauth.urls,
so "confirm-email/" here is the one that answers: allauth's page with the address named)."""

from django.urls import path

from shop.accounts import views

urlpatterns = [
    path("profile/", views.profile_edit, name="profile_edit"),
    path("confirm-email/", views.verification_sent, name="account_email_verification_sent"),
    path(
        "confirm-email/resend/",
        views.verification_email_resend,
        name="verification_email_resend",
    ),
]
