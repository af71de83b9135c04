"""Checkout and order pages.

/checkout/ (details) → /checkout/review/ (place the order) → /orders/<number>/pay/ (card;
/pay/confirm/ when the bank wants the card holder to confirm) → /orders/<number>/confirmation/.
A shopper's orders are at /orders/ and /orders/<number>/.

Views are thin: parse the form, call one service or selector, render. Prices and totals are
never taken from the request: the review page shows what services.order_place will charge,
recomputed from the cart on every request. A visitor (guest) reaches their order only through
the signed token in ?token= (from the pay redirect and the confirmation email); without it an
order that is not yours is a 404, so its existence stays private.
"""

from dataclasses import dataclass, field
from math import ceil
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shop.cart.request import request_cart, request_cart_count_refresh
from shop.cart.selectors import cart_summary
from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error, form_error_items
from shop.core.pagination import page_number_parse, paginate
from shop.core.request import request_link_token, request_user
from shop.core.throttling import request_throttle_wait
from shop.orders import selectors, services
from shop.orders.addresses import ADDRESS_FIELDS, AddressInput, country_name
from shop.orders.attribution import attribution_from_session
from shop.orders.destinations import destination_resolve, destinations_offered
from shop.orders.errors import OrderError
from shop.orders.forms import NEW_ADDRESS, CardForm, CheckoutForm
from shop.orders.models import Order
from shop.orders.vat import vat_rate_label
from shop.payments.models import Payment
from shop.payments.selectors import payment_latest_for_reference

# What /checkout/ collected, kept for /checkout/review/ (JSON: email, address, method id).
CHECKOUT_SESSION_KEY = "checkout"
ORDERS_PAGE_SIZE = 20
# Errors of these fields are about the cart's contents: the cart page is where to fix them.
CART_FIELDS = {"cart", "lines", "quantity"}
# Errors of these fields are about the details typed on /checkout/.
DETAILS_FIELDS = {"email", "shipping_method", "shipping_method_id", *ADDRESS_FIELDS}


# --- checkout -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    """Who, where and how: email, shipping address and shipping method."""
    summary = cart_summary(cart=request_cart(request))
    if summary.is_empty:
        messages.info(request, "Your cart is empty: add something to it before checking out.")
        return redirect("/cart/")
    user = request_user(request)
    addresses = list(selectors.address_list_for_user(user=user)) if user is not None else []
    methods = list(selectors.shipping_method_list())
    destinations = destinations_offered(request.session, user=user)
    form_kwargs = {
        "user": user,
        "addresses": addresses,
        "shipping_methods": methods,
        "destinations": destinations,
    }

    if request.method == "POST":
        form = CheckoutForm(request.POST, **form_kwargs)
        if form.is_valid():
            request.session[CHECKOUT_SESSION_KEY] = form.checkout_data()
            return redirect("checkout-review")
    else:
        form = CheckoutForm(
            initial=_checkout_initial(
                request, addresses=addresses, methods=methods, destinations=destinations
            ),
            **form_kwargs,
        )
    return render(
        request,
        "checkout/checkout.html",
        {
            "form": form,
            "summary": summary,
            "methods": methods,
            "has_addresses": bool(addresses or destinations),
            "login_url": "/accounts/login/?" + urlencode({"next": "/checkout/"}),
            "vat_rate_label": _vat_rate_label_now(),
            "errors": form_error_items(form),
        },
    )


def _vat_rate_label_now() -> str:
    """'21%' for the store's VAT rate now, '' when prices carry no VAT."""
    rate = selectors.vat_rate_current()
    return vat_rate_label(rate) if rate else ""


def _checkout_initial(
    request: HttpRequest, *, addresses: list, methods: list, destinations: list
) -> dict:
    """What the form starts with: the details given before (back from the review), else the
    friend's hidden address of a gift being bought, else the shopper's default address; and
    the first shipping method."""
    saved = request.session.get(CHECKOUT_SESSION_KEY)
    if isinstance(saved, dict):
        initial = dict(saved)
        initial["shipping_method"] = str(saved.get("shipping_method_id", ""))
        if (addresses or destinations) and initial.get("address_choice") not in {
            *(str(address.pk) for address in addresses),
            *(destination.key for destination in destinations),
            NEW_ADDRESS,
        }:
            initial["address_choice"] = NEW_ADDRESS
        return initial
    initial: dict[str, object] = {}
    if destinations:
        initial["address_choice"] = destinations[0].key
    elif addresses:
        initial["address_choice"] = str(addresses[0].pk)
    if methods:
        initial["shipping_method"] = str(methods[0].pk)
    return initial


