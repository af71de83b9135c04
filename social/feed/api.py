"""/api/v1/feed (a page of your feed, by cursor) and /api/v1/feed/new-count. Thin."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.core.api import ErrorResponseSerializer
from social.feed import selectors

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
AUTH_RESPONSES = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}


class FeedPersonOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="public_name")


class FeedObjectOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    image_url = serializers.CharField(allow_blank=True)
    price = serializers.IntegerField(allow_null=True, help_text="In minor units (cents).")
    currency = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    available = serializers.BooleanField(help_text="False once the product is gone.")


class FeedEntryOutputSerializer(serializers.Serializer):
    verb = serializers.CharField()
    created_at = serializers.DateTimeField()
    actors = FeedPersonOutputSerializer(many=True, help_text="Empty for a merchant's entry.")
    merchant = serializers.CharField(source="merchant.name", allow_null=True, default=None)
    objects = FeedObjectOutputSerializer(many=True, source="products")


class FeedPageOutputSerializer(serializers.Serializer):
    results = FeedEntryOutputSerializer(many=True, source="entries")
    next_cursor = serializers.CharField(allow_null=True)


class FeedNewCountOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()


@extend_schema(tags=["social"])
class FeedApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="feed_list",
        summary="A page of your feed",
        description="Newest first, grouped as the feed page shows it. Pass `next_cursor` "
        "back as `cursor` for the next page; an unknown cursor gives the first page.",
        parameters=[OpenApiParameter("cursor", OpenApiTypes.STR, required=False)],
        responses={200: FeedPageOutputSerializer, **AUTH_RESPONSES},
    )
    def get(self, request):
        page = selectors.feed_page(viewer=request.user, cursor=request.query_params.get("cursor"))
        return Response(FeedPageOutputSerializer(page).data)


@extend_schema(tags=["social"])
class FeedNewCountApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="feed_new_count",
        summary="How many feed items came since a moment",
        description="`since` is an ISO 8601 time with its zone; without a valid one, 0.",
        parameters=[OpenApiParameter("since", OpenApiTypes.DATETIME, required=False)],
        responses={200: FeedNewCountOutputSerializer, **AUTH_RESPONSES},
    )
    def get(self, request):
        since = selectors.since_parse(request.query_params.get("since"))
        count = selectors.feed_new_count(viewer=request.user, since=since)
        return Response({"count": count})
