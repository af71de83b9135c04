"""The cart page and the forms that change the cart.

Every form works without JavaScript: it posts, the view answers with a redirect and the
outcome as a flash message. With htmx the same forms post in the background and the view
answers with the part of the page that changed (the cart, or the add-to-cart status on a
product page) plus the header's count, swapped out of band. Bad input is a message on the
page, never an error page.
"""

from math import ceil

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from shop.cart import selectors, services
from shop.cart.forms import CartAddForm, CartLineQuantityForm, DiscountCodeForm, form_first_error
from shop.cart.line_decorations import CartLineRef, cart_line_actions, cart_line_decorations
from shop.cart.models import Cart
from shop.cart.request import request_cart, request_cart_count_refresh
from shop.core.csrf import csrf_protect_cached_form
from shop.core.errors import DomainError
from shop.core.throttling import request_throttle_wait

CART_URL = "/cart/"
LINE_GONE = "That item is no longer in your cart."


@require_safe
def cart_detail(request: HttpRequest) -> HttpResponse:
    cart = request_cart(request)
    summary = selectors.cart_summary(cart=cart)
    # The header's count may be stale (the cart was changed on another device, or an order
    # emptied it): the cart page puts it right.
    request_cart_count_refresh(request, cart=cart, count=summary.item_count)
    return render(request, "cart/cart_detail.html", _cart_context(summary, request=request))


def _cart_context(summary: selectors.CartSummary, *, request: HttpRequest) -> dict[str, object]:
    return {
        "summary": summary,
        # Other apps' word under each line (shop.cart.line_decorations), for a signed-in viewer.
        "line_decorations": cart_line_decorations(
            viewer=request.user, product_ids=[line.product.pk for line in summary.lines]
        ),
        # Other apps' buttons beside each line (Move to wishlist), by line id.
        "line_actions": cart_line_actions(
            viewer=request.user,
            lines=[
                CartLineRef(
                    line_id=line.line_id,
                    product_id=line.product.pk,
                    variant_id=line.variant.pk,
                    quantity=line.quantity,
                    title=line.product.title,
                )
                for line in summary.lines
            ],
        ),
        "discount_description": (
            selectors.discount_describe(discount=summary.discount) if summary.discount else ""
        ),
        "max_quantity": services.MAX_QUANTITY,
    }


def _cart_changed(request: HttpRequest, *, cart: Cart | None) -> HttpResponse:
    """Answer a change made on the cart page: the new cart for htmx, else back to the page."""
    if not request.htmx:
        request_cart_count_refresh(request, cart=cart)
        return redirect(CART_URL)
    summary = selectors.cart_summary(cart=cart)
    request_cart_count_refresh(request, cart=cart, count=summary.item_count)
    return render(request, "cart/cart_fragment.html", _cart_context(summary, request=request))


# --- adding, from a product page -------------------------------------------------------------


@require_POST
@csrf_protect_cached_form
def cart_add(request: HttpRequest) -> HttpResponse:
    """Add a variant to the cart. Posted from the (cached) product page: see shop.core.csrf."""
    form = CartAddForm(request.POST)
    if not form.is_valid():
        return _add_answer(request, level=messages.ERROR, text=form_first_error(form))
    quantity = form.cleaned_data["quantity"]
    try:
        cart = request_cart(request, create=True)
        line = services.cart_item_add(
            cart=cart, variant_id=form.cleaned_data["variant"], quantity=quantity
        )
    except DomainError as exc:
        return _add_answer(request, level=messages.ERROR, text=exc.message)
    except Http404:
        return _add_answer(
            request, level=messages.ERROR, text="Your cart changed meanwhile; please try again."
        )
    request_cart_count_refresh(request, cart=cart)
    return _add_answer(
        request,
        level=messages.SUCCESS,
        text=_added_message(line=line, quantity=quantity),
        redirect_to=f"{line.variant.product.get_absolute_url()}?variant={line.variant.pk}",
    )


def _added_message(*, line, quantity: int) -> str:
    variant = line.variant
    name = selectors.variant_display_name(variant=variant)
    added = quantity - (line.requested_quantity - line.quantity)
    what = name if added == 1 else f"{added} × {name}"
    if line.quantity >= line.requested_quantity:
        return f"Added {what} to your cart."
    if line.quantity == variant.stock:
        limit = f"Only {variant.stock} in stock"
    else:
        limit = f"At most {services.MAX_QUANTITY} of one item"
    if added <= 0:
        return f"{limit}: your cart already holds {line.quantity}."
    return f"Added {what} to your cart. {limit}: your cart now holds {line.quantity}."


