"""The gift pools' API under /api/v1/:

- /pools (GET: mine, organised or chipped in; POST: open one for a friend's wish, a variant,
  or a free amount),
- /pools/<id> (a pool its viewer may see, named by its id: with `?token=` its link counts as
  opened), /pools/<token> (the same through its link, per its visibility; `?invite=` an
  email invitation's token),
- /pools/<id>/extend, /top-up, /switch, /close, /order (the organiser's transitions).

A pool's contributions and its card are in contributions_api.py.

Thin: parse, call one service or selector, answer. Who sees what is decided in
gifting.pools.selectors (names and amounts per the pool's and each contributor's choices);
business rules answer 400 naming the field; a pool one may not see is 404.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from gifting.pools import lifecycle, opening, selectors, services
from gifting.pools.models import Pool
from shop.core.api import ErrorResponseSerializer
from shop.core.errors import DomainError
from shop.orders.addresses import AddressInput

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
INVALID = OpenApiResponse(
    ErrorResponseSerializer,
    description="A field is invalid or a rule refused it (e.g. `invalid_deadline`, "
    "`below_minimum`, `pool_full` (its message offers what is left), `pool_complete`, "
    "`pool_closed`, `illegal_transition`, `already_extended`), keyed by the field's name.",
)
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such pool (or not yours).")
POOL_ID = OpenApiParameter("pool_id", OpenApiTypes.INT, OpenApiParameter.PATH)
TOKEN = OpenApiParameter(
    "token", OpenApiTypes.STR, required=False, description="The token of the pool's link."
)
INVITE = OpenApiParameter(
    "invite", OpenApiTypes.STR, required=False, description="An email invitation's token."
)
POOL_TOKEN = OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH)
SOURCES = [("wish", "A friend's wish"), ("variant", "A product"), ("amount", "A free amount")]
PAYMENT_METHOD_HELP = (
    "With the fake gateway (and Stripe test mode) a card number such as 4242 4242 4242 4242; "
    "with Stripe a PaymentMethod id (pm_...)."
)


# --- output -----------------------------------------------------------------------------------


class GiftOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    variant_name = serializers.CharField()
    price = serializers.IntegerField(allow_null=True, help_text="In cents; null: a free amount.")
    url = serializers.CharField()


class ContributorOutputSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='Their name, "Someone" if they hid it, or "You".')
    amount = serializers.IntegerField(
        allow_null=True, help_text="In cents; null where the pool hides amounts from you."
    )
    message = serializers.CharField()
    mine = serializers.BooleanField()
    at = serializers.DateTimeField(allow_null=True)


class ShipmentOutputSerializer(serializers.Serializer):
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    shipped_at = serializers.DateTimeField()


class PoolOrderOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    shipments = ShipmentOutputSerializer(many=True)


class PoolOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pool.id")
    gift = GiftOutputSerializer()
    recipient = serializers.CharField(source="recipient_name")
    organiser = serializers.CharField(source="pool.organiser.public_name")
    message = serializers.CharField(source="pool.message")
    state = serializers.ChoiceField(choices=Pool.State.choices)
    deadline = serializers.DateTimeField()
    is_organiser = serializers.BooleanField()
    amounts_shown = serializers.BooleanField()
    collected = serializers.IntegerField(allow_null=True, help_text="In cents; null: hidden.")
    target = serializers.IntegerField(allow_null=True, help_text="In cents; null: hidden.")
    percent = serializers.IntegerField()
    rule = serializers.ChoiceField(source="pool.rule", choices=Pool.Rule.choices)
    minimum = serializers.IntegerField()
    suggested = serializers.IntegerField(help_text="In cents: what a contribution starts at.")
    remaining = serializers.IntegerField(
        allow_null=True, help_text="In cents, what is left to collect; null: hidden."
    )
    can_contribute = serializers.BooleanField()
    contributors = ContributorOutputSerializer(many=True)
    actions = serializers.ListField(
        child=serializers.CharField(), help_text="The organiser's: what they may do now."
    )
    order = PoolOrderOutputSerializer(allow_null=True)


class PoolListedOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pool.id")
    token = serializers.CharField(source="pool.token")
    gift = GiftOutputSerializer()
    recipient = serializers.CharField(source="recipient_name")
    state = serializers.ChoiceField(source="pool.state", choices=Pool.State.choices)
    deadline = serializers.DateTimeField(source="pool.deadline")
    is_organiser = serializers.BooleanField()
    percent = serializers.IntegerField()
    collected = serializers.IntegerField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)
    my_amount = serializers.IntegerField(allow_null=True)


def _pool_data(shown) -> dict:
    data = PoolOutputSerializer(shown).data
    data["remaining"] = shown.remaining if shown.amounts_shown else None
    data["actions"] = sorted(shown.actions)
    if shown.is_organiser:
        data["token"] = shown.pool.token  # the link is the organiser's to hand out
        data["visibility"] = shown.pool.visibility
    return data


# --- input ------------------------------------------------------------------------------------


class AddressInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=120)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=20)
    city = serializers.CharField(max_length=100)
    country = serializers.CharField(max_length=2)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class PoolInputSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=SOURCES)
    item = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="source=wish: the wish's id."
    )
    variant = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="source=variant."
    )
    shipping_method = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="source=wish or variant."
    )
    target = serializers.IntegerField(
        required=False, min_value=1, max_value=10**9, help_text="source=amount: in cents."
    )
    recipient = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="A friend's username."
    )
    recipient_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=120
    )
    address = AddressInputSerializer(required=False, help_text="source=variant: where to ship.")
    deadline = serializers.DateTimeField()
    visibility = serializers.ChoiceField(choices=[v.value for v in services.POOL_VISIBILITIES])
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    rule = serializers.ChoiceField(choices=Pool.Rule.choices, default=Pool.Rule.ANY)
    minimum = serializers.IntegerField(
        default=services.MINIMUM_FLOOR, min_value=1, max_value=10**9, help_text="In cents."
    )
    suggested_amount = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=10**9
    )
    invited_count = serializers.IntegerField(default=0, min_value=0, max_value=1000)
    show_amounts = serializers.BooleanField(default=True)
    auto_order = serializers.BooleanField(default=False)


class ExtendInputSerializer(serializers.Serializer):
    deadline = serializers.DateTimeField()


class TopUpInputSerializer(serializers.Serializer):
    payment_method = serializers.CharField(max_length=255, help_text=PAYMENT_METHOD_HELP)


class SwitchInputSerializer(serializers.Serializer):
    variant = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    shipping_method = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


# --- helpers ----------------------------------------------------------------------------------


def pool_visible(request, pool_id: int) -> Pool:
    return selectors.pool_get_for_viewer(
        viewer=request.user,
        pool_id=pool_id,
        token=request.query_params.get("token", ""),
        invitation_token=request.query_params.get("invite", ""),
    )


def _organised(request, pool_id: int) -> Pool:
    from django.http import Http404

    pool = pool_visible(request, pool_id)
    if not request.user.is_authenticated or pool.organiser_id != request.user.pk:
        raise Http404("No such pool.")
    return pool


def _pool_answer(request, pool: Pool, *, code=status.HTTP_200_OK) -> Response:
    pool.refresh_from_db()
    shown = selectors.pool_shown(viewer=request.user, pool=pool)
    return Response(_pool_data(shown), status=code)


def _required(value, *, field: str, message: str):
    if value in (None, ""):
        raise DomainError(message, code="required", field=field)
    return value


def _variant(variant_id: int | None, field: str = "variant"):
    from shop.catalog.selectors import variant_get_with_product

    _required(variant_id, field=field, message="Choose the gift.")
    variant = variant_get_with_product(variant_id=variant_id)
    opening.variant_check(variant, field=field)
    return variant


def _wish(item_id: int | None):
    from django.http import Http404

    from gifting.wishlists.selectors import wishlist_item_get

    _required(item_id, field="item", message="Choose the wish the pool is for.")
    try:
        return wishlist_item_get(item_id=item_id)
    except Http404:
        raise DomainError("No such wish.", code="not_found", field="item") from None


def _recipient(request, username: str):
    from django.http import Http404

    from social.graph.selectors import person_get_for_actor

    if not username:
        return None
    try:
        return person_get_for_actor(viewer=request.user, username=username)
    except Http404:
        raise DomainError("No such person.", code="not_found", field="recipient") from None


def _address(data: dict | None) -> AddressInput | None:
    return AddressInput(**data) if data else None


def _pool_open(request, data: dict) -> Pool:
    common = {
        "organiser": request.user,
        "deadline": data["deadline"],
        "visibility": data["visibility"],
        "message": data["message"],
        "rule": data["rule"],
        "minimum": data["minimum"],
        "suggested_amount": data["suggested_amount"],
        "invited_count": data["invited_count"],
        "show_amounts": data["show_amounts"],
        "auto_order": data["auto_order"],
    }
    source = data["source"]
    if source == "wish":
        return opening.pool_open_for_wish(
            item=_wish(data.get("item")),
            shipping_method=_required(
                data.get("shipping_method"),
                field="shipping_method",
                message="Choose how the gift is shipped.",
            ),
            **common,
        )
    if source == "variant":
        return opening.pool_open_for_variant(
            variant=_variant(data.get("variant")),
            shipping_method=_required(
                data.get("shipping_method"),
                field="shipping_method",
                message="Choose how the gift is shipped.",
            ),
            recipient=_recipient(request, data["recipient"]),
            recipient_name=data["recipient_name"],
            address=_address(data.get("address")),
            **common,
        )
    return services.pool_open(
        target=_required(
            data.get("target"), field="target", message="Enter the amount to collect."
        ),
        recipient=_recipient(request, data["recipient"]),
        recipient_name=data["recipient_name"],
        **common,
    )


# --- views ------------------------------------------------------------------------------------


@extend_schema(tags=["gifting"])
class PoolsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="pools_list",
        summary="My gift pools",
        description="The pools I organised or chipped in to, newest first (never one I am "
        "the recipient of).",
        responses={200: PoolListedOutputSerializer(many=True), 403: NOT_LOGGED_IN},
    )
    def get(self, request):
        listed = selectors.pool_list_mine(user=request.user)
        return Response(PoolListedOutputSerializer(listed, many=True).data)

    @extend_schema(
        operation_id="pools_create",
        summary="Open a gift pool",
        description="For a friend's wish (`source=wish`, `item`: the pool claims it and the "
        "gift ships to the list's gift address, which you never see), for a product "
        "(`source=variant`, `variant`, `shipping_method`, a friend's username as `recipient` "
        "or a `recipient_name`, and the `address`), or a free amount (`source=amount`, "
        "`target` in cents). The target of a gift is its price and shipping now.",
        request=PoolInputSerializer,
        responses={201: PoolOutputSerializer, 400: INVALID, 403: NOT_LOGGED_IN},
    )
    def post(self, request):
        serializer = PoolInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pool = _pool_open(request, serializer.validated_data)
        return _pool_answer(request, pool, code=status.HTTP_201_CREATED)


@extend_schema(tags=["gifting"])
class PoolDetailApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="pools_retrieve",
        summary="A gift pool",
        description="As you may see it: names and amounts per the pool's and each "
        "contributor's choices. Without `token`, a pool shared by link is for its organiser, "
        "contributors and invited people only.",
        parameters=[POOL_ID, TOKEN, INVITE],
        responses={200: PoolOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pool_id: int):
        return _pool_answer(request, pool_visible(request, pool_id))


@extend_schema(tags=["gifting"])
class PoolByTokenApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="pools_retrieve_by_token",
        summary="A gift pool, through its link",
        description="Whoever the pool's visibility lets in with its link (friends of the "
        "organiser, anyone, or everyone), its contributors and invited people; never its "
        "recipient.",
        parameters=[POOL_TOKEN, INVITE],
        responses={200: PoolOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, token: str):
        pool = selectors.pool_get_by_token(
            viewer=request.user,
            token=token,
            invitation_token=request.query_params.get("invite", ""),
        )
        return _pool_answer(request, pool)


def _transition_schema(operation_id: str, summary: str, description: str, request=None):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        parameters=[POOL_ID],
        request=request,
        responses={200: PoolOutputSerializer, 400: INVALID, 403: NOT_LOGGED_IN, 404: NOT_FOUND},
    )


@extend_schema(tags=["gifting"])
class PoolExtendApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @_transition_schema(
        "pools_extend",
        "Extend an expired pool's deadline (once)",
        "The organiser's: an expired pool opens again until `deadline`.",
        ExtendInputSerializer,
    )
    def post(self, request, pool_id: int):
        pool = _organised(request, pool_id)
        serializer = ExtendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.pool_extend(
            pool=pool, deadline=serializer.validated_data["deadline"], by=request.user
        )
        return _pool_answer(request, pool)


@extend_schema(tags=["gifting"])
class PoolTopUpApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @_transition_schema(
        "pools_top_up",
        "Pay what is left yourself",
        "The organiser's, on an open or expired pool: chips in exactly what is left and pays "
        "it; paid, the pool is funded.",
        TopUpInputSerializer,
    )
    def post(self, request, pool_id: int):
        from gifting.pools import payments

        pool = _organised(request, pool_id)
        serializer = TopUpInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contribution = lifecycle.pool_top_up(pool=pool, by=request.user)
        payments.contribution_pay(
            contribution=contribution,
            payment_method=serializer.validated_data["payment_method"].strip(),
        )
        return _pool_answer(request, pool)


@extend_schema(tags=["gifting"])
class PoolSwitchApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @_transition_schema(
        "pools_switch",
        "Switch to another gift",
        "The organiser's: the target becomes the new gift's price and shipping; what was "
        "collected beyond it is refunded to contributors pro rata, to the cent. A pool for an "
        "amount funded before its gift was chosen gets its gift here: one costing at most what "
        "was collected (else 400 gift_too_dear), then ordered (on its own for auto_order).",
        SwitchInputSerializer,
    )
    def post(self, request, pool_id: int):
        pool = _organised(request, pool_id)
        serializer = SwitchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lifecycle.pool_switch(
            pool=pool,
            variant=_variant(serializer.validated_data["variant"]),
            shipping_method=opening.shipping_method_check(
                serializer.validated_data["shipping_method"]
            ),
            by=request.user,
        )
        return _pool_answer(request, pool)


@extend_schema(tags=["gifting"])
class PoolCloseApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @_transition_schema(
        "pools_close",
        "Close a pool and refund everyone",
        "The organiser's, before the gift is ordered: every contribution is refunded through "
        "the payment gateway (retried until it goes through).",
    )
    def post(self, request, pool_id: int):
        pool = _organised(request, pool_id)
        lifecycle.pool_close(pool=pool, by=request.user)
        return _pool_answer(request, pool)


@extend_schema(tags=["gifting"])
class PoolOrderApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @_transition_schema(
        "pools_order",
        "Order the gift with the pool's money",
        "The organiser's, on a funded pool: the order is placed, paid by the pool (no card) "
        "and shipped to the recipient.",
    )
    def post(self, request, pool_id: int):
        from gifting.pools import ordering

        pool = _organised(request, pool_id)
        ordering.pool_order_place(pool=pool, by=request.user)
        return _pool_answer(request, pool)
