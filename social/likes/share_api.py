"""/api/v1/shares: share a product (POST; the link with its token comes back) and list your
own shares (GET, by cursor). Thin: the service checks everything (friends only, never
anyone blocked, the daily limit) and its errors name the field."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.catalog.selectors import product_list_by_ids
from shop.core.api import ErrorResponseSerializer
from shop.core.cursors import cursor_parse
from social.likes import share_selectors, share_services
from social.likes.models import Share

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
INVALID = OpenApiResponse(ErrorResponseSerializer, description="A field is wrong (named).")
LIMITED = OpenApiResponse(ErrorResponseSerializer, description="Too many shares today.")


class ShareCreateInputSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    channel = serializers.ChoiceField(choices=Share.Channel.choices)
    recipients = serializers.ListField(
        # Checked by the service (friends only): an id that is no friend of yours, however
        # malformed, is refused there under "recipients".
        child=serializers.IntegerField(),
        required=False,
        max_length=share_services.RECIPIENTS_MAX,
        help_text="User ids of friends (channel friends).",
    )
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=share_services.MESSAGE_MAX_LENGTH
    )
    network = serializers.ChoiceField(
        choices=share_services.NETWORKS, required=False, help_text="For channel network."
    )


class ShareOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The product's page with ?s=<token>.")
    product = serializers.IntegerField(source="product_id")
    product_title = serializers.CharField(source="product.title")
    channel = serializers.CharField()
    network = serializers.CharField(allow_blank=True)
    message = serializers.CharField(allow_blank=True)
    recipients = serializers.SerializerMethodField()
    visit_count = serializers.IntegerField()
    order_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_url(self, share) -> str:
        return share_services.share_absolute_url(share)

    def get_recipients(self, share) -> list[int]:
        return [row.user_id for row in share.recipients.all()]


class SharePageOutputSerializer(serializers.Serializer):
    results = ShareOutputSerializer(many=True, source="shares")
    next_cursor = serializers.CharField(allow_null=True)


@extend_schema(tags=["social"])
class ShareApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="shares_list",
        summary="Your shares",
        description="Newest first. Pass `next_cursor` back as `cursor` for the next page; "
        "a cursor that is not one is a 400 naming `cursor`.",
        parameters=[OpenApiParameter("cursor", OpenApiTypes.STR, required=False)],
        responses={
            200: SharePageOutputSerializer,
            400: INVALID,
            401: NOT_LOGGED_IN,
            403: NOT_LOGGED_IN,
        },
    )
    def get(self, request):
        cursor = cursor_parse(request.query_params.get("cursor"))
        page = share_selectors.share_list_for_sharer(viewer=request.user, cursor=cursor)
        return Response(SharePageOutputSerializer(page).data)

    @extend_schema(
        operation_id="shares_create",
        summary="Share a product",
        description="channel link: a link to paste anywhere; friends: sent to `recipients` "
        "(your friends) with an optional `message`, each notified; network: for `network` "
        "(email, x, facebook, whatsapp, pinterest, native). The answer's `url` carries the "
        "share's token.",
        request=ShareCreateInputSerializer,
        responses={
            201: ShareOutputSerializer,
            400: INVALID,
            401: NOT_LOGGED_IN,
            403: NOT_LOGGED_IN,
            429: LIMITED,
        },
    )
    def post(self, request):
        serializer = ShareCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        product = product_list_by_ids(product_ids=[data["product"]]).get(data["product"])
        share = share_services.share_create(
            sharer=request.user,
            product=product,
            channel=data["channel"],
            recipient_ids=data.get("recipients"),
            message=data.get("message", ""),
            network=data.get("network", ""),
        )
        return Response(ShareOutputSerializer(share).data, status=status.HTTP_201_CREATED)
