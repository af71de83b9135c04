"""The product page's "Often bought together: Add both to cart" form posts here. Thin: the
cart's own service adds each variant (its stock and quantity rules apply), both or neither."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shop.cart import services as cart_services
from shop.cart.request import request_cart, request_cart_count_refresh
from shop.core.csrf import csrf_protect_cached_form
from shop.core.errors import DomainError

CHOOSE = "Choose the two products to add to your cart."


def _back(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/cart/"


@require_POST
@csrf_protect_cached_form
def bought_together_add(request: HttpRequest) -> HttpResponse:
    """Add each posted `variant` (two: the product's and the one often bought with it) to
    the cart, one of each, in one transaction: both are added or neither."""
    raw = request.POST.getlist("variant")
    try:
        variant_ids = list(dict.fromkeys(int(value) for value in raw))
    except ValueError:
        variant_ids = []
    if not 1 < len(variant_ids) <= 2:
        messages.error(request, CHOOSE)
        return redirect(_back(request))
    try:
        with transaction.atomic():
            cart = request_cart(request, create=True)
            for variant_id in variant_ids:
                cart_services.cart_item_add(cart=cart, variant_id=variant_id, quantity=1)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request))
    except Http404:
        messages.error(request, "One of these is no longer available; please try again.")
        return redirect(_back(request))
    request_cart_count_refresh(request, cart=cart)
    messages.success(request, "Added both to your cart.")
    return redirect("/cart/")
