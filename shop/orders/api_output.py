"""Output serializers of the orders API (shop/orders/api.py): one per answer, never for input."""

from rest_framework import serializers

from shop.orders.models import Order
from shop.payments.models import Payment


class ShippingMethodOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    price = serializers.IntegerField(help_text="In minor units (cents).")


class OrderAddressOutputSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(
        source="address_hidden",
        help_text="True for a gift sent to an address the buyer does not see (a friend's "
        "registry address): `label` names it and the address fields are empty.",
    )
    label = serializers.CharField(source="ship_to_label")
    full_name = serializers.CharField(source="ship_full_name")
    line1 = serializers.CharField(source="ship_line1")
    line2 = serializers.CharField(source="ship_line2")
    postal_code = serializers.CharField(source="ship_postal_code")
    city = serializers.CharField(source="ship_city")
    country = serializers.CharField(source="ship_country", help_text="ISO 3166 code.")
    phone = serializers.CharField(source="ship_phone")

    def to_representation(self, order):
        data = super().to_representation(order)
        if order.address_hidden:
            return {**dict.fromkeys(data, ""), "hidden": True, "label": order.ship_to_label}
        return data


class OrderMerchantOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class OrderLineOutputSerializer(serializers.Serializer):
    merchant = OrderMerchantOutputSerializer()
    product_title = serializers.CharField()
    product_slug = serializers.CharField()
    variant_name = serializers.CharField()
    sku = serializers.CharField()
    unit_price = serializers.IntegerField()
    quantity = serializers.IntegerField()
    line_total = serializers.IntegerField()


class OrderFulfilmentOutputSerializer(serializers.Serializer):
    merchant = OrderMerchantOutputSerializer()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    shipped_at = serializers.DateTimeField()


class OrderRefundOutputSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class OrderTransitionOutputSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class OrderDetailOutputSerializer(serializers.Serializer):
    """An order with its lines, shipments, refunds and history (from selectors.order_detail)."""

    number = serializers.CharField(source="order.number")
    status = serializers.ChoiceField(source="order.status", choices=Order.Status.choices)
    status_display = serializers.CharField(source="order.get_status_display")
    email = serializers.EmailField(source="order.email")
    currency = serializers.CharField(source="order.currency")
    subtotal = serializers.IntegerField(source="order.subtotal")
    discount_code = serializers.CharField(source="order.discount_code")
    discount_total = serializers.IntegerField(source="order.discount_total")
    shipping_method = serializers.CharField(source="order.shipping_method_name")
    shipping_total = serializers.IntegerField(source="order.shipping_total")
    total = serializers.IntegerField(source="order.total", help_text="In minor units (cents).")
    vat_rate = serializers.IntegerField(
        source="order.vat_rate",
        allow_null=True,
        help_text="The VAT rate included in the prices when the order was placed, in basis "
        "points (2100 is 21%). Null for an order placed before VAT was recorded.",
    )
    vat_total = serializers.IntegerField(
        source="order.vat_total",
        allow_null=True,
        help_text="VAT included in `total`, in cents. Null when not recorded.",
    )
    amount_refunded = serializers.IntegerField(source="order.amount_refunded")
    shipping_address = OrderAddressOutputSerializer(source="order")
    created_at = serializers.DateTimeField(source="order.created_at")
    paid_at = serializers.DateTimeField(source="order.paid_at", allow_null=True)
    expires_at = serializers.DateTimeField(
        source="order.expires_at",
        allow_null=True,
        help_text="While waiting for payment: when the order expires and its stock goes back.",
    )
    lines = OrderLineOutputSerializer(many=True)
    fulfilments = OrderFulfilmentOutputSerializer(many=True)
    refunds = OrderRefundOutputSerializer(many=True)
    history = OrderTransitionOutputSerializer(many=True, source="transitions")
    url = serializers.SerializerMethodField(help_text="The order's page.")

    def get_url(self, detail) -> str:
        return self.context["request"].build_absolute_uri(detail["order"].get_absolute_url())


class CheckoutOutputSerializer(OrderDetailOutputSerializer):
    guest_token = serializers.CharField(
        allow_null=True,
        help_text="For an order placed without an account: pass it as ?token= to read, pay "
        "or cancel the order. Null for a signed-in customer.",
    )


class OrderListOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Order.Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    currency = serializers.CharField()
    total = serializers.IntegerField(help_text="In minor units (cents).")
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="The order's page.")

    def get_url(self, order) -> str:
        return self.context["request"].build_absolute_uri(order.get_absolute_url())


class OrderPayOutputSerializer(serializers.Serializer):
    payment_status = serializers.ChoiceField(
        choices=Payment.Status.choices,
        help_text="`succeeded`: the order is paid. `failed`: declined, try another card "
        "(the order and the cart are kept). `requires_action`: the card holder must confirm "
        "on `action_url`.",
    )
    message = serializers.CharField(help_text="What to tell the shopper.")
    action_url = serializers.URLField(allow_null=True)
    client_secret = serializers.CharField(
        allow_null=True,
        help_text="With Stripe, while `requires_action`: confirm it with Stripe's SDK "
        "(handleNextAction / confirmCardPayment), then POST .../payment-refresh.",
    )
    order = OrderListOutputSerializer(help_text="The order, as it is after this attempt.")


class OrderPaymentIntentOutputSerializer(serializers.Serializer):
    client_secret = serializers.CharField(
        help_text="The PaymentIntent's client secret: confirm it with Stripe's SDK (the card "
        "goes to Stripe, never to this API), then POST .../payment-refresh."
    )
    publishable_key = serializers.CharField(help_text="The Stripe key the SDK is set up with.")
    payment_status = serializers.ChoiceField(choices=Payment.Status.choices)
    amount = serializers.IntegerField(help_text="In minor units (cents).")
    currency = serializers.CharField()


class CheckoutReviewOutputSerializer(serializers.Serializer):
    """What placing the cart's order would charge now (selectors.checkout_totals, the formula
    POST /checkout charges with)."""

    item_count = serializers.IntegerField(help_text="Units in the cart.")
    currency = serializers.CharField()
    subtotal = serializers.IntegerField(help_text="In cents, at today's prices.")
    discount_code = serializers.CharField(allow_null=True)
    discount_total = serializers.IntegerField(help_text="In cents; 0 if the code does not apply.")
    discount_error = serializers.CharField(
        help_text="Why the cart's code does not apply now (placing the order would be refused "
        "with this reason on `code`); empty when it does."
    )
    shipping_method = ShippingMethodOutputSerializer()
    shipping_total = serializers.IntegerField()
    total = serializers.IntegerField(help_text="In minor units (cents).")
    vat_rate = serializers.IntegerField(
        help_text="The store's VAT rate included in the prices, in basis points (2100 is 21%)."
    )
    vat_total = serializers.IntegerField(
        help_text="VAT included in `total`, in cents (what the order would record)."
    )
    problems = serializers.ListField(
        child=serializers.CharField(),
        help_text="Lines that cannot be ordered as they are (sold out, too many, withdrawn).",
    )
