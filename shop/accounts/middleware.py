"""Authentication (settings.MIDDLEWARE): Django's, taking the person's row the session's read
brought (shop.accounts.sessions) instead of reading it a second time.

Django's own `get_user` still decides who is signed in: the backend named in the session, the
check of the session's password hash (with the fallback keys), the flush of a session that
fails it. Only the backend's `get_user` finds the row already read (shop.accounts.backends).

On a page that shows the header (GET or HEAD, outside the API and htmx's requests), the
session's read brings the person's header badges along too (shop.accounts.session_reads).
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
        # A page (GET, HEAD; not the API, nor htmx's fragments and polls) shows the header's
        # badges: the session's read brings them along (shop.accounts.session_reads), rather
        # than a query of their own. Elsewhere they are read only if a page asks for them.
        request.session.badges_wanted = (
            request.method in ("GET", "HEAD")
            and not request.path_info.startswith("/api/")
            and "HX-Request" not in request.headers
        )
