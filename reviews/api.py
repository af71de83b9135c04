"""/api/v1/reviews (a product's reviews with the page's filters; write one, with photos as
multipart), /api/v1/reviews/<id> (read, edit, delete mine), /api/v1/reviews/<id>/votes,
/api/v1/reviews/<id>/reports and /api/v1/reviews/<id>/reply (merchant staff). Thin: the
selectors and services decide; a DomainError is a 400 naming the field, a review that is not
there (or not yours to change) a 404."""

from contextlib import contextmanager

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import moderation, selectors, services
from reviews.errors import ReviewError
from reviews.models import FEED_CHOICES, PHOTOS_MAX, Review, ReviewReport
from shop.catalog.selectors import product_brief_get
from shop.core.api import ErrorResponseSerializer, VerifiedImageUploadField
from shop.core.errors import DomainError
from shop.core.pagination import page_number_parse, paginate

INVALID = OpenApiResponse(ErrorResponseSerializer, description="Invalid input (see `errors`).")
NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such review.")
AUTH = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}


@contextmanager
def _not_found_as_404():
    """A review the service did not find (NOT_FOUND) answers 404; other refusals stay 400s."""
    try:
        yield
    except DomainError as exc:
        if exc.code == ReviewError.NOT_FOUND:
            raise Http404("No such review.") from None
        raise


def _review_id(raw) -> int:
    if not 0 < int(raw) < 2**31:
        raise Http404("No such review.")
    return int(raw)


class ReviewPhotoOutputSerializer(serializers.Serializer):
    url = serializers.ImageField(source="image", use_url=True)
    thumbnail_url = serializers.ImageField(source="thumbnail", allow_null=True, use_url=True)


class ReviewReplyOutputSerializer(serializers.Serializer):
    merchant = serializers.CharField(source="merchant.name")
    body = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ReviewOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.CharField(source="product.slug")
    rating = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    author = serializers.SerializerMethodField(
        help_text='"Your friend Ana", "Ana", or "A verified buyer" when they hide their name.'
    )
    is_friend = serializers.BooleanField(help_text="By a friend of yours (shown first).")
    verified_purchase = serializers.BooleanField()
    photos = ReviewPhotoOutputSerializer(many=True)
    helpful_count = serializers.IntegerField()
    unhelpful_count = serializers.IntegerField()
    your_vote = serializers.BooleanField(
        source="viewer_vote", allow_null=True, help_text="true helpful, false not, null none."
    )
    reply = serializers.SerializerMethodField()
    edited = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_author(self, review) -> str:
        return selectors.review_author_label(review)

    def get_edited(self, review) -> bool:
        return review.edit_count > 0

    @staticmethod
    def _reply(review):
        try:
            return review.reply
        except Review.reply.RelatedObjectDoesNotExist:
            return None

    @extend_schema_field(ReviewReplyOutputSerializer(allow_null=True))
    def get_reply(self, review) -> dict | None:
        reply = self._reply(review)
        return ReviewReplyOutputSerializer(reply).data if reply else None


class ReviewPageOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = ReviewOutputSerializer(many=True)


class ReviewCreateInputSerializer(serializers.Serializer):
    product = serializers.CharField(max_length=220, help_text="The product's slug.")
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=5000)
    feed_visibility = serializers.ChoiceField(choices=FEED_CHOICES, default="friends")
    photos = serializers.ListField(
        child=VerifiedImageUploadField(profile=services.REVIEW_PHOTO),
        required=False,
        max_length=PHOTOS_MAX,
        help_text=f"Up to {PHOTOS_MAX} images (multipart).",
    )


class ReviewUpdateInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=5000)
    feed_visibility = serializers.ChoiceField(choices=FEED_CHOICES, default="friends")
    photos = serializers.ListField(
        child=VerifiedImageUploadField(profile=services.REVIEW_PHOTO),
        required=False,
        max_length=PHOTOS_MAX,
        help_text="Photos to add (multipart).",
    )
    photos_remove = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="Photo ids."
    )


class ReviewVoteInputSerializer(serializers.Serializer):
    helpful = serializers.BooleanField()