def _add_answer(
    request: HttpRequest, *, level: int, text: str, redirect_to: str | None = None
) -> HttpResponse:
    """htmx: the status line under the button (and the header's count); else a redirect."""
    if request.htmx:
        return render(
            request,
            "cart/add_status.html",
            {"level": "success" if level == messages.SUCCESS else "error", "text": text},
        )
    messages.add_message(request, level, text)
    return redirect(redirect_to or _back(request))


def _back(request: HttpRequest) -> str:
    """The page the form was on, if it is one of ours, else the cart."""
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return CART_URL


# --- changing lines, on the cart page ---------------------------------------------------------


def _name(line) -> str:
    return selectors.variant_display_name(variant=line.variant)


@require_POST
def cart_line_update(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = request_cart(request)
    form = CartLineQuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_first_error(form))
        return _cart_changed(request, cart=cart)
    line = selectors.cart_line_get(cart=cart, line_id=line_id) if cart is not None else None
    if line is None:
        messages.error(request, LINE_GONE)
        return _cart_changed(request, cart=cart)
    try:
        updated = services.cart_item_set_quantity(
            cart=cart, line_id=line.pk, quantity=form.cleaned_data["quantity"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    except Http404:
        messages.error(request, LINE_GONE)
    else:
        if updated is None:
            messages.success(request, f"Removed {_name(line)} from your cart.")
        else:
            messages.success(request, f"You now have {updated.quantity} × {_name(line)}.")
    return _cart_changed(request, cart=cart)


@require_POST
def cart_line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = request_cart(request)
    line = selectors.cart_line_get(cart=cart, line_id=line_id) if cart is not None else None
    try:
        if line is None:
            raise Http404(LINE_GONE)
        services.cart_item_remove(cart=cart, line_id=line.pk)
    except Http404:
        messages.info(request, "That item was already removed from your cart.")
    else:
        messages.success(request, f"Removed {_name(line)} from your cart.")
    return _cart_changed(request, cart=cart)


# --- discount code ----------------------------------------------------------------------------


@require_POST
def cart_discount_apply(request: HttpRequest) -> HttpResponse:
    """Apply the code typed; one that cannot be used is explained next to the field, which
    keeps what was typed (the cart page, or its fragment for htmx, rendered with the error)."""
    cart = request_cart(request)
    form = DiscountCodeForm(request.POST)
    if cart is None:
        messages.error(request, "Add something to your cart before using a discount code.")
        return _cart_changed(request, cart=cart)
    if not form.is_valid():
        error = form_first_error(form)
    elif (wait := request_throttle_wait(request, scope="discount")) is not None:
        # Guessing codes through the form is throttled as through the API.
        error = f"Too many codes tried: please try again in {ceil(wait)} seconds."
    else:
        try:
            discount = services.cart_discount_apply(cart=cart, code=form.cleaned_data["code"])
        except DomainError as exc:
            error = exc.message
        else:
            description = selectors.discount_describe(discount=discount)
            messages.success(request, f"Code {discount.code} applied: {description}.")
            return _cart_changed(request, cart=cart)
    return _discount_refused(request, cart=cart, typed=request.POST.get("code", ""), error=error)


def _discount_refused(request: HttpRequest, *, cart: Cart, typed: str, error: str) -> HttpResponse:
    """The cart with the discount form's error beside the field and the code as typed."""
    summary = selectors.cart_summary(cart=cart)
    context = {
        **_cart_context(summary, request=request),
        "discount_typed": str(typed)[: DiscountCodeForm.base_fields["code"].max_length],
        "discount_error": error,
    }
    template = "cart/cart_fragment.html" if request.htmx else "cart/cart_detail.html"
    request_cart_count_refresh(request, cart=cart, count=summary.item_count)
    return render(request, template, context)


@require_POST
def cart_discount_remove(request: HttpRequest) -> HttpResponse:
    cart = request_cart(request)
    if cart is not None and cart.discount_code is not None:
        code = cart.discount_code.code
        services.cart_discount_remove(cart=cart)
        messages.success(request, f"Removed the code {code}.")
    return _cart_changed(request, cart=cart)
