"""The Content-Security-Policy header, on every response.

Scripts, styles, fonts, frames and fetches come from this site only, with no 'unsafe-inline':
every script and style lives in static/ (JSON-LD blocks are data, which the policy does not
govern). Images may also be data: URLs; nothing may frame the site, and forms post here only.

Settings add origins site-wide: CSP_EXTRA_SCRIPT_SRC, CSP_EXTRA_STYLE_SRC, CSP_EXTRA_IMG_SRC,
CSP_EXTRA_CONNECT_SRC and CSP_EXTRA_FRAME_SRC (lists; Stripe mode puts Stripe.js and its API
there, see config/settings.py). They are read on every response, so a changed setting applies
at once. CSP_ENABLED turns the header off, CSP_REPORT_ONLY sends it as
Content-Security-Policy-Report-Only, CSP_REPORT_URI names where browsers report violations.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"


def content_security_policy() -> str:
    """Return the policy the settings describe, one directive after another."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *settings.CSP_EXTRA_SCRIPT_SRC],
        "style-src": ["'self'", *settings.CSP_EXTRA_STYLE_SRC],
        "img-src": ["'self'", "data:", *settings.CSP_EXTRA_IMG_SRC],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *settings.CSP_EXTRA_CONNECT_SRC],
        "frame-src": ["'self'", *settings.CSP_EXTRA_FRAME_SRC],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    if settings.CSP_REPORT_URI:
        directives["report-uri"] = [settings.CSP_REPORT_URI]
    return "; ".join(
        f"{name} {' '.join(dict.fromkeys(sources))}" for name, sources in directives.items()
    )


class ContentSecurityPolicyMiddleware:
    """Add the site's Content-Security-Policy to every response that has none of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not settings.CSP_ENABLED or HEADER in response or REPORT_ONLY_HEADER in response:
            return response
        if settings.DEBUG and response.status_code == 500:
            return response  # Django's technical error page is styled inline: let it show
        name = REPORT_ONLY_HEADER if settings.CSP_REPORT_ONLY else HEADER
        response[name] = content_security_policy()
        return response
