"""The authentication backends (settings.AUTHENTICATION_BACKENDS): allauth's, then Django's.

allauth's backend checks every password, the shop's log-in and the admin's alike: it finds the
person by email or username (the admin's "Email or username" field too) and hashes the
password once, or once against a dummy when no one matches. Django's backend checked it
again before it whenever allauth's found no one or the password was wrong, and for any
email log-in (allauth passes the email as the username as well): two hashes of a slow
hasher per attempt. It stays listed only so that sessions begun through it still resolve.

`get_user`, which runs on every signed-in request, takes the user's row that the session's
read brought (shop.accounts.sessions), fresh from the database; outside a request, or for a
session whose read did not bring it, it reads the row with a query compiled once
(shop.accounts.session_reads).
"""

from allauth.account import auth_backends
from django.contrib.auth import backends

from shop.accounts.models import User
from shop.accounts.session_reads import user_get
from shop.accounts.sessions import NOT_READ, session_user


class _UserGetMixin:
    def get_user(self, user_id) -> User | None:
        user = session_user(user_id)
        if user is NOT_READ:
            user = user_get(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserGetMixin, backends.ModelBackend):
    """Django's backend, for the sessions it began; it checks no password any more."""

    def authenticate(self, request, username=None, password=None, **kwargs) -> None:
        return None


class AuthenticationBackend(_UserGetMixin, auth_backends.AuthenticationBackend):
    """allauth's backend (log-in by email or username, the admin's too; permissions)."""

    def authenticate(self, request, **credentials):
        # allauth's log-in form passes an email both as `email` and as `username`, and the
        # backend tries the username by email first: the `email` pass would check the same
        # person's password a second time when it is wrong.
        if credentials.get("email") and credentials.get("username") == credentials["email"]:
            credentials.pop("email")
        return super().authenticate(request, **credentials)
