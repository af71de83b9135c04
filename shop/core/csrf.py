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

import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
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


# --- the masked token of a page -----------------------------------------------------------------

_CHAR_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# Random bytes below this map evenly onto the token's alphabet (byte % its length); the rest
# are dropped, so every character of a mask is equally likely, as with get_random_string.
_EVEN_BELOW = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def _csrf_mask_new() -> str:
    """Return a random mask of CSRF_SECRET_LENGTH characters of the token's alphabet."""
    chars: list[str] = []
    while len(chars) < CSRF_SECRET_LENGTH:
        chars.extend(
            CSRF_ALLOWED_CHARS[byte % len(CSRF_ALLOWED_CHARS)]
            for byte in secrets.token_bytes(CSRF_SECRET_LENGTH + 8)
            if byte < _EVEN_BELOW
        )
    return "".join(chars[:CSRF_SECRET_LENGTH])


def csrf_token_get(request: HttpRequest) -> str:
    """Return the CSRF token for a form of this response, as django.middleware.csrf.get_token
    does (this visitor's secret, masked afresh; the cookie marked to be sent), faster.

    get_token draws its mask one character at a time from the system's random source (32
    calls, ~0.15 ms of every signed-in page, whose header holds the log-out form); this draws
    it from one read of it, as evenly. The token is made once per request (a page that fills
    two forms asks twice): it is what {% csrf_token %} does within one template, since a
    mask only hides the secret from attacks that compare response sizes across requests.
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None or len(secret) != CSRF_SECRET_LENGTH or not secret.isalnum():
        return get_token(request)  # a new secret to make (and its cookie), or an odd one
    made = getattr(request, "_agora_csrf_token", None)
    if made is not None and made[0] == secret:
        token = made[1]
    else:
        mask = _csrf_mask_new()
        length = len(CSRF_ALLOWED_CHARS)
        cipher = "".join(
            CSRF_ALLOWED_CHARS[(_CHAR_INDEX[s] + _CHAR_INDEX[m]) % length]
            for s, m in zip(secret, mask, strict=True)
        )
        token = mask + cipher
        request._agora_csrf_token = (secret, token)
    # As get_token: the cookie is in use, so it is sent again (its expiry renewed).
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return token
