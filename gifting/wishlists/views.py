"""The pages of wishlists: /wishlists/ (my lists), /wishlists/<token>/ (a list as its viewer
may see it: the owner edits it and sees no claim until the reveal; friends and link holders
claim and release), and the product page's "Add to wishlist". Every form works without
JavaScript (a redirect and a flash message); "Add to wishlist" answers htmx with its box.
Thin: the services and selectors do the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gifting.wishlists import selectors, services
from gifting.wishlists.forms import ClaimForm, WishlistAddForm, WishlistForm, WishlistItemForm
from gifting.wishlists.models import WishlistItem
from shop.core.csrf import csrf_protect_cached_form
from shop.core.errors import DomainError

LIST_URL = "/wishlists/"
CART_URL = "/cart/"


def _url(wishlist) -> str:
    return f"{LIST_URL}{wishlist.token}/"


def _owned(request, token: str):
    """The list with TOKEN if the signed-in viewer owns it, else 404."""
    wishlist = selectors.wishlist_get_by_token(viewer=request.user, token=token)
    if wishlist.owner_id != request.user.pk:
        raise Http404("No such list.")
    return wishlist


def _addresses(request) -> list:
    """The signed-in owner's saved addresses, for "Friends may send gifts to"."""
    from shop.accounts.selectors import address_list_for_user

    return list(address_list_for_user(user=request.user))


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}: {errors[0]}" if label else errors[0]
    return "Please check the form."


@login_required
@require_GET
def wishlists_page(request):
    return render(
        request,
        "wishlists/list.html",
        {
            "wishlists": selectors.wishlist_list_for_owner(owner=request.user),
            "form": WishlistForm(addresses=_addresses(request)),
        },
    )


