"""The pay pages in Stripe mode (PAYMENT_GATEWAY=stripe): the card goes to Stripe.js, never here.

/orders/<number>/pay/ mounts Stripe.js's card Element (static/js/stripe-pay.js); the browser
turns the card into a payment method there and the form posts only its id, which
services.order_pay charges (attempt n, our Payment row first). When the bank wants the card
holder to confirm (3-D Secure), /pay/confirm/ hands the payment's client_secret to
stripe.confirmCardPayment and then posts back: that return step asks Stripe where the payment
stands (services.order_payment_refresh) and applies it, whatever the browser said; the
webhook applies the same news too, once. With any other gateway both pages are the card form
of shop.orders.views.

The one outside script is Stripe.js itself, from settings.STRIPE_JS_URL, loaded on these two
pages in this mode only; the data it needs travels in data- attributes (no inline script).
"""

import re
from math import ceil

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shop.core.errors import DomainError
from shop.core.throttling import request_throttle_wait
from shop.orders import services, views
from shop.orders.errors import OrderError
from shop.orders.models import Order
from shop.payments.models import Payment
from shop.payments.selectors import payment_latest_for_reference

# What Stripe.js makes of a card: a PaymentMethod, or the Card of a token (createToken).
PAYMENT_METHOD_ID_RE = re.compile(r"(?:pm|card)_[A-Za-z0-9_]{1,200}")
CARD_ELEMENT_ID = "card-element"
CARD_MISSING_MESSAGE = "Card: enter your card details, then press Pay."
STILL_WAITING_MESSAGE = (
    "Your bank is still waiting for you to confirm this payment: confirm it, or use another card."
)


def elements_used() -> bool:
    """Whether the pay pages take the card through Stripe.js (Elements) rather than our form:
    with Stripe the card number must never reach our server."""
    return settings.PAYMENT_GATEWAY == "stripe"


@require_http_methods(["GET", "POST"])
def order_pay(request: HttpRequest, number: str) -> HttpResponse:
    """The pay page: Stripe's card Element in Stripe mode, our card form otherwise."""
    if not elements_used():
        return views.order_pay(request, number)
    order, token = views._order_for_request(request, number)
    context = {**views._pay_context(order, token=token), **_elements_context()}
    if not context["payable"] or request.method != "POST":
        return render(request, "orders/pay.html", context)

    payment_method = (request.POST.get("payment_method") or "").strip()
    if not PAYMENT_METHOD_ID_RE.fullmatch(payment_method):
        # A card number (or nothing) posted here is refused before any gateway sees it.
        context["errors"] = [(CARD_ELEMENT_ID, CARD_MISSING_MESSAGE)]
        return render(request, "orders/pay.html", context, status=400)
    if wait := request_throttle_wait(request, scope="payment"):
        # Card after card is how stolen cards are tested: throttled as through the API.
        message = f"Too many payment attempts: please try again in {ceil(wait)} seconds."
        context["errors"] = [(CARD_ELEMENT_ID, message)]
        return render(request, "orders/pay.html", context, status=429)
    try:
        payment = services.order_pay(order=order, payment_method=payment_method)
    except DomainError as exc:
        if exc.code == OrderError.ORDER_NOT_PAYABLE:
            order.refresh_from_db()
            context = views._pay_context(order, token=token, not_payable_message=exc.message)
            return render(request, "orders/pay.html", context)
        # The gateway not answering, or a payment method it does not know: try again.
        context["errors"] = [(CARD_ELEMENT_ID, exc.message)]
        return render(request, "orders/pay.html", context)
    response = views._after_payment(request, order, payment, token=token)
    if response is not None:
        return response
    context["decline"] = views._decline_message(payment)
    return render(request, "orders/pay.html", context)


@require_http_methods(["GET", "POST"])
def order_pay_confirm(request: HttpRequest, number: str) -> HttpResponse:
    """The bank's check (3-D Secure): Stripe.js runs it, then the return step applies it."""
    if not elements_used():
        return views.order_pay_confirm(request, number)
    order, token = views._order_for_request(request, number)
    if request.method == "POST":
        return _order_pay_return(request, order, token=token)
    context = views._pay_context(order, token=token)
    payment = payment_latest_for_reference(reference=order.payment_reference)
    if (
        not context["payable"]
        or payment is None
        or payment.status != Payment.Status.REQUIRES_ACTION
        or not payment.client_secret
    ):
        return redirect(views._order_url(order, "pay/", token=token))
    return render(
        request,
        "orders/pay_confirm.html",
        {**context, **_elements_context(), "payment": payment},
    )


def _order_pay_return(request: HttpRequest, order: Order, *, token: str) -> HttpResponse:
    """Apply what Stripe says of the payment the browser confirmed, and say where it leads."""
    try:
        payment = services.order_payment_refresh(order=order)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(views._order_url(order, "pay/", token=token))
    if payment.status == Payment.Status.REQUIRES_ACTION:
        messages.error(request, STILL_WAITING_MESSAGE)
    response = views._after_payment(request, order, payment, token=token)
    if response is not None:
        return response
    order.refresh_from_db()
    context = {**views._pay_context(order, token=token), **_elements_context()}
    context["decline"] = views._decline_message(payment)
    return render(request, "orders/pay.html", context)


def _elements_context() -> dict:
    return {
        "elements": True,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "form": None,
    }
