"""/api/v1/likes (list mine by cursor, like a product, unlike it) and the social proof of
products for the signed-in person: /api/v1/products/<slug>/social-proof and
/api/v1/social-proof?products=<slug>,<slug> (the catalogue's own endpoints stay
impersonal and cached; the shop never imports social). Thin."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.core.api import ErrorResponseSerializer
from shop.core.cursors import cursor_parse
from shop.core.errors import DomainError
from social.likes import proof, selectors, services
from social.likes.errors import LikeError

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
AUTH_RESPONSES = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}
INVALID = OpenApiResponse(ErrorResponseSerializer, description="Invalid input (see `errors`).")
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such product.")
SLUG_MAX = 220
PROOF_MAX_PRODUCTS = 100


def _product_for_input(slug: str):
    try:
        return selectors.like_product_get(slug=slug)
    except Http404:
        raise DomainError(
            "There is no product with this name.",
            code=LikeError.PRODUCT_NOT_AVAILABLE,
            field="product",
        ) from None


class LikeProductOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")
    price_min = serializers.IntegerField(allow_null=True, help_text="In minor units (cents).")
    image_url = serializers.SerializerMethodField()

    def get_image_url(self, product) -> str:
        images = list(product.images.all())
        if not images:
            return ""
        picture = images[0].thumbnail or images[0].image
        return picture.url if picture else ""


class LikeOutputSerializer(serializers.Serializer):
    product = LikeProductOutputSerializer()
    created_at = serializers.DateTimeField(source="like.created_at")


class LikePageOutputSerializer(serializers.Serializer):
    results = LikeOutputSerializer(many=True, source="items")
    next_cursor = serializers.CharField(allow_null=True)


class LikeCreateInputSerializer(serializers.Serializer):
    product = serializers.CharField(max_length=SLUG_MAX, help_text="The product's slug.")


class LikeStateOutputSerializer(serializers.Serializer):
    product = serializers.CharField(source="slug")
    liked = serializers.BooleanField(help_text="Whether you like it.")
    like_count = serializers.IntegerField(source="count", help_text="How many people like it.")


class ProofPersonOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="public_name")


class FriendsProofOutputSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="How many friends, of those you may see.")
    friends = ProofPersonOutputSerializer(
        many=True, source="people", help_text="The newest few of them."
    )


class SocialProofOutputSerializer(serializers.Serializer):
    product = serializers.CharField()
    liked = serializers.BooleanField(help_text="Whether you like it.")
    like_count = serializers.IntegerField(help_text="How many people like it.")
    liked_by = FriendsProofOutputSerializer(help_text="Friends who like it.")
    bought_by = FriendsProofOutputSerializer(help_text="Friends who bought it.")


def _proofs(viewer, product_ids: list[int]) -> list[dict]:
    found = proof.product_social(viewer=viewer, product_ids=product_ids)
    return [
        {
            "product": item.state.slug,
            "liked": item.state.liked,
            "like_count": item.state.count,
            "liked_by": item.proof.liked,
            "bought_by": item.proof.bought,
        }
        for pk in product_ids
        if (item := found.get(pk)) is not None
    ]


@extend_schema(tags=["social"])
class LikeListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="likes_list",
        summary="The products you like",
        description="Newest first, 24 per page. Pass `next_cursor` back as `cursor` for the "
        "next page; anything else there is a 400 (`invalid_cursor`).",
        parameters=[OpenApiParameter("cursor", OpenApiTypes.STR, required=False)],
        responses={200: LikePageOutputSerializer, 400: INVALID, **AUTH_RESPONSES},
    )
    def get(self, request):
        page = selectors.like_page_for_user(
            user=request.user,
            cursor=cursor_parse(request.query_params.get("cursor")),
            size=selectors.PAGE_SIZE,
        )
        return Response(LikePageOutputSerializer(page).data)

    @extend_schema(
        operation_id="likes_create",
        summary="Like a product",
        description="201 when you like it now, 200 when you already did. An unknown or "
        "unpublished product is a 400 on `product` (`product_not_available`).",
        request=LikeCreateInputSerializer,
        responses={
            201: LikeStateOutputSerializer,
            200: LikeStateOutputSerializer,
            400: INVALID,
            **AUTH_RESPONSES,
        },
    )
    def post(self, request):
        serializer = LikeCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = _product_for_input(serializer.validated_data["product"])
        result = services.like_create(user=request.user, product=product)
        state = selectors.product_like_state(viewer=request.user, product=product)
        return Response(
            LikeStateOutputSerializer(state).data,
            status=status.HTTP_201_CREATED if result.changed else status.HTTP_200_OK,
        )


@extend_schema(tags=["social"])
class LikeDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="likes_destroy",
        summary="Unlike a product",
        description="204 whether or not you liked it; 404 for no such product.",
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=None,
        responses={204: None, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def delete(self, request, slug: str):
        product = selectors.like_product_get(slug=slug)
        services.like_delete(user=request.user, product=product)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["social"])
class ProductSocialProofApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="products_social_proof",
        summary="Your friends' likes and purchases of a product",
        description="Counts only the friends whose privacy settings let you see them.",
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: SocialProofOutputSerializer, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def get(self, request, slug: str):
        product = selectors.like_product_get(slug=slug)
        found = _proofs(request.user, [product.pk])
        if not found:  # not published
            raise Http404("No such product.")
        return Response(SocialProofOutputSerializer(found[0]).data)


@extend_schema(tags=["social"])
class SocialProofListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="social_proof_list",
        summary="Your friends' likes and purchases of several products",
        description="`products`: up to 100 product slugs, separated by commas (those of a "
        "page of /api/v1/products). Unknown or unpublished ones are left out. One query "
        "for the proof of all of them.",
        parameters=[OpenApiParameter("products", OpenApiTypes.STR, required=True)],
        responses={200: SocialProofOutputSerializer(many=True), 400: INVALID, **AUTH_RESPONSES},
    )
    def get(self, request):
        raw = request.query_params.get("products") or ""
        slugs = [slug.strip()[:SLUG_MAX] for slug in raw.split(",") if slug.strip()]
        if not slugs:
            raise DomainError(
                "Name at least one product.", code=LikeError.PRODUCT_REQUIRED, field="products"
            )
        if len(slugs) > PROOF_MAX_PRODUCTS:
            raise DomainError(
                f"Name at most {PROOF_MAX_PRODUCTS} products.",
                code=LikeError.PRODUCT_REQUIRED,
                field="products",
            )
        ids = selectors.product_ids_by_slugs(slugs=slugs)
        return Response(SocialProofOutputSerializer(_proofs(request.user, ids), many=True).data)
