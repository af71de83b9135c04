"""/api/v1/cart, cart/items, cart/discount and discount-codes/check.

The same services as the cart page. Whose cart: a signed-in shopper's (session or token),
else the visitor cart whose token is in the session (a browser, or any client that keeps the
session cookie). Every answer that changes the cart returns the whole cart, priced by the
server; prices sent by a client are never read.

Signed-in session requests are CSRF-checked by DRF's SessionAuthentication. A visitor has
nothing to authenticate, so DRF checks nothing for them; VisitorWritesFromThisSite refuses
a visitor's change when the browser says it was sent by another site (it would otherwise
plant a cart, and a session cookie, in the visitor's browser).
"""

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.cart import selectors, services
from shop.cart.models import DiscountCode
from shop.cart.request import request_cart, request_cart_count_refresh
from shop.core import csrf as core_csrf
from shop.core.api import ErrorResponseSerializer
from shop.core.validators import MAX_ID, id_is_valid

INVALID = OpenApiResponse(
    ErrorResponseSerializer,
    description="A field is invalid (e.g. code `invalid_quantity`, `out_of_stock`, "
    "`variant_unavailable`, `discount_expired`); the errors are keyed by the field's name.",
)
CROSS_SITE = OpenApiResponse(
    ErrorResponseSerializer,
    description="A visitor's browser sent the change from another site, or a signed-in "
    "session request had no valid CSRF token.",
)
LINE_NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such line in your cart.")


class VisitorWritesFromThisSite(core_csrf.VisitorWritesFromThisSite):
    """Refuse a signed-out browser's change to its cart when it comes from another site."""

    message = "A cart can only be changed from this site."


class CartApiView(APIView):
    permission_classes = [permissions.AllowAny, VisitorWritesFromThisSite]

    def cart_response(self, request, *, status_code: int = status.HTTP_200_OK) -> Response:
        cart = request_cart(request)
        summary = selectors.cart_summary(cart=cart)
        request_cart_count_refresh(request, cart=cart, count=summary.item_count)
        data = CartOutputSerializer(summary, context={"request": request}).data
        return Response(data, status=status_code)


# --- output -----------------------------------------------------------------------------------


class CartLineProductSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    merchant = serializers.CharField(source="merchant.name")
    url = serializers.SerializerMethodField()

    def get_url(self, product) -> str:
        return self.context["request"].build_absolute_uri(product.get_absolute_url())


class CartLineImageSerializer(serializers.Serializer):
    url = serializers.ImageField(source="image", use_url=True)
    thumbnail_url = serializers.ImageField(source="thumbnail", allow_null=True, use_url=True)
    alt = serializers.CharField(source="alt_text")


class CartLineVariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    product = CartLineProductSerializer()


class CartLineOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line_id")
    variant = CartLineVariantSerializer()
    image = CartLineImageSerializer(allow_null=True)
    quantity = serializers.IntegerField()
    unit_price = serializers.IntegerField(help_text="The variant's price now, in cents.")
    line_total = serializers.IntegerField(help_text="unit_price × quantity, in cents.")
    stock = serializers.IntegerField(help_text="Units the shop has now.")
    problem = serializers.CharField(
        help_text="Why this line cannot be checked out as it is (sold out, too many, no longer "
        "available); empty when it can."
    )


class CartDiscountOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=DiscountCode.Kind.choices)
    value = serializers.IntegerField(help_text="Percent (1-100), or cents off for `fixed`.")
    min_subtotal = serializers.IntegerField(help_text="Minimum subtotal in cents.")


class CartOutputSerializer(serializers.Serializer):
    """The cart as every cart endpoint answers it (the one representation of the resource)."""

    lines = CartLineOutputSerializer(many=True)
    item_count = serializers.IntegerField(help_text="Units in the cart.")
    subtotal = serializers.IntegerField(help_text="In cents, at today's prices.")
    discount = CartDiscountOutputSerializer(allow_null=True)
    discount_total = serializers.IntegerField(help_text="In cents; 0 if the code does not apply.")
    discount_error = serializers.CharField(
        help_text="Why the applied code does not apply now; empty when it does."
    )
    total = serializers.IntegerField(help_text="subtotal − discount_total, before shipping.")
    currency = serializers.SerializerMethodField()
    has_problems = serializers.BooleanField(help_text="Whether a line must be fixed first.")

    def get_currency(self, summary) -> str:
        return settings.STORE_CURRENCY


# --- cart -------------------------------------------------------------------------------------


@extend_schema(tags=["cart"])
class CartApi(CartApiView):
    """Your cart."""

    @extend_schema(
        operation_id="cart_retrieve",
        summary="Get your cart",
        description="Lines priced now, totals and the discount code. An empty cart when you "
        "have none.",
        responses={200: CartOutputSerializer},
    )
    def get(self, request):
        return self.cart_response(request)


class CartItemAddInputSerializer(serializers.Serializer):
    variant = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="A variant id.")
    quantity = serializers.IntegerField(
        required=False,
        default=1,
        help_text=f"Units to add (1-{services.MAX_QUANTITY}); added to a line of the same "
        "variant, capped by the stock.",
    )