class ReviewVoteOutputSerializer(serializers.Serializer):
    helpful = serializers.BooleanField()
    helpful_count = serializers.IntegerField()
    unhelpful_count = serializers.IntegerField()


class ReviewReportInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReviewReport.Reason.choices)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ReviewReportOutputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReviewReplyInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=3000)


def _one(review_id: int, viewer) -> Review:
    """The review as the list shows it (its annotations), for VIEWER."""
    review = selectors.review_get_for_viewer(review_id=review_id, viewer=viewer)
    found = (
        selectors.reviews_for_product(
            product_id=review.product_id, viewer=viewer, filters=selectors.ReviewFilters()
        )
        .filter(pk=review.pk)
        .select_related("product")
        .first()
    )
    if found is None:
        raise Http404("No such review.")
    return found


def _product(slug: str):
    """The published product SLUG names; a DomainError on `product` (400) when none does."""
    try:
        return product_brief_get(slug=slug)
    except Http404:
        raise DomainError(
            "There is no product with this name.",
            code=ReviewError.PRODUCT_NOT_AVAILABLE,
            field="product",
        ) from None


LIST_PARAMETERS = [
    OpenApiParameter("product", OpenApiTypes.STR, required=True, description="Product slug."),
    OpenApiParameter("stars", OpenApiTypes.INT, description="1 to 5."),
    OpenApiParameter("photos", OpenApiTypes.BOOL, description="Only reviews with photos."),
    OpenApiParameter("verified", OpenApiTypes.BOOL, description="Only verified purchases."),
    OpenApiParameter(
        "sort", OpenApiTypes.STR, enum=list(selectors.SORTS), description="helpful by default."
    ),
    OpenApiParameter("page", OpenApiTypes.INT),
]