@require_http_methods(["GET", "POST"])
def checkout_review(request: HttpRequest) -> HttpResponse:
    """Everything the order will be, priced by the server; "Place order" places it."""
    cart = request_cart(request)
    summary = cart_summary(cart=cart)
    if summary.is_empty:
        messages.info(request, "Your cart is empty: add something to it before checking out.")
        return redirect("/cart/")
    details = request.session.get(CHECKOUT_SESSION_KEY)
    methods = {method.pk: method for method in selectors.shipping_method_list()}
    if not isinstance(details, dict) or not _details_complete(details):
        messages.info(request, "Tell us where to send your order first.")
        return redirect("checkout")
    user = request_user(request)
    if user is not None and user.email:
        # Details typed as a guest before logging in: the order is the account's now (and
        # services.order_place uses the account's email whatever it is given).
        details = {**details, "email": user.email}
    method = methods.get(details["shipping_method_id"])
    if method is None:
        messages.error(request, "That shipping method is no longer available; choose another.")
        return redirect("checkout")
    destination = None
    if details.get("destination"):
        destination = destination_resolve(user=user, key=details["destination"])
        if destination is None:
            messages.error(
                request,
                f"You can no longer ship to {details.get('destination_label') or 'that address'} "
                "(the gift is no longer yours to buy, or the list changed); choose another "
                "address.",
            )
            return redirect("checkout")

    error = ""
    if request.method == "POST":
        try:
            order = services.order_place(
                cart=cart,
                customer=user,
                email=details["email"],
                address=destination.address if destination else AddressInput.from_mapping(details),
                shipping_method_id=method.pk,
                save_address=bool(details.get("save_address")) and user is not None,
                attribution=attribution_from_session(request.session),
                ship_to_label=destination.label if destination else "",
            )
        except DomainError as exc:
            if exc.field in CART_FIELDS:
                messages.error(request, exc.message)
                return redirect("/cart/")
            if exc.field in DETAILS_FIELDS:
                messages.error(request, exc.message)
                return redirect("checkout")
            # A discount that ran out, or anything else about the order as a whole: say so
            # here, with the totals recomputed (the cart is untouched).
            error = exc.message
            summary = cart_summary(cart=cart)
        else:
            token = "" if order.customer_id else selectors.order_guest_token(order=order)
            # An order the discount covered in full is paid already: nothing to pay.
            next_step = "confirmation/" if order.status == Order.Status.PAID else "pay/"
            return redirect(_order_url(order, next_step, token=token))

    return render(
        request,
        "checkout/review.html",
        {
            "summary": summary,
            "groups": _cart_groups(summary.lines),
            "details": details,
            "destination": destination,
            "country": country_name(details.get("country", "")),
            "method": method,
            "totals": selectors.checkout_totals(
                subtotal=summary.subtotal, discount=summary.discount_applied, shipping_method=method
            ),
            "problems": [line for line in summary.lines if line.problem],
            "error": error,
            "hold_minutes": settings.ORDER_PAYMENT_TIMEOUT_MINUTES,
        },
    )


def _details_complete(details: dict) -> bool:
    required = ("email", "full_name", "line1", "postal_code", "city", "country")
    if details.get("destination"):
        # A hidden address: read from its resolver when the order is placed.
        required = ("email", "destination")
    return all(details.get(name) for name in required) and isinstance(
        details.get("shipping_method_id"), int
    )


@dataclass
class MerchantGroup:
    merchant: object
    lines: list = field(default_factory=list)
    fulfilment: object = None


def _cart_groups(lines) -> list[MerchantGroup]:
    """The cart's lines by merchant, merchants in the order they first appear."""
    groups: dict[int, MerchantGroup] = {}
    for line in lines:
        merchant = line.variant.product.merchant
        groups.setdefault(merchant.pk, MerchantGroup(merchant=merchant)).lines.append(line)
    return list(groups.values())


# --- paying -------------------------------------------------------------------------------------


@sensitive_post_parameters("card_number", "expiry", "cvc")
@require_http_methods(["GET", "POST"])
def order_pay(request: HttpRequest, number: str) -> HttpResponse:
    """The card form for an order waiting for payment; a decline keeps order and cart.

    The card's fields are kept out of error reports (sensitive_post_parameters).
    """
    order, token = _order_for_request(request, number)
    context = _pay_context(order, token=token)
    if not context["payable"]:
        return render(request, "orders/pay.html", context)

    form = CardForm(request.POST or None)
    if request.method == "POST" and (wait := request_throttle_wait(request, scope="payment")):
        # Card after card is how stolen cards are tested: throttled as through the API.
        form.add_error(
            None, f"Too many payment attempts: please try again in {ceil(wait)} seconds."
        )
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.order_pay(
                order=order, payment_method=form.cleaned_data["card_number"]
            )
        except DomainError as exc:
            if exc.code == OrderError.ORDER_NOT_PAYABLE:
                order.refresh_from_db()
                context = _pay_context(order, token=token, not_payable_message=exc.message)
                return render(request, "orders/pay.html", context)
            # Anything else (the gateway not answering, a card it refuses to read): say so
            # on the form and let the shopper try again.
            form_add_domain_error(form, exc)
        else:
            response = _after_payment(request, order, payment, token=token)
            if response is not None:
                return response
            context["decline"] = _decline_message(payment)
            form = CardForm()
    context["form"] = form
    context["errors"] = form_error_items(form)
    return render(request, "orders/pay.html", context)