@extend_schema(tags=["cart"])
class CartItemListApi(CartApiView):
    @extend_schema(
        operation_id="cart_items_create",
        summary="Add a variant to your cart",
        description="Adds onto the line of the same variant if there is one; the line is "
        "capped by the stock and by 99. Answers with the whole cart.",
        request=CartItemAddInputSerializer,
        responses={201: CartOutputSerializer, 400: INVALID, 403: CROSS_SITE},
    )
    def post(self, request):
        serializer = CartItemAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.cart_item_add(
            cart=request_cart(request, create=True),
            variant_id=data["variant"],
            quantity=data["quantity"],
        )
        return self.cart_response(request, status_code=status.HTTP_201_CREATED)


class CartItemUpdateInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(
        help_text=f"The new quantity (0-{services.MAX_QUANTITY}); 0 removes the line."
    )


LINE_ID = OpenApiParameter(
    "line_id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The line's id (`lines[].id` in the cart).",
)


def _line_id(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or not id_is_valid(int(raw)):
        raise Http404("No such line in your cart.")
    return int(raw)


@extend_schema(tags=["cart"])
class CartItemDetailApi(CartApiView):
    @extend_schema(
        operation_id="cart_items_partial_update",
        summary="Change a line's quantity",
        description="`quantity` is required; 0 removes the line. More than the stock is "
        "refused (`out_of_stock`).",
        parameters=[LINE_ID],
        request=CartItemUpdateInputSerializer,
        responses={200: CartOutputSerializer, 400: INVALID, 403: CROSS_SITE, 404: LINE_NOT_FOUND},
    )
    def patch(self, request, line_id: str):
        serializer = CartItemUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cart = request_cart(request)
        if cart is None:
            raise Http404("No such line in your cart.")
        services.cart_item_set_quantity(
            cart=cart, line_id=_line_id(line_id), quantity=serializer.validated_data["quantity"]
        )
        return self.cart_response(request)

    @extend_schema(
        operation_id="cart_items_destroy",
        summary="Remove a line",
        parameters=[LINE_ID],
        request=None,
        responses={200: CartOutputSerializer, 403: CROSS_SITE, 404: LINE_NOT_FOUND},
    )
    def delete(self, request, line_id: str):
        cart = request_cart(request)
        if cart is None:
            raise Http404("No such line in your cart.")
        services.cart_item_remove(cart=cart, line_id=_line_id(line_id))
        return self.cart_response(request)


class CartDiscountApplyInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=100, help_text="The code, in any case.")


@extend_schema(tags=["cart"])
class CartDiscountApi(CartApiView):
    throttle_scope = "discount"  # guessing codes: a few tries a minute (shop.core.throttling)

    @extend_schema(
        operation_id="cart_discount_create",
        summary="Apply a discount code",
        description="Replaces any code already applied. A code that does not apply answers "
        "400 on `code` (`discount_not_found`, `discount_inactive`, `discount_not_started`, "
        "`discount_expired`, `discount_exhausted`, `discount_min_subtotal`).",
        request=CartDiscountApplyInputSerializer,
        responses={200: CartOutputSerializer, 400: INVALID, 403: CROSS_SITE},
    )
    def post(self, request):
        serializer = CartDiscountApplyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.cart_discount_apply(
            cart=request_cart(request, create=True), code=serializer.validated_data["code"]
        )
        return self.cart_response(request)

    @extend_schema(
        operation_id="cart_discount_destroy",
        summary="Remove the discount code",
        request=None,
        responses={200: CartOutputSerializer, 403: CROSS_SITE},
    )
    def delete(self, request):
        cart = request_cart(request)
        if cart is not None:
            services.cart_discount_remove(cart=cart)
        return self.cart_response(request)


# --- discount codes ---------------------------------------------------------------------------


class DiscountCheckInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=100, help_text="The code, in any case.")
    subtotal = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_ID,
        help_text="A subtotal in cents to check against; your cart's subtotal when left out.",
    )


class DiscountCheckOutputSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="Always true (an unusable code answers 400).")
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=DiscountCode.Kind.choices)
    value = serializers.IntegerField(help_text="Percent (1-100), or cents off for `fixed`.")
    subtotal = serializers.IntegerField(help_text="The subtotal checked, in cents.")
    amount = serializers.IntegerField(help_text="What the code takes off that subtotal, in cents.")


@extend_schema(tags=["cart"])
class DiscountCheckApi(APIView):
    """Whether a discount code can be used, and what it would take off. Changes nothing."""

    permission_classes = [permissions.AllowAny]
    throttle_scope = "discount"  # guessing codes: a few tries a minute (shop.core.throttling)

    @extend_schema(
        operation_id="discount_codes_check",
        summary="Check a discount code",
        description="Answers 400 on `code` when the code cannot be used on the subtotal now "
        "(same codes as applying it).",
        request=DiscountCheckInputSerializer,
        responses={200: DiscountCheckOutputSerializer, 400: INVALID},
    )
    def post(self, request):
        serializer = DiscountCheckInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "subtotal" in data:
            subtotal = data["subtotal"]
        else:
            cart = request_cart(request)
            subtotal = selectors.cart_subtotal(cart=cart) if cart is not None else 0
        discount = services.discount_check(code=data["code"], subtotal=subtotal)
        output = {
            "valid": True,
            "code": discount.code,
            "kind": discount.kind,
            "value": discount.value,
            "subtotal": subtotal,
            "amount": selectors.discount_amount(discount=discount, subtotal=subtotal),
        }
        return Response(DiscountCheckOutputSerializer(output).data)
