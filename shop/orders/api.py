"""Checkout and orders API: place an order from the cart, pay it, list, read and cancel orders.

The same services as the pages (shop/orders/views.py): the order is placed from the request's
cart (the signed-in user's, or the visitor's session cart) with prices recomputed on the
server; a client never sends a price. A guest (no account) receives a signed token when the
order is placed and passes it as ?token= to read, pay or cancel that order. Without access an
order is a 404, whether or not it exists.
"""

from urllib.parse import urlencode

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.cart.request import request_cart, request_cart_count_refresh
from shop.cart.selectors import cart_summary
from shop.core import csrf as core_csrf
from shop.core.api import ErrorResponseSerializer, StandardPagination
from shop.core.errors import DomainError
from shop.core.request import request_link_token, request_user
from shop.core.validators import MAX_ID, TextCharactersValidator
from shop.orders import selectors, services
from shop.orders.addresses import ADDRESS_RULES, COUNTRIES, AddressInput
from shop.orders.api_output import (
    CheckoutOutputSerializer,
    CheckoutReviewOutputSerializer,
    OrderDetailOutputSerializer,
    OrderListOutputSerializer,
    OrderPaymentIntentOutputSerializer,
    OrderPayOutputSerializer,
    ShippingMethodOutputSerializer,
)
from shop.orders.attribution import attribution_from_session
from shop.orders.destinations import destination_resolve
from shop.orders.errors import OrderError
from shop.orders.models import Order
from shop.payments.models import Payment

NUMBER_PATTERN = selectors.ORDER_NUMBER_PATTERN

NOT_FOUND = OpenApiResponse(
    ErrorResponseSerializer,
    description="No such order, or not yours (a guest passes the order's token as ?token=).",
)
INVALID = OpenApiResponse(
    ErrorResponseSerializer,
    description="A field is invalid or a business rule refused the request; the errors are "
    "keyed by the field's name (`cart` for a sold-out item, `code` for a discount code).",
)
NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
TOKEN_PARAMETER = OpenApiParameter(
    "token",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description="A guest's order token (returned by POST /checkout and in the order's emails). "
    "Not needed for the signed-in customer's own orders.",
)
NUMBER_PARAMETER = OpenApiParameter(
    "number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The order number, e.g. AG-7K2M9QX4TB.",
    pattern=f"^{NUMBER_PATTERN}$",
)


class VisitorWritesFromThisSite(core_csrf.VisitorWritesFromThisSite):
    """Refuse a signed-out browser's checkout, payment or cancel sent from another site."""

    message = "Orders can only be placed and changed from this site."


CROSS_SITE = OpenApiResponse(
    ErrorResponseSerializer,
    description="A visitor's browser sent the request from another site, or a signed-in "
    "session request had no valid CSRF token.",
)


def _order_get(request, number: str) -> tuple[Order, str]:
    """The order if this request may see it, and the guest token it came with
    (selectors.order_get_for_viewer, as for the pages: a 404 for anyone else)."""
    token = request_link_token(request, form=False)
    order = selectors.order_get_for_viewer(number=number, user=request_user(request), token=token)
    return order, token


def _detail_data(order: Order, **extra) -> dict:
    """What OrderDetailOutputSerializer reads: the order and its loaded relations."""
    detail = selectors.order_detail(order=order)
    return {
        "order": order,
        "lines": detail.lines,
        "fulfilments": detail.fulfilments,
        "refunds": detail.refunds,
        "transitions": detail.transitions,
        **extra,
    }


class CheckoutReviewInputSerializer(serializers.Serializer):
    shipping_method = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="A shipping method's id (GET /api/v1/shipping-methods).",
    )


# --- input ------------------------------------------------------------------------------------


def _address_field(name: str, **kwargs) -> serializers.CharField:
    """A text field of the address, as long as the order stores it; the rules themselves are
    checked by services.order_place (addresses.address_input_clean), as for the page."""
    _label, max_length, required = ADDRESS_RULES[name]
    if not required:
        kwargs.update(required=False, allow_blank=True, default="")
    return serializers.CharField(
        max_length=max_length, validators=[TextCharactersValidator()], **kwargs
    )


