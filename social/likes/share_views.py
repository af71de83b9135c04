"""Share pages: the share form's target (/shares/new/: a link, friends, or another network),
a sharer's page of one share link (/shares/<token>/), and the product page's share control
(a decoration, filled per signed-in viewer into the cached page). Thin.

The share control lives on a cached page, so its forms carry no CSRF token: the target is
protected as the add-to-cart form is (shop.core.csrf.csrf_protect_cached_form). Everything
works without JavaScript (a <details> disclosure, plain forms, the friends to send to on a
page of their own, redirects); htmx loads that list into the panel when it opens, swaps the
answer in place, and static/js/share.js adds "Copy" and the Web Share API.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from shop.catalog.selectors import product_list_by_ids
from shop.core.csrf import csrf_protect_cached_form
from shop.core.errors import DomainError, RateLimitError
from social.likes import share_selectors, share_services
from social.likes.models import Share


def _product_from(request, *, data=None):
    raw = (request.POST if data is None else data).get("product", "")
    product_id = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 19 else None
    if product_id is None:
        return None
    return product_list_by_ids(product_ids=[product_id]).get(product_id)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _names(people) -> str:
    names = [p.public_name for p in people]
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _link_context(share: Share) -> dict:
    url = share_services.share_absolute_url(share)
    return {
        "share": share,
        "share_link": url,
        "networks": share_selectors.share_network_links(url=url, title=share.product.title),
    }


@csrf_protect_cached_form
@require_POST
def share_create(request):
    """Share the posted product: as a link (shown, or its page without JavaScript), to
    friends (a message, back to the product), or to another network (JSON for the Web Share
    API). Errors: the message in place (htmx), 400 JSON naming the field, or a flash."""
    product = _product_from(request)
    back = product.get_absolute_url() if product is not None else "/"
    if not request.user.is_authenticated:
        if _wants_json(request):
            error = {"detail": [{"message": "Log in to share.", "code": "not_authenticated"}]}
            return JsonResponse({"errors": error}, status=401)
        return redirect_to_login(back)
    try:
        share = share_services.share_create(
            sharer=request.user,
            product=product,
            channel=request.POST.get("channel", ""),
            recipient_ids=[v for v in request.POST.getlist("recipients") if v],
            message=request.POST.get("message", ""),
            network=request.POST.get("network", ""),
        )
    except DomainError as exc:
        status = 429 if isinstance(exc, RateLimitError) else 400
        if _wants_json(request):
            return JsonResponse({"errors": exc.as_error_dict()}, status=status)
        if request.htmx:
            html = render_to_string("likes/share_status.html", {"error": exc.message})
            return HttpResponse(html)
        messages.error(request, exc.message)
        return redirect(back)

    if _wants_json(request):
        return JsonResponse(
            {
                "token": share.token,
                "url": share_services.share_absolute_url(share),
                "title": share.product.title,
            },
            status=201,
        )
    if share.channel == Share.Channel.FRIENDS:
        people = list(share.recipients.select_related("user").order_by("user__display_name"))
        text = f"Shared with {_names([r.user for r in people])}."
        if request.htmx:
            return HttpResponse(render_to_string("likes/share_status.html", {"success": text}))
        messages.success(request, text)
        return redirect(back)
    if request.htmx:
        return HttpResponse(render_to_string("likes/share_link.html", _link_context(share)))
    return redirect("share_detail", token=share.token)


@login_required
@require_GET
def share_detail(request, token: str):
    """The sharer's page of one share link: the link to copy and the other networks."""
    share = share_selectors.share_get_for_sharer(viewer=request.user, token=token)
    return render(request, "likes/share_detail.html", _link_context(share))


@login_required
@require_GET
def share_friends(request):
    """The friends to send ?product= to (the share panel's list): the fragment the panel loads
    when it opens (htmx), or a page of its own (the panel's link without JavaScript).
    Http404 for a missing or unpublished product. Two queries besides the session's."""
    product = _product_from(request, data=request.GET)
    if product is None:
        raise Http404("No such product.")
    context = {
        "product": product,
        "product_id": product.pk,
        "friends": list(share_selectors.share_friend_choices(viewer=request.user)),
    }
    template = "likes/share_friends.html" if request.htmx else "likes/share_friends_page.html"
    return render(request, template, context)


def share_decorate(*, viewer, product_ids: list[int], place: str) -> dict[int, str]:
    """The product page's share control (a page decoration of shop.catalog's page cache);
    cards get none. No query: the friends to choose from are loaded when the panel opens
    (share_friends), so the control is the same for every viewer."""
    if place != "page" or not product_ids:
        return {}
    dialog = _share_dialog_slotted()
    return {
        product_id: dialog.replace(_PRODUCT_SLOT, str(product_id)) for product_id in product_ids
    }


# Where the product's id goes in the rendered control (letters only: no escaping changes it).
_PRODUCT_SLOT = "agorashareproductslot"


@functools.cache
def _share_dialog_slotted() -> str:
    """The share control, the same for every viewer and product but the product's id: rendered
    once per process, so a product page pays no template for it."""
    return render_to_string("likes/share_dialog.html", {"product_id": _PRODUCT_SLOT})
