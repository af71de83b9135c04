"""/api/v1/recommendations (products for me, each with the reason) and
/api/v1/products/<slug>/bought-together (the products most often bought with one). Thin."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.core.api import ErrorResponseSerializer
from shop.core.errors import DomainError
from social.recommendations import products_selectors
from social.recommendations.errors import RecommendationError
from social.recommendations.models import PickReason
from social.recommendations.products_services import PICKS, TOGETHER

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
INVALID = OpenApiResponse(ErrorResponseSerializer, description="Invalid input (see `errors`).")
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such product.")
SLUG_MAX = 220


def _limit(request, *, default: int, most: int) -> int:
    raw = (request.query_params.get("limit") or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise DomainError(
            f"Enter a whole number from 1 to {most}.",
            code=RecommendationError.INVALID_LIMIT,
            field="limit",
        )
    return int(raw)


def _limit_parameter(most: int) -> OpenApiParameter:
    return OpenApiParameter(
        "limit", OpenApiTypes.INT, description=f"How many, from 1 to {most}.", required=False
    )


class ProductBriefOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")


class ReasonPersonOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="public_name")


class ReasonOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PickReason.choices, source="reason")
    text = serializers.SerializerMethodField(help_text='As shown: "Because Ana liked it".')
    person = ReasonPersonOutputSerializer(
        source="reason_person", allow_null=True, help_text="The friend it names, if any."
    )
    product = ProductBriefOutputSerializer(
        source="reason_product", allow_null=True, help_text="The product it names, if any."
    )

    def get_text(self, pick) -> str:
        return products_selectors.pick_reason_text(pick)


class RecommendationOutputSerializer(serializers.Serializer):
    product = ProductBriefOutputSerializer()
    reason = ReasonOutputSerializer(source="*")
    score = serializers.FloatField()


class RecommendationListOutputSerializer(serializers.Serializer):
    results = RecommendationOutputSerializer(many=True)


@extend_schema(tags=["social"])
class RecommendationListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="recommendations_list",
        summary="Products recommended to you, each with its reason",
        description="Precomputed in the background from your likes, purchases and browsing, "
        "your friends' likes and purchases (only what they share with you), and what is often "
        "bought together; best first. Empty when you turned personalisation off. One query.",
        parameters=[_limit_parameter(PICKS)],
        responses={
            200: RecommendationListOutputSerializer,
            400: INVALID,
            401: NOT_LOGGED_IN,
            403: NOT_LOGGED_IN,
        },
    )
    def get(self, request):
        limit = _limit(request, default=24, most=PICKS)
        picks = list(products_selectors.picks_for_user(viewer=request.user)[:limit])
        return Response(RecommendationListOutputSerializer({"results": picks}).data)


class TogetherItemOutputSerializer(serializers.Serializer):
    slug = serializers.CharField(source="product.slug")
    title = serializers.CharField(source="product.title")
    url = serializers.CharField(source="product.get_absolute_url")
    orders = serializers.IntegerField(
        source="product.orders", help_text="How many paid orders held both."
    )
    variant = serializers.IntegerField(
        source="variant.pk", allow_null=True, help_text="Its cheapest variant in stock."
    )
    price = serializers.IntegerField(
        source="variant.price", allow_null=True, help_text="That variant's price, in cents."
    )


class BoughtTogetherOutputSerializer(serializers.Serializer):
    product = serializers.CharField(source="product.slug")
    results = TogetherItemOutputSerializer(many=True, source="items")


@extend_schema(tags=["catalog"])
class BoughtTogetherApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="products_bought_together",
        summary="Products often bought together with a product",
        description="From paid orders, most often first; published and in stock only, each "
        "with its cheapest variant in stock (to add both to the cart). Three queries.",
        parameters=[
            OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH),
            _limit_parameter(TOGETHER),
        ],
        responses={200: BoughtTogetherOutputSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def get(self, request, slug: str):
        from shop.catalog.models import Product

        limit = _limit(request, default=TOGETHER, most=TOGETHER)
        product = (
            Product.objects.filter(slug=slug[:SLUG_MAX], is_published=True)
            .only("pk", "slug", "title")
            .first()
        )
        if product is None:
            raise Http404("No such product.")
        together = products_selectors.bought_together(product=product, limit=limit)
        return Response(BoughtTogetherOutputSerializer(together).data)
