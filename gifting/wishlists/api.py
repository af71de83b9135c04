"""/api/v1/wishlists (mine; create), /api/v1/wishlists/<id> (a list its viewer may see;
PATCH and DELETE for its owner), /api/v1/wishlists/<id>/items (its wishes; POST adds one,
owner), /api/v1/wishlists/<id>/reveal (POST, owner) and /api/v1/wishlist-items/<id>/claims
(POST claims units, DELETE releases my reservation). Thin: parse, call one service or
selector, answer.

A list is found by whoever the audience rule lets see it without its link (a LINK list: its
owner's friends), or with `?token=` (its link's token) by anyone not blocked; else 404. The
owner's view never carries claim fields (no `taken`, `left`, `claims`) until the occasion has
passed or they revealed. Business rules answer 400 naming the field.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from gifting.wishlists import selectors, services
from gifting.wishlists.errors import WishlistError
from gifting.wishlists.models import WishlistItem
from shop.core.api import ErrorResponseSerializer
from shop.core.errors import DomainError
from shop.core.visibility import Visibility

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
AUTH_RESPONSES = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}
INVALID = OpenApiResponse(
    ErrorResponseSerializer,
    description="A field is invalid or a rule refused it (`invalid_title`, "
    "`invalid_quantity`, `variant_unavailable`, `sold_out`, `own_list`, `not_found`, "
    "`illegal_transition`), keyed by the field's name.",
)
NOT_FOUND = OpenApiResponse(
    ErrorResponseSerializer, description="No such list (or not yours to see)."
)
WISHLIST_ID = OpenApiParameter("wishlist_id", OpenApiTypes.INT, OpenApiParameter.PATH)
ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH)
TOKEN = OpenApiParameter(
    "token", OpenApiTypes.STR, required=False, description="The token of the list's link."
)


# --- output -----------------------------------------------------------------------------------


class WishlistSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    occasion_on = serializers.DateField(allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    token = serializers.CharField()
    item_count = serializers.IntegerField()


class WishlistVariantOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price = serializers.IntegerField(help_text="In cents.")
    product_title = serializers.CharField(source="product.title")
    product_slug = serializers.CharField(source="product.slug")


class WishlistItemOwnerOutputSerializer(serializers.Serializer):
    """A wish as its owner sees it before the reveal: no claim field at all."""

    id = serializers.IntegerField(source="item.id")
    variant = WishlistVariantOutputSerializer(source="item.variant")
    quantity = serializers.IntegerField(source="item.quantity")
    note = serializers.CharField(source="item.note")
    priority = serializers.ChoiceField(
        source="item.priority", choices=WishlistItem.Priority.choices
    )
    price_when_added = serializers.IntegerField(
        source="item.price_when_added",
        help_text="In cents: the variant's price when the wish was made (a higher one than "
        "its price now is a price drop).",
    )


class WishlistClaimOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="claim_id")
    name = serializers.CharField(help_text='The claimer\'s name, or "Someone".')
    quantity = serializers.IntegerField()
    status = serializers.CharField(help_text="reserved or purchased")
    mine = serializers.BooleanField()
    held_url = serializers.CharField(
        help_text="Yours only: the page of your gift pool holding this claim, which cannot be "
        'bought or released here while the pool lives; "" otherwise.'
    )


class WishlistItemOutputSerializer(WishlistItemOwnerOutputSerializer):
    """A wish as a friend (or the owner after the reveal) sees it: what is taken, by whom."""

    taken = serializers.IntegerField()
    left = serializers.IntegerField()
    claims = WishlistClaimOutputSerializer(many=True)


class WishlistOwnerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="wishlist.id")
    title = serializers.CharField(source="wishlist.title")
    owner = serializers.CharField(source="wishlist.owner.public_name")
    occasion_on = serializers.DateField(source="wishlist.occasion_on", allow_null=True)
    visibility = serializers.ChoiceField(source="wishlist.visibility", choices=Visibility.choices)
    token = serializers.CharField(source="wishlist.token")
    is_owner = serializers.BooleanField()
    shipping_address = serializers.IntegerField(
        source="wishlist.shipping_address_id",
        allow_null=True,
        help_text="The owner's only: the id of their saved address gifts may be sent to.",
    )
    items = WishlistItemOwnerOutputSerializer(many=True)


class WishlistOutputSerializer(WishlistOwnerOutputSerializer):
    items = WishlistItemOutputSerializer(many=True)
    ship_to = serializers.CharField(
        allow_null=True,
        help_text="Not for the owner. When the owner set a gift address: pass it as `ship_to` "
        "to POST /api/v1/checkout, holding a reservation on one of the list's wishes, to "
        "send the gift there; you never see the address. Null: none set.",
    )


def _shown_data(shown) -> dict:
    if shown.claims_shown:
        data = WishlistOutputSerializer(shown).data
    else:
        data = WishlistOwnerOutputSerializer(shown).data
    if not shown.is_owner:
        data.pop("token")  # the link is the owner's to hand out
        data.pop("shipping_address")  # the owner's address book is theirs
    return data


# --- input ------------------------------------------------------------------------------------


class WishlistInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    occasion_on = serializers.DateField(required=False, allow_null=True, default=None)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    shipping_address = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="One of your saved addresses' id: friends who claim a wish may ship it there "
        "without seeing it. Null: nowhere. Left out: unchanged.",
    )


class WishlistItemInputSerializer(serializers.Serializer):
    variant = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    quantity = serializers.IntegerField(min_value=1, max_value=99, default=1)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(
        choices=WishlistItem.Priority.choices, default=WishlistItem.Priority.NORMAL
    )


class WishlistClaimInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=99, default=1)


# --- views ------------------------------------------------------------------------------------


def _address(request, address_id: int | None):
    """The signed-in owner's saved address ADDRESS_ID (None for None), or a 400 naming
    `shipping_address`."""
    from shop.accounts.selectors import address_list_for_user

    if address_id is None:
        return None
    address = address_list_for_user(user=request.user).filter(pk=address_id).first()
    if address is None:
        raise DomainError(
            "Choose one of your saved addresses.",
            code=WishlistError.INVALID_ADDRESS,
            field="shipping_address",
        )
    return address


def _visible(request, wishlist_id: int):
    token = request.query_params.get("token", "")
    if token:
        wishlist = selectors.wishlist_get_by_token(viewer=request.user, token=token)
        if wishlist.pk != wishlist_id:
            raise Http404("No such list.")
        return wishlist
    return selectors.wishlist_get_for_viewer(viewer=request.user, wishlist_id=wishlist_id)


@extend_schema(tags=["gifting"])
class WishlistsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="wishlists_list",
        summary="Your wishlists",
        responses={200: WishlistSummaryOutputSerializer(many=True), **AUTH_RESPONSES},
    )
    def get(self, request):
        lists = selectors.wishlist_list_for_owner(owner=request.user)
        return Response(WishlistSummaryOutputSerializer(lists, many=True).data)

    @extend_schema(
        operation_id="wishlists_create",
        summary="Make a wishlist (who sees it: your privacy setting unless given)",
        request=WishlistInputSerializer,
        responses={201: WishlistOwnerOutputSerializer, 400: INVALID, **AUTH_RESPONSES},
    )
    def post(self, request):
        data = WishlistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["shipping_address"] = _address(request, fields.get("shipping_address"))
        wishlist = services.wishlist_create(owner=request.user, **fields)
        shown = selectors.wishlist_shown(viewer=request.user, wishlist=wishlist)
        return Response(_shown_data(shown), status=status.HTTP_201_CREATED)


@extend_schema(tags=["gifting"], parameters=[WISHLIST_ID])
class WishlistDetailApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="wishlists_retrieve",
        summary="A wishlist as you may see it (the owner: no claim until the reveal)",
        parameters=[TOKEN],
        responses={200: WishlistOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, wishlist_id: int):
        wishlist = _visible(request, wishlist_id)
        return Response(
            _shown_data(selectors.wishlist_shown(viewer=request.user, wishlist=wishlist))
        )

    @extend_schema(
        operation_id="wishlists_update",
        summary="Rename your list, change its occasion or who sees it",
        request=WishlistInputSerializer,
        responses={200: WishlistOwnerOutputSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def patch(self, request, wishlist_id: int):
        wishlist = _owned(request, wishlist_id)
        data = WishlistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.wishlist_update(
            wishlist=wishlist,
            title=data.validated_data["title"],
            occasion_on=data.validated_data["occasion_on"],
            visibility=data.validated_data.get("visibility", wishlist.visibility),
            shipping_address=(
                _address(request, data.validated_data["shipping_address"])
                if "shipping_address" in data.validated_data
                else wishlist.shipping_address
            ),
        )
        return Response(
            _shown_data(selectors.wishlist_shown(viewer=request.user, wishlist=wishlist))
        )

    @extend_schema(
        operation_id="wishlists_destroy",
        summary="Delete your list",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request, wishlist_id: int):
        services.wishlist_delete(wishlist=_owned(request, wishlist_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _owned(request, wishlist_id: int):
    if not request.user.is_authenticated:
        raise Http404("No such list.")
    return selectors.wishlist_get_for_owner(owner=request.user, wishlist_id=wishlist_id)


@extend_schema(tags=["gifting"], parameters=[WISHLIST_ID])
class WishlistItemsApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="wishlists_items_list",
        summary="A list's wishes as you may see them",
        parameters=[TOKEN],
        responses={200: WishlistItemOutputSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, wishlist_id: int):
        shown = selectors.wishlist_shown(
            viewer=request.user, wishlist=_visible(request, wishlist_id)
        )
        return Response(_shown_data(shown)["items"])

    @extend_schema(
        operation_id="wishlists_items_create",
        summary="Add a product's variant to your list",
        request=WishlistItemInputSerializer,
        responses={201: WishlistItemOwnerOutputSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request, wishlist_id: int):
        wishlist = _owned(request, wishlist_id)
        data = WishlistItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.wishlist_item_add(
            wishlist=wishlist,
            variant_id=data.validated_data["variant"],
            quantity=data.validated_data["quantity"],
            note=data.validated_data["note"],
            priority=data.validated_data["priority"],
        )
        item = selectors.wishlist_item_get(item_id=item.pk)
        return Response(
            WishlistItemOwnerOutputSerializer(selectors.ItemShown(item=item)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["gifting"], parameters=[WISHLIST_ID])
class WishlistRevealApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="wishlists_reveal",
        summary="Show yourself who gives what from your list (cannot be undone)",
        request=None,
        responses={200: WishlistOutputSerializer, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def post(self, request, wishlist_id: int):
        wishlist = services.wishlist_reveal(wishlist=_owned(request, wishlist_id))
        return Response(
            _shown_data(selectors.wishlist_shown(viewer=request.user, wishlist=wishlist))
        )


@extend_schema(tags=["gifting"], parameters=[ITEM_ID])
class WishlistItemClaimsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def _item(self, request, item_id: int):
        item = selectors.wishlist_item_get(item_id=item_id)
        _visible(request, item.wishlist_id)  # 404 unless the viewer may see the list
        return item

    @extend_schema(
        operation_id="wishlist_items_claim",
        summary="Claim units of a friend's wish (adds to your reservation)",
        parameters=[TOKEN],
        request=WishlistClaimInputSerializer,
        responses={201: WishlistItemOutputSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request, item_id: int):
        item = self._item(request, item_id)
        data = WishlistClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.claim_create(
            item=item,
            claimer=request.user,
            quantity=data.validated_data["quantity"],
            link_opened=bool(request.query_params.get("token")),
        )
        return Response(self._shown_item(request, item), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="wishlist_items_release",
        summary="Release your reservation of a wish",
        parameters=[TOKEN],
        responses={200: WishlistItemOutputSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def delete(self, request, item_id: int):
        item = self._item(request, item_id)
        claim = selectors.claim_reserved_of(claimer=request.user, item=item)
        services.claim_release(claim=claim, by=request.user)
        return Response(self._shown_item(request, item))

    def _shown_item(self, request, item) -> dict:
        shown = selectors.wishlist_shown(viewer=request.user, wishlist=item.wishlist)
        items = _shown_data(shown)["items"]
        return next(i for i in items if i["id"] == item.pk)
