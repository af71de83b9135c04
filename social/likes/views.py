"""The pages of likes: like and unlike a product (a POST from a card or a product page:
with htmx the product's decoration comes back to be swapped in place, without JavaScript a
redirect back to the page), and /likes/ (my likes, newest first, "Show more" by cursor).
Thin: the services and selectors do the work."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from shop.core.csrf import csrf_protect_cached_form
from shop.core.cursors import TimeCursor
from shop.core.errors import DomainError
from social.likes import proof, selectors, services

PLACES = ("card", "page")


def _safe(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def _back(request, product) -> str:
    """Where a form comes back to: its `next`, else the page it was sent from, else the
    product's page (only addresses of this site)."""
    return (
        _safe(request, request.POST.get("next"))
        or _safe(request, request.META.get("HTTP_REFERER"))
        or product.get_absolute_url()
    )


def _to_login(request, product) -> HttpResponse:
    back = _safe(request, request.POST.get("next")) or product.get_absolute_url()
    url = f"{settings.LOGIN_URL}?{urlencode({'next': back})}"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _answer(request, product, *, liked_now: bool) -> HttpResponse:
    place = request.POST.get("place")
    place = place if place in PLACES else "card"
    if not request.htmx:
        return HttpResponseRedirect(_back(request, product))
    item = proof.product_social(viewer=request.user, product_ids=[product.pk]).get(product.pk)
    if item is None:  # unliked after it was unpublished: nothing to show in its place
        return HttpResponse("")
    more = selectors.more_like_this(product=product, viewer=request.user) if liked_now else None
    return HttpResponse(
        proof.decoration_render(
            viewer=request.user, state=item.state, proof=item.proof, place=place, more=more
        )
    )


@csrf_protect_cached_form
@require_POST
def like_create(request, slug: str):
    product = selectors.like_product_get(slug=slug)
    if not request.user.is_authenticated:
        return _to_login(request, product)
    try:
        services.like_create(user=request.user, product=product)
    except DomainError as error:
        if request.htmx:
            return HttpResponse(error.message, status=400)
        messages.error(request, error.message)
        return HttpResponseRedirect(_back(request, product))
    if not request.htmx:
        messages.success(request, f"You like {product.title}.")
    return _answer(request, product, liked_now=True)


@csrf_protect_cached_form
@require_POST
def like_delete(request, slug: str):
    product = selectors.like_product_get(slug=slug)
    if not request.user.is_authenticated:
        return _to_login(request, product)
    services.like_delete(user=request.user, product=product)
    if not request.htmx:
        messages.success(request, f"{product.title} is no longer in your likes.")
    return _answer(request, product, liked_now=False)


@login_required
@require_GET
def likes_page(request):
    page = selectors.like_page_for_user(
        user=request.user,
        # A malformed cursor (an old link) shows the newest again.
        cursor=TimeCursor.decode(request.GET.get("cursor")),
        size=selectors.PAGE_SIZE,
    )
    if request.htmx and request.GET.get("cursor"):
        return render(request, "likes/list_page.html", {"page": page})
    return render(request, "likes/list.html", {"page": page})
