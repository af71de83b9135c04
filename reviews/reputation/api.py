"""/api/v1/merchants/<slug>/reputation: a merchant's public reputation and profile, and the
signed-in viewer's friends who bought from it (only those whose purchases they may see; none
for a visitor). Open to everyone. Thin: one selector of each kind, answered."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.reputation import selectors
from shop.core.api import ErrorResponseSerializer


class ReputationPersonOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="public_name")


class ReputationFriendsOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    people = ReputationPersonOutputSerializer(many=True, help_text="The first few, by name.")


class ReputationFulfilmentOutputSerializer(serializers.Serializer):
    ships_within_days = serializers.IntegerField(source="days")
    due = serializers.IntegerField(
        help_text="Order lines shipped, or whose promised days are over."
    )
    on_time = serializers.IntegerField(help_text="Of those, shipped within the promised days.")
    percent = serializers.IntegerField(allow_null=True, help_text="null with no line due.")


class MerchantReputationOutputSerializer(serializers.Serializer):
    merchant = serializers.SlugField(source="merchant.slug")
    name = serializers.CharField(source="merchant.name")
    about = serializers.CharField(source="merchant.description")
    returns_policy = serializers.CharField(source="merchant.returns_policy")
    shipping_policy = serializers.CharField(source="merchant.shipping_policy")
    rating = serializers.FloatField(
        source="reputation.rating", allow_null=True, help_text="Out of 5; null with none."
    )
    rating_count = serializers.IntegerField(source="reputation.rating_count")
    fulfilment = ReputationFulfilmentOutputSerializer(source="reputation.fulfilment")
    friends_who_bought = ReputationFriendsOutputSerializer(
        source="friends", help_text="Your friends who share their purchases with you."
    )


@extend_schema(tags=["reviews"])
class MerchantReputationApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="merchants_reputation",
        summary="A merchant's reputation, profile and your friends who bought from it",
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={
            200: MerchantReputationOutputSerializer,
            404: OpenApiResponse(ErrorResponseSerializer, description="No such merchant."),
        },
    )
    def get(self, request, slug: str):
        merchant, reputation = selectors.merchant_reputation_get(slug=slug)
        viewer = request.user if request.user.is_authenticated else None
        friends = selectors.merchant_buyer_friends(viewer=viewer, merchant_id=merchant.pk)
        return Response(
            MerchantReputationOutputSerializer(
                {"merchant": merchant, "reputation": reputation, "friends": friends}
            ).data
        )