class CheckoutInputSerializer(serializers.Serializer):
    email = serializers.EmailField(
        required=False,
        max_length=254,
        help_text="Required for a guest; a signed-in customer's account email is always used.",
    )
    full_name = _address_field("full_name")
    line1 = _address_field("line1")
    line2 = _address_field("line2")
    postal_code = _address_field("postal_code")
    city = _address_field("city")
    country = serializers.ChoiceField(choices=COUNTRIES, help_text="ISO 3166 code, e.g. FR.")
    phone = _address_field("phone", help_text="Digits, spaces and + ( ) - only.")
    shipping_method = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="A shipping method's id (GET /api/v1/shipping-methods).",
    )
    save_address = serializers.BooleanField(
        required=False, default=False, help_text="Save it to the signed-in customer's addresses."
    )
    ship_to = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Signed in only: ship to an address you do not see, e.g. a friend's "
        "wishlist's gift address (its `ship_to`, while you hold a reservation on one of its "
        "wishes). The address fields are then not needed and are ignored.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = kwargs.get("data")
        if hasattr(data, "get") and data.get("ship_to"):
            # The address is the hidden destination's: none of its fields is asked for.
            for name in (*ADDRESS_RULES, "country"):
                if name in self.fields:
                    self.fields[name].required = False


class OrderPayInputSerializer(serializers.Serializer):
    payment_method = serializers.CharField(
        max_length=255,
        help_text="With the fake gateway (and Stripe test mode) a card number such as "
        "4242 4242 4242 4242; with Stripe a PaymentMethod id (pm_...) or the id of a Stripe.js "
        "token's card (card_...).",
    )


# --- endpoints --------------------------------------------------------------------------------


@extend_schema(tags=["orders"])
class ShippingMethodApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="shipping_methods_list",
        summary="List shipping methods",
        description="The shipping methods a checkout may choose, with their prices.",
        responses={200: ShippingMethodOutputSerializer(many=True)},
    )
    def get(self, request):
        methods = selectors.shipping_method_list()
        return Response(ShippingMethodOutputSerializer(methods, many=True).data)


@extend_schema(tags=["orders"])
class CheckoutApi(APIView):
    """Place an order from the request's cart (services.order_place)."""

    permission_classes = [permissions.AllowAny, VisitorWritesFromThisSite]

    @extend_schema(
        operation_id="checkout_review",
        summary="Price the cart's order before placing it",
        description="What POST /api/v1/checkout would charge now for the current cart shipped "
        "by `shipping_method`: subtotal, discount, shipping and total, worked out by the same "
        "selector as the order itself. Changes nothing.",
        parameters=[
            OpenApiParameter(
                "shipping_method",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=True,
                description="A shipping method's id.",
            )
        ],
        responses={200: CheckoutReviewOutputSerializer, 400: INVALID},
    )
    def get(self, request):
        serializer = CheckoutReviewInputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        method = selectors.shipping_method_get(
            shipping_method_id=serializer.validated_data["shipping_method"]
        )
        if method is None:
            raise DomainError(
                "Choose one of the shipping methods offered.",
                code=OrderError.INVALID_SHIPPING_METHOD,
                field="shipping_method",
            )
        summary = cart_summary(cart=request_cart(request))
        if summary.is_empty:
            raise DomainError("Your cart is empty.", code=OrderError.EMPTY_CART, field="cart")
        totals = selectors.checkout_totals(
            subtotal=summary.subtotal, discount=summary.discount_applied, shipping_method=method
        )
        output = CheckoutReviewOutputSerializer(
            {
                "item_count": summary.item_count,
                "currency": settings.STORE_CURRENCY,
                "subtotal": totals.subtotal,
                "discount_code": summary.discount.code if summary.discount else None,
                "discount_total": totals.discount_total,
                "discount_error": summary.discount_error,
                "shipping_method": method,
                "shipping_total": totals.shipping_total,
                "total": totals.total,
                "vat_rate": totals.vat_rate,
                "vat_total": totals.vat_total,
                "problems": [
                    f"{line.product.title}: {line.problem}"
                    for line in summary.lines
                    if line.problem
                ],
            }
        )
        return Response(output.data)

    @extend_schema(
        operation_id="checkout_create",
        summary="Place an order from the cart",
        description="Creates an order waiting for payment from the current cart (the signed-in "
        "user's, or the session's). Stock is taken now and released if the order is not paid "
        "in time. Pay it with POST /api/v1/orders/{number}/pay.",
        request=CheckoutInputSerializer,
        responses={201: CheckoutOutputSerializer, 400: INVALID, 403: CROSS_SITE},
    )
    def post(self, request):
        serializer = CheckoutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        customer = request_user(request)
        cart = request_cart(request)
        if cart is None:
            raise DomainError("Your cart is empty.", code=OrderError.EMPTY_CART, field="cart")
        destination = None
        if data.get("ship_to"):
            destination = destination_resolve(user=customer, key=data["ship_to"])
            if destination is None:
                raise DomainError(
                    "You cannot ship there: sign in, and hold a reservation on one of the "
                    "list's wishes.",
                    code=OrderError.INVALID_ADDRESS,
                    field="ship_to",
                )
        order = services.order_place(
            cart=cart,
            customer=customer,
            email=data.get("email", ""),
            address=destination.address if destination else AddressInput.from_mapping(data),
            shipping_method_id=data["shipping_method"],
            save_address=data["save_address"] and customer is not None,
            attribution=attribution_from_session(request.session),
            ship_to_label=destination.label if destination else "",
        )
        token = None if customer is not None else selectors.order_guest_token(order=order)
        output = CheckoutOutputSerializer(
            _detail_data(order, guest_token=token), context={"request": request}
        )
        return Response(output.data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["orders"])
