"""Record the visits that come through a share link (a product page with ?s=<token>).

A middleware, not the product view: the product page belongs to the shop (which imports no
social app) and is served from shared cached parts, whole for a visitor without cookies.
The token changes nothing of the page (its body and head are the same for everyone, og:url
is the product's own address); it is read here, before the view, only to record the visit
once per (share, visitor) and to keep the attribution in the visitor's session for the
order they may place (shop.orders.attribution). A request without ?s= costs nothing.
"""

from django.http import HttpRequest, HttpResponse

from shop.orders.attribution import attribution_remember
from social.likes import share_selectors, share_services

PRODUCT_PREFIX = "/products/"


def _product_slug(path: str) -> str | None:
    if not path.startswith(PRODUCT_PREFIX):
        return None
    slug = path[len(PRODUCT_PREFIX) :].strip("/")
    return slug if slug and "/" not in slug else None


class ShareVisitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.GET.get("s") if request.method == "GET" else None
        if token:
            slug = _product_slug(request.path)
            if slug is not None:
                share_visit_note(request, token=token, product_slug=slug)
        return self.get_response(request)


def share_visit_note(request: HttpRequest, *, token: str, product_slug: str) -> None:
    """Record REQUEST's visit through the share TOKEN of PRODUCT_SLUG, if the token is one:
    an unknown token records nothing and leaves the session alone."""
    share = share_selectors.share_for_link(token=token, product_slug=product_slug)
    if share is None:
        return
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.pk == share.sharer_id:
        return  # the sharer checking their own link is no visit
    visit = share_services.share_visit_record(
        share=share,
        visitor_key=share_services.share_visitor_key(request.session),
        visitor=user,
    )
    if visit is not None:
        attribution_remember(
            request.session, value=share_services.share_attribution(share=share, visit=visit)
        )