@require_http_methods(["GET", "POST"])
def order_pay_confirm(request: HttpRequest, number: str) -> HttpResponse:
    """The fake bank's "confirm this payment" step (3-D Secure) for a payment that asks it."""
    order, token = _order_for_request(request, number)
    context = _pay_context(order, token=token)
    payment = payment_latest_for_reference(reference=order.payment_reference)
    if (
        not context["payable"]
        or payment is None
        or payment.status != Payment.Status.REQUIRES_ACTION
    ):
        return redirect(_order_url(order, "pay/", token=token))

    if request.method == "POST":
        try:
            payment = services.order_payment_action_confirm(order=order)
        except DomainError as exc:
            if exc.code == OrderError.ORDER_NOT_PAYABLE:
                order.refresh_from_db()
                context = _pay_context(order, token=token, not_payable_message=exc.message)
                return render(request, "orders/pay.html", context)
            messages.error(request, exc.message)
            return redirect(_order_url(order, "pay/confirm/", token=token))
        response = _after_payment(request, order, payment, token=token)
        if response is not None:
            return response
        context.update(form=CardForm(), decline=_decline_message(payment), errors=[])
        return render(request, "orders/pay.html", context)
    return render(request, "orders/pay_confirm.html", {**context, "payment": payment})


def _after_payment(
    request: HttpRequest, order: Order, payment: Payment, *, token: str
) -> HttpResponse | None:
    """Where a payment attempt leads: confirmation, the bank's confirmation step, or None
    (declined: the caller shows the card form again)."""
    if payment.status == Payment.Status.SUCCEEDED:
        request.session.pop(CHECKOUT_SESSION_KEY, None)
        # The paid order emptied the cart; the header's count follows.
        request_cart_count_refresh(request, cart=request_cart(request))
        return redirect(_order_url(order, "confirmation/", token=token))
    if payment.status == Payment.Status.REQUIRES_ACTION:
        return redirect(_order_url(order, "pay/confirm/", token=token))
    if payment.status == Payment.Status.PROCESSING:
        messages.info(request, "Your payment is being processed; this page updates when it is.")
        return redirect(_order_url(order, "", token=token))
    return None


def _decline_message(payment: Payment) -> str:
    message = (payment.error_message or "The payment did not go through.").strip()
    return f"{message} Try another card."


def _pay_context(order: Order, *, token: str, not_payable_message: str = "") -> dict:
    problem = selectors.order_payable_problem(order=order)
    payable = problem is None and not not_payable_message
    if problem is not None and not not_payable_message:
        not_payable_message = problem.message
    return {
        "order": order,
        "token": token,
        "payable": payable,
        "not_payable_message": not_payable_message,
        "pay_url": _order_url(order, "pay/", token=token),
        "confirm_url": _order_url(order, "pay/confirm/", token=token),
        "order_url": _order_url(order, "", token=token),
        "show_test_cards": _test_cards_shown(),
        "form": CardForm(),
        "decline": "",
        "errors": [],
    }


def _test_cards_shown() -> bool:
    """Test cards are listed where they work: the fake gateway and Stripe's test mode."""
    return settings.PAYMENT_GATEWAY == "fake" or settings.STRIPE_SECRET_KEY.startswith("sk_test")


# --- after paying -------------------------------------------------------------------------------


@require_safe
def order_confirmation(request: HttpRequest, number: str) -> HttpResponse:
    order, token = _order_for_request(request, number)
    if order.status == Order.Status.PENDING_PAYMENT:
        return redirect(_order_url(order, "pay/", token=token))
    if order.status == Order.Status.CANCELLED:
        return redirect(_order_url(order, "", token=token))
    detail = selectors.order_detail(order=order)
    return render(
        request,
        "orders/confirmation.html",
        {
            "order": order,
            "groups": _order_groups(detail),
            "country": country_name(order.ship_country),
            "order_url": _order_url(order, "", token=token),
        },
    )