class OrderApi(viewsets.ViewSet):
    """A shopper's orders: list, read, pay, cancel."""

    permission_classes = [permissions.AllowAny, VisitorWritesFromThisSite]
    pagination_class = StandardPagination
    lookup_field = "number"
    # Anything up to the next slash reaches the view, which answers a JSON 404 for a bad one.
    lookup_value_regex = "[^/]+"
    # Set per action: paying is "payment" (testing stolen cards; see shop.core.throttling).
    throttle_scope: str | None = None

    @extend_schema(
        operation_id="orders_list",
        summary="List your orders",
        description="The signed-in customer's orders, newest first, 24 per page.",
        responses={
            200: OrderListOutputSerializer(many=True),
            400: INVALID,
            401: NOT_LOGGED_IN,
            403: NOT_LOGGED_IN,
            404: OpenApiResponse(ErrorResponseSerializer, description="Past the last page."),
        },
    )
    def list(self, request):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.order_list_for_user(user=request.user), request, view=self
        )
        serializer = OrderListOutputSerializer(page, many=True, context={"request": request})
        return paginator.get_paginated_response(serializer.data)

    @extend_schema(
        operation_id="orders_retrieve",
        summary="Get one order",
        description="An order with its lines by merchant, shipments (tracking numbers), "
        "refunds and history.",
        parameters=[NUMBER_PARAMETER, TOKEN_PARAMETER],
        responses={200: OrderDetailOutputSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, number: str):
        order, _token = _order_get(request, number)
        output = OrderDetailOutputSerializer(_detail_data(order), context={"request": request})
        return Response(output.data)

    @extend_schema(
        operation_id="orders_pay",
        summary="Pay an order",
        description="Charges the order's total. A decline is not an error: the answer says "
        "`failed` with a message, and the order can be paid again with another card.",
        parameters=[NUMBER_PARAMETER, TOKEN_PARAMETER],
        request=OrderPayInputSerializer,
        responses={
            200: OrderPayOutputSerializer,
            400: INVALID,
            403: CROSS_SITE,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], throttle_scope="payment")
    def pay(self, request, number: str):
        order, token = _order_get(request, number)
        serializer = OrderPayInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.order_pay(
            order=order, payment_method=serializer.validated_data["payment_method"].strip()
        )
        return _pay_answer(request, order, payment, token=token)

    @extend_schema(
        operation_id="orders_payment_intent",
        summary="Get a client secret to pay an order with Stripe's SDK",
        description="With the Stripe gateway only: opens the order's payment attempt (or "
        "returns the one still open, so asking twice makes one PaymentIntent) and answers its "
        "client secret. The client confirms it with Stripe's SDK (Stripe.js, a mobile SDK; "
        "3-D Secure included), so the card never reaches this API, then calls POST "
        "/api/v1/orders/{number}/payment-refresh; Stripe's webhook applies the outcome too, "
        "once. After a decline, ask again: a new attempt is opened. With the fake gateway the "
        "answer is 400 `client_confirmation_unsupported` (pay with POST .../pay).",
        parameters=[NUMBER_PARAMETER, TOKEN_PARAMETER],
        request=None,
        responses={
            200: OrderPaymentIntentOutputSerializer,
            400: INVALID,
            403: CROSS_SITE,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], url_path="payment-intent", throttle_scope="payment")
    def payment_intent(self, request, number: str):
        order, _token = _order_get(request, number)
        payment = services.order_payment_intent_open(order=order)
        output = OrderPaymentIntentOutputSerializer(
            {
                "client_secret": payment.client_secret,
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "payment_status": payment.status,
                "amount": payment.amount,
                "currency": payment.currency,
            }
        )
        return Response(output.data)

    @extend_schema(
        operation_id="orders_payment_refresh",
        summary="Apply what the gateway says of the order's payment",
        description="The return step after the client confirmed the payment itself (Stripe's "
        "SDK, 3-D Secure): asks the gateway where the order's latest payment attempt stands "
        "and applies it (`succeeded` pays the order). Safe to repeat; the answer is as for "
        "POST .../pay.",
        parameters=[NUMBER_PARAMETER, TOKEN_PARAMETER],
        request=None,
        responses={
            200: OrderPayOutputSerializer,
            400: INVALID,
            403: CROSS_SITE,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], url_path="payment-refresh", throttle_scope="payment")
    def payment_refresh(self, request, number: str):
        order, token = _order_get(request, number)
        payment = services.order_payment_refresh(order=order)
        return _pay_answer(request, order, payment, token=token)

    @extend_schema(
        operation_id="orders_cancel",
        summary="Cancel an order",
        description="Cancels an order that is still waiting for payment; its stock goes back.",
        parameters=[NUMBER_PARAMETER, TOKEN_PARAMETER],
        request=None,
        responses={
            200: OrderDetailOutputSerializer,
            400: INVALID,
            403: CROSS_SITE,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, number: str):
        order, _token = _order_get(request, number)
        order = services.order_cancel_by_shopper(order=order, by=request_user(request))
        output = OrderDetailOutputSerializer(_detail_data(order), context={"request": request})
        return Response(output.data)


def _pay_answer(request, order: Order, payment: Payment, *, token: str) -> Response:
    """What POST .../pay and .../payment-refresh answer: where the attempt leads."""
    order.refresh_from_db()
    action_url = client_secret = None
    if payment.status == Payment.Status.SUCCEEDED:
        message = "Payment received. Thank you!"
        request_cart_count_refresh(request, cart=request_cart(request))
    elif payment.status == Payment.Status.REQUIRES_ACTION:
        message = "The card holder's bank asks them to confirm this payment."
        path = f"/orders/{order.number}/pay/confirm/"
        if token:
            path = f"{path}?{urlencode({'token': token})}"
        action_url = request.build_absolute_uri(path)
        # Only Stripe's SDK can run the bank's check; the fake bank's is the page above.
        client_secret = payment.client_secret if payment.gateway == "stripe" else None
    elif payment.status == Payment.Status.FAILED:
        message = payment.error_message or "The payment did not go through."
    elif payment.status == Payment.Status.REQUIRES_PAYMENT_METHOD:
        message = "The payment has not been confirmed yet."
    else:
        message = "The payment is being processed."
    output = OrderPayOutputSerializer(
        {
            "payment_status": payment.status,
            "message": message,
            "action_url": action_url,
            "client_secret": client_secret,
            "order": order,
        },
        context={"request": request},
    )
    return Response(output.data)
