"""Authentication (settings.MIDDLEWARE): Django's, taking the person's row the session's read
brought (shop.accounts.sessions) instead of reading it a second time.

Django's own `get_user` still decides who is signed in: the backend named in the session, the
check of the session's password hash (with the fallback keys), the flush of a session that
fails it. Only the backend's `get_user` finds the row already read (shop.accounts.backends).
"""

from django.contrib import auth
from django.contrib.auth import middleware
from django.utils.functional import SimpleLazyObject

from shop.accounts.sessions import authenticating


def get_user(request):
    if not hasattr(request, "_cached_user"):
        with authenticating(request.session):
            request._cached_user = auth.get_user(request)
        # Once known, request.user is the user itself: each attribute read through the lazy
        # object costs a proxy call (a signed-in page reads some hundred).
        request.user = request._cached_user
    return request._cached_user


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    def process_request(self, request) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