@extend_schema(tags=["reviews"])
class ReviewListApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        operation_id="reviews_list",
        summary="A product's reviews",
        description="Visible reviews, your friends' first when signed in, 10 per page.",
        parameters=LIST_PARAMETERS,
        responses={200: ReviewPageOutputSerializer, 400: INVALID},
    )
    def get(self, request):
        slug = (request.query_params.get("product") or "").strip()
        if not slug or len(slug) > 220:
            raise DomainError("Name the product.", code="product_required", field="product")
        product = _product(slug)
        viewer = request.user if request.user.is_authenticated else None
        filters = selectors.ReviewFilters.from_params(request.query_params)
        reviews = selectors.reviews_for_product(
            product_id=product.pk, viewer=viewer, filters=filters
        ).select_related("product")
        page = paginate(
            reviews,
            number=page_number_parse(request.query_params.get("page")),
            size=selectors.PAGE_SIZE,
        )
        data = {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": list(page.object_list),
        }
        return Response(ReviewPageOutputSerializer(data).data)

    @extend_schema(
        operation_id="reviews_create",
        summary="Review a product",
        description="One review per person and product (`already_reviewed`); photos as "
        "multipart `photos` fields.",
        request={"multipart/form-data": ReviewCreateInputSerializer},
        responses={201: ReviewOutputSerializer, 400: INVALID, **AUTH},
    )
    def post(self, request):
        serializer = ReviewCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        product = _product(data["product"])
        review = services.review_create(
            author=request.user,
            product_id=product.pk,
            data=services.ReviewInput(
                rating=data["rating"],
                title=data["title"],
                body=data["body"],
                feed_visibility=data["feed_visibility"],
            ),
            photos=data.get("photos") or [],
        )
        return Response(
            ReviewOutputSerializer(
                _one(review.pk, request.user), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


REVIEW_ID = [OpenApiParameter("review_id", OpenApiTypes.INT, OpenApiParameter.PATH)]


@extend_schema(tags=["reviews"], parameters=REVIEW_ID)
class ReviewDetailApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        operation_id="reviews_retrieve",
        summary="A review",
        responses={200: ReviewOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request, review_id):
        viewer = request.user if request.user.is_authenticated else None
        with _not_found_as_404():
            review = _one(_review_id(review_id), viewer)
        return Response(ReviewOutputSerializer(review, context={"request": request}).data)

    @extend_schema(
        operation_id="reviews_update",
        summary="Edit my review",
        description="The earlier version is kept for the operators.",
        request={"multipart/form-data": ReviewUpdateInputSerializer},
        responses={200: ReviewOutputSerializer, 400: INVALID, 404: NOT_FOUND, **AUTH},
    )
    def put(self, request, review_id):
        serializer = ReviewUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with _not_found_as_404():
            review = services.review_update(
                author=request.user,
                review_id=_review_id(review_id),
                data=services.ReviewInput(
                    rating=data["rating"],
                    title=data["title"],
                    body=data["body"],
                    feed_visibility=data["feed_visibility"],
                ),
                photos_add=data.get("photos") or [],
                photos_remove=data.get("photos_remove") or [],
            )
        if review.is_hidden:
            raise Http404("No such review.")
        return Response(
            ReviewOutputSerializer(_one(review.pk, request.user), context={"request": request}).data
        )

    @extend_schema(
        operation_id="reviews_destroy",
        summary="Delete my review",
        request=None,
        responses={204: None, 404: NOT_FOUND, **AUTH},
    )
    def delete(self, request, review_id):
        with _not_found_as_404():
            services.review_delete(author=request.user, review_id=_review_id(review_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["reviews"], parameters=REVIEW_ID)
class ReviewVoteApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="reviews_votes_create",
        summary="Vote a review helpful or not",
        description="One vote per person (voting again changes it); not on your own review "
        "(`own_review`).",
        request=ReviewVoteInputSerializer,
        responses={200: ReviewVoteOutputSerializer, 400: INVALID, 404: NOT_FOUND, **AUTH},
    )
    def post(self, request, review_id):
        serializer = ReviewVoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        helpful = serializer.validated_data["helpful"]
        with _not_found_as_404():
            services.review_vote(
                voter=request.user, review_id=_review_id(review_id), helpful=helpful
            )
        review = Review.objects.get(pk=review_id)
        return Response(
            ReviewVoteOutputSerializer(
                {
                    "helpful": helpful,
                    "helpful_count": review.helpful_count,
                    "unhelpful_count": review.unhelpful_count,
                }
            ).data
        )

    @extend_schema(
        operation_id="reviews_votes_destroy",
        summary="Take my vote back",
        request=None,
        responses={204: None, **AUTH},
    )
    def delete(self, request, review_id):
        services.review_vote_delete(voter=request.user, review_id=_review_id(review_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["reviews"], parameters=REVIEW_ID)
class ReviewReportApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="reviews_reports_create",
        summary="Report a review to the moderators",
        request=ReviewReportInputSerializer,
        responses={201: ReviewReportOutputSerializer, 400: INVALID, 404: NOT_FOUND, **AUTH},
    )
    def post(self, request, review_id):
        serializer = ReviewReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with _not_found_as_404():
            report = services.review_report(
                reporter=request.user,
                review_id=_review_id(review_id),
                reason=serializer.validated_data["reason"],
                note=serializer.validated_data["note"],
            )
        return Response(ReviewReportOutputSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["reviews"], parameters=REVIEW_ID)
class ReviewReplyApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="reviews_reply_update",
        summary="Write or edit the merchant's reply",
        description="Merchant staff of the product's merchant, or operators "
        "(`not_your_merchant` otherwise). One reply per review.",
        request=ReviewReplyInputSerializer,
        responses={200: ReviewReplyOutputSerializer, 400: INVALID, 404: NOT_FOUND, **AUTH},
    )
    def put(self, request, review_id):
        serializer = ReviewReplyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with _not_found_as_404():
            reply = moderation.review_reply_save(
                review_id=_review_id(review_id),
                by=request.user,
                body=serializer.validated_data["body"],
            )
        return Response(ReviewReplyOutputSerializer(reply).data)

    @extend_schema(
        operation_id="reviews_reply_destroy",
        summary="Remove the merchant's reply",
        request=None,
        responses={204: None, 400: INVALID, 404: NOT_FOUND, **AUTH},
    )
    def delete(self, request, review_id):
        with _not_found_as_404():
            moderation.review_reply_delete(review_id=_review_id(review_id), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
