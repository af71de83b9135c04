"""The authentication backends (settings.AUTHENTICATION_BACKENDS): Django's and allauth's.

They authenticate exactly as their parents do; `get_user`, which runs on every signed-in
request, reads the user's row with a query compiled once (shop.accounts.session_reads),
fresh from the database every time.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends

from shop.accounts.models import User
from shop.accounts.session_reads import user_get


class _UserGetMixin:
    def get_user(self, user_id) -> User | None:
        user = user_get(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserGetMixin, backends.ModelBackend):
    """Django's username-and-password backend (the admin's log-in, force_login)."""


class AuthenticationBackend(_UserGetMixin, auth_backends.AuthenticationBackend):
    """allauth's backend (log-in by email or username)."""