@login_required
@require_safe
def order_list(request: HttpRequest) -> HttpResponse:
    raw = (request.GET.get("page") or "").strip()
    page = paginate(
        selectors.order_list_for_user(user=request.user),
        number=page_number_parse(raw),
        size=ORDERS_PAGE_SIZE,
    )
    return render(
        request,
        "orders/order_list.html",
        {"page": page, "page_range": _page_range(page)},
    )


def _page_range(page: Page) -> list[int | str]:
    if page.paginator.num_pages <= 1:
        return []
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@require_safe
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order, token = _order_for_request(request, number)
    detail = selectors.order_detail(order=order)
    transitions = list(detail.transitions)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "token": token,
            "groups": _order_groups(detail),
            "steps": _tracker_steps(order, transitions),
            "transitions": [_transition_row(transition) for transition in transitions],
            "refunds": list(detail.refunds),
            "country": country_name(order.ship_country),
            "payable": selectors.order_is_payable(order=order),
            "pay_url": _order_url(order, "pay/", token=token),
            "cancel_url": _order_url(order, "cancel/", token=token),
            "is_guest_view": bool(token) and not request.user.is_authenticated,
        },
    )


@require_POST
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    order, token = _order_for_request(request, number)
    try:
        services.order_cancel_by_shopper(order=order, by=request_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Your order {order.number} is cancelled. Nothing was charged.")
    return redirect(_order_url(order, "", token=token))


def _order_groups(detail) -> list[MerchantGroup]:
    """The order's lines by merchant, each with that merchant's shipment (if any)."""
    fulfilments = {fulfilment.merchant_id: fulfilment for fulfilment in detail.fulfilments}
    groups: dict[int, MerchantGroup] = {}
    for line in detail.lines:
        group = groups.setdefault(
            line.merchant_id,
            MerchantGroup(merchant=line.merchant, fulfilment=fulfilments.get(line.merchant_id)),
        )
        group.lines.append(line)
    return list(groups.values())


@dataclass(frozen=True)
class TrackerStep:
    label: str
    state: str  # "done", "current" or "todo"
    date: object = None


# Where each status sits on the tracker Placed → Paid → Shipped → Delivered.
_STEP_OF_STATUS = {
    Order.Status.PENDING_PAYMENT: 0,
    Order.Status.PAID: 1,
    Order.Status.PARTIALLY_FULFILLED: 2,
    Order.Status.FULFILLED: 2,
    Order.Status.DELIVERED: 3,
}
_STEP_STATUSES = (
    (),
    (Order.Status.PAID,),
    (Order.Status.PARTIALLY_FULFILLED, Order.Status.FULFILLED),
    (Order.Status.DELIVERED,),
)


def _tracker_steps(order: Order, transitions: list) -> list[TrackerStep]:
    """The four steps with the current one marked; empty for a cancelled or refunded order."""
    current = _STEP_OF_STATUS.get(order.status)
    if current is None:
        return []
    labels = ["Placed", "Paid", "Shipped", "Delivered"]
    if order.status == Order.Status.PARTIALLY_FULFILLED:
        labels[2] = "Partly shipped"
    reached = {}
    for transition in transitions:
        for index, statuses in enumerate(_STEP_STATUSES):
            if transition.to_status in statuses:
                reached.setdefault(index, transition.created_at)
    reached[0] = order.created_at
    return [
        TrackerStep(
            label=label,
            state="done" if index < current else "current" if index == current else "todo",
            date=reached.get(index) if index <= current else None,
        )
        for index, label in enumerate(labels)
    ]


@dataclass(frozen=True)
class TransitionRow:
    created_at: object
    from_label: str
    to_label: str
    note: str


def _status_label(status: str) -> str:
    if not status:
        return ""
    try:
        return Order.Status(status).label
    except ValueError:
        return status


def _transition_row(transition) -> TransitionRow:
    to_label = _status_label(transition.to_status)
    note = transition.note
    # "Waiting for payment → Paid (Paid.)" says nothing the arrow does not.
    if note.rstrip(".").lower() in {to_label.lower(), transition.to_status.lower()}:
        note = ""
    return TransitionRow(
        created_at=transition.created_at,
        from_label=_status_label(transition.from_status),
        to_label=to_label,
        note=note,
    )


# --- access -------------------------------------------------------------------------------------


def _order_for_request(request: HttpRequest, number: str) -> tuple[Order, str]:
    """The order `number` if this request may see it, and the guest token it came with
    (selectors.order_get_for_viewer: a 404 for anyone else)."""
    token = request_link_token(request)
    order = selectors.order_get_for_viewer(number=number, user=request_user(request), token=token)
    return order, token


def _order_url(order: Order, suffix: str, *, token: str = "") -> str:
    url = f"/orders/{order.number}/{suffix}"
    return f"{url}?{urlencode({'token': token})}" if token else url
