"""Cross-site request protection for forms posted without a CSRF token, for every app.

First user: the add-to-cart form, which lives on cached pages (later: a like button or a
gift pool's "chip in" on a cached page).

The product page is cached for anonymous visitors, whole, byte for byte: it cannot carry a
CSRF token (a token is per visitor, and rendering one sets a cookie, which the page cache
refuses). Its add-to-cart form therefore posts without a token. Instead of the token, the
browser's own word is taken: every current browser sends `Sec-Fetch-Site` and/or `Origin`
with a POST, and a page on another site can forge neither (they are forbidden header
names). A token-less POST is accepted only when the browser says it comes from this site;
anything else goes through Django's usual check (token and Origin), so a form that does
carry a token is checked exactly as everywhere else. This is the check OWASP describes as
"Fetch Metadata" / "Verifying Origin with standard headers", and the one Go's
net/http.CrossOriginProtection makes.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from rest_framework import permissions


def request_same_origin(request: HttpRequest) -> bool | None:
    """Return what the browser says of where `request` comes from.

    True: this site (Sec-Fetch-Site: same-origin, or an Origin equal to this site's or to
    one of CSRF_TRUSTED_ORIGINS). False: another site (or an opaque "null" origin). None:
    neither header (not a browser, or a browser too old to say).
    """
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site == "same-origin":
        return True
    if fetch_site in ("same-site", "cross-site"):
        return False
    if origin is None:
        return None
    try:
        return origin == f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return False


def _csrf_token_sent(request: HttpRequest) -> bool:
    return bool(
        request.POST.get("csrfmiddlewaretoken") or request.META.get(settings.CSRF_HEADER_NAME)
    )


def csrf_protect_cached_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Protect a view posted to from a cached page: no token needed from this site's pages.

    A POST without a token passes when request_same_origin() is True; every other request
    (a token sent, or no word from the browser, or another site) gets Django's CSRF check,
    which answers 403 when it fails.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            request.method == "POST"
            and not _csrf_token_sent(request)
            and request_same_origin(request) is True
        ):
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    # The site-wide CsrfViewMiddleware leaves the decision to `checked`.
    return csrf_exempt(checked)


class VisitorWritesFromThisSite(permissions.BasePermission):
    """Refuse a signed-out browser's write to the API when it comes from another site.

    A signed-in session is held to Django's CSRF check by DRF's SessionAuthentication; a
    visitor has nothing to authenticate, so DRF checks nothing for them, and a page on another
    site could plant a cart, an order or a session cookie in the visitor's browser. Their
    browser's own word (request_same_origin) is taken instead. Clients that are not browsers
    send neither header and pass. Subclasses say what is refused in `message`.
    """

    message = "This can only be changed from this site."

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS or request.user.is_authenticated:
            return True
        return request_same_origin(request) is not False