@login_required
@require_POST
def wishlist_create(request):
    form = WishlistForm(request.POST, addresses=_addresses(request))
    if form.is_valid():
        try:
            wishlist = services.wishlist_create(owner=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Your list “{wishlist.title}” is ready: add products to it.")
            return redirect(_url(wishlist))
    wishlists = selectors.wishlist_list_for_owner(owner=request.user)
    context = {"wishlists": wishlists, "form": form}
    return render(request, "wishlists/list.html", context, status=400)


@require_GET
def wishlist_page(request, token: str):
    wishlist = selectors.wishlist_get_by_token(viewer=request.user, token=token)
    shown = selectors.wishlist_shown(viewer=request.user, wishlist=wishlist)
    context = {"shown": shown, "wishlist": wishlist, "priorities": WishlistItem.Priority}
    if shown.is_owner:
        context["form"] = WishlistForm(
            initial={
                "title": wishlist.title,
                "occasion_on": wishlist.occasion_on,
                "visibility": wishlist.visibility,
                "shipping_address": str(wishlist.shipping_address_id or ""),
            },
            addresses=_addresses(request),
        )
    return render(request, "wishlists/detail.html", context)


@login_required
@require_POST
def wishlist_update(request, token: str):
    wishlist = _owned(request, token)
    form = WishlistForm(request.POST, addresses=_addresses(request))
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(_url(wishlist))
    try:
        services.wishlist_update(wishlist=wishlist, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your list is saved.")
    return redirect(_url(wishlist))


@login_required
@require_POST
def wishlist_delete(request, token: str):
    wishlist = _owned(request, token)
    title = wishlist.title
    services.wishlist_delete(wishlist=wishlist)
    messages.success(request, f"The list “{title}” is deleted.")
    return redirect(LIST_URL)


@login_required
@require_http_methods(["GET", "POST"])
def wishlist_reveal(request, token: str):
    """GET: ask "Spoil the surprise?"; POST: show the owner the claims from now on."""
    wishlist = _owned(request, token)
    if request.method == "POST":
        services.wishlist_reveal(wishlist=wishlist)
        messages.success(request, "Here is who is giving you what.")
        return redirect(_url(wishlist))
    return render(request, "wishlists/reveal.html", {"wishlist": wishlist})


def _owned_item(request, token: str, item_id: int):
    wishlist = _owned(request, token)
    item = selectors.wishlist_item_get_for_owner(owner=request.user, item_id=item_id)
    if item.wishlist_id != wishlist.pk:
        raise Http404("No such wish.")
    return wishlist, item


@login_required
@require_POST
def wishlist_item_update(request, token: str, item_id: int):
    wishlist, item = _owned_item(request, token, item_id)
    form = WishlistItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(_url(wishlist))
    try:
        services.wishlist_item_update(item=item, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Saved.")
    return redirect(_url(wishlist))


@login_required
@require_POST
def wishlist_item_remove(request, token: str, item_id: int):
    wishlist, item = _owned_item(request, token, item_id)
    services.wishlist_item_remove(item=item)
    messages.success(request, "Removed from the list.")
    return redirect(_url(wishlist))


@login_required
@require_POST
def wishlist_item_to_cart(request, token: str, item_id: int):
    from shop.cart.request import request_cart, request_cart_count_refresh

    wishlist, item = _owned_item(request, token, item_id)
    try:
        cart = request_cart(request, create=True)
        services.wishlist_item_to_cart(item=item, cart=cart)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url(wishlist))
    request_cart_count_refresh(request, cart=cart)
    messages.success(request, "Added to your cart.")
    return redirect(_url(wishlist))


@login_required
@require_POST
def claim_create(request, token: str, item_id: int):
    wishlist = selectors.wishlist_get_by_token(viewer=request.user, token=token)
    item = selectors.wishlist_item_get(item_id=item_id)
    if item.wishlist_id != wishlist.pk:
        raise Http404("No such wish.")
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(_url(wishlist))
    try:
        services.claim_create(
            item=item,
            claimer=request.user,
            quantity=form.cleaned_data["quantity"],
            link_opened=True,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "It is yours to give: the others see it is taken, and it stays a surprise."
        )
    return redirect(_url(wishlist))


@login_required
@require_POST
def claim_release(request, token: str, claim_id: int):
    wishlist = selectors.wishlist_get_by_token(viewer=request.user, token=token)
    claim = selectors.claim_get_for_claimer(claimer=request.user, claim_id=claim_id)
    if claim.item.wishlist_id != wishlist.pk:
        raise Http404("No such claim.")
    try:
        services.claim_release(claim=claim, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Released: someone else can give it now.")
    return redirect(_url(wishlist))


@login_required
@require_POST
def claim_buy(request, token: str, claim_id: int):
    """ "Buy this gift": the claimed units go in the cart, the list's gift address (if its owner
    set one) is offered at checkout, and checkout opens."""
    from shop.cart.request import request_cart, request_cart_count_refresh
    from shop.orders.destinations import destination_offer

    wishlist = selectors.wishlist_get_by_token(viewer=request.user, token=token)
    claim = selectors.claim_get_for_claimer(claimer=request.user, claim_id=claim_id)
    if claim.item.wishlist_id != wishlist.pk:
        raise Http404("No such claim.")
    cart = request_cart(request, create=True)
    try:
        services.claim_buy(claim=claim, cart=cart)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url(wishlist))
    request_cart_count_refresh(request, cart=cart)
    if wishlist.shipping_address_id:
        destination_offer(request.session, key=selectors.gift_destination_key(wishlist))
        messages.success(
            request,
            f"The gift is in your cart. Ship it to {wishlist.owner.public_name}’s registry "
            "address: you will not see the address, and it stays a surprise.",
        )
    else:
        messages.success(request, "The gift is in your cart: where should it go?")
    return redirect("/checkout/")


# --- the product page's "Add to wishlist" ----------------------------------------------------


def _back(request, product) -> str:
    """Where a form sent without JavaScript comes back to: the page it was sent from (a
    card's list), else the product's page (only addresses of this site)."""
    referer = request.META.get("HTTP_REFERER")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return product.get_absolute_url() if product else LIST_URL


def _add_answer(request, *, product, level, text: str, wishlist=None) -> HttpResponse:
    if request.htmx and product is None:
        return HttpResponse(text, status=400)
    if request.htmx and request.POST.get("place") == "card":
        # A card's button is swapped for the outcome, the list named and linked.
        return HttpResponse(
            render_to_string(
                "wishlists/card_status.html",
                {"wishlist": wishlist, "text": text, "level": level},
            )
        )
    if request.htmx:
        choices = selectors.wishlist_choices_for_owner(owner=request.user)
        html = render_to_string(
            "wishlists/add_box.html",
            {"product_id": product.pk, "choices": choices, "status": text, "level": level},
            request=request,
        )
        return HttpResponse(html)
    messages.add_message(request, level, text)
    return HttpResponseRedirect(_back(request, product))


def _variant_chosen(form):
    """The variant posted (if it is of the product posted), else the product's first in
    stock (else its first)."""
    from shop.catalog.selectors import variant_list_for_products

    variants = variant_list_for_products(product_ids=[form.cleaned_data["product"]])
    if form.cleaned_data["variant"]:
        return variants.filter(pk=form.cleaned_data["variant"]).first()
    options = list(variants.order_by("position", "id"))
    return next((v for v in options if v.stock > 0), options[0] if options else None)


@csrf_protect_cached_form
@require_POST
def wishlist_item_add(request):
    """Put the chosen variant on the chosen list (a new "My wishlist" when the viewer has
    none or asks for a new one). Posted from the (cached) product page: see shop.core.csrf."""
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={LIST_URL}")
    form = WishlistAddForm(request.POST)
    variant = _variant_chosen(form) if form.is_valid() else None
    product = variant.product if variant is not None else None
    if product is None:
        return _add_answer(
            request, product=None, level=messages.ERROR, text="Choose a product to add."
        )
    choice = form.cleaned_data["wishlist"]
    lists = selectors.wishlist_list_for_owner(owner=request.user)
    if choice and choice != "new":
        wishlist = lists.filter(pk=int(choice)).first() if choice.isdigit() else None
        if wishlist is None:
            return _add_answer(
                request, product=product, level=messages.ERROR, text="Choose one of your lists."
            )
    else:
        wishlist = (
            services.wishlist_create(owner=request.user, title="My wishlist")
            if choice == "new"
            else services.wishlist_default_for_owner(owner=request.user)
        )
    try:
        services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)
    except DomainError as error:
        return _add_answer(request, product=product, level=messages.ERROR, text=error.message)
    return _add_answer(
        request,
        product=product,
        level=messages.SUCCESS,
        text=f"Added to “{wishlist.title}”.",
        wishlist=wishlist,
    )


@csrf_protect_cached_form
@require_POST
def wishlist_item_from_cart(request):
    """The cart's "Move to wishlist": the line's option goes to the viewer's newest list (a new
    "My wishlist" if they have none) and leaves the cart; back to the cart with the outcome."""
    from shop.cart.request import request_cart, request_cart_count_refresh

    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={CART_URL}")
    line_id = request.POST.get("line", "")
    cart = request_cart(request)
    if cart is None or not line_id.isdigit():
        messages.error(request, "That item is no longer in your cart.")
        return redirect(CART_URL)
    try:
        item = services.wishlist_item_from_cart(owner=request.user, cart=cart, line_id=int(line_id))
    except Http404:
        messages.error(request, "That item is no longer in your cart.")
        return redirect(CART_URL)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(CART_URL)
    request_cart_count_refresh(request, cart=cart)
    wishlist = item.wishlist
    messages.success(
        request,
        format_html('Moved to <a href="{}">“{}”</a>.', _url(wishlist), wishlist.title),
    )
    return redirect(CART_URL)
