"""/api/v1/questions (a product's questions, searchable, by page; ask one),
/api/v1/questions/<id>/answers (list; answer) and /api/v1/answers/<id>/votes (vote an answer
helpful or not). Thin: parse, call one service or selector, answer.

Reading is open to everyone; asking, answering and voting need a signed-in person. Business
rules answer 400 naming the field (`product`, `text`, `helpful`) or, for who may answer and
vote, `non_field_errors` (`may_not_answer`, `own_answer`); the daily limit on questions
answers 429.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.questions import selectors, services
from reviews.questions.errors import QuestionError
from reviews.questions.models import Answer
from shop.core.api import ErrorResponseSerializer
from shop.core.errors import DomainError
from shop.core.pagination import page_number_parse
from shop.core.validators import TextCharactersValidator

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
AUTH_RESPONSES = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}
INVALID = OpenApiResponse(
    ErrorResponseSerializer,
    description="A field is invalid or a rule refused it (`product_not_found`, "
    "`text_required`, `too_long`, `may_not_answer`, `own_answer`, `invalid_vote`), keyed by "
    "the field's name.",
)
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such question or answer.")
RATE_LIMITED = OpenApiResponse(
    ErrorResponseSerializer,
    description="Too many questions in 24 hours (`rate_limited`); Retry-After says when to ask.",
)
QUESTION_ID = OpenApiParameter("question_id", OpenApiTypes.INT, OpenApiParameter.PATH)
ANSWER_ID = OpenApiParameter("answer_id", OpenApiTypes.INT, OpenApiParameter.PATH)


def _viewer(request):
    return request.user if request.user.is_authenticated else None


# --- output -----------------------------------------------------------------------------------


AUTHOR_HELP = (
    'The author\'s name if you may see their profile, else "A shopper" (a question) or '
    '"A buyer" (an answer); a merchant\'s answer is named after the merchant.'
)


class QuestionAnswerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author_name", help_text=AUTHOR_HELP)
    role = serializers.ChoiceField(
        choices=Answer.Role.choices, help_text="`merchant` (the seller) or `buyer` (verified)."
    )
    role_label = serializers.CharField(source="get_role_display")
    text = serializers.CharField()
    helpful_count = serializers.IntegerField()
    your_vote = serializers.SerializerMethodField(
        help_text="Your vote: true (helpful), false (not helpful), null (none, or signed out)."
    )
    created_at = serializers.DateTimeField()

    def get_your_vote(self, answer) -> bool | None:
        return getattr(answer, "viewer_vote", None)


class QuestionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author_name", help_text=AUTHOR_HELP)
    text = serializers.CharField()
    answer_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    answers = QuestionAnswerOutputSerializer(
        many=True, source="answers.all", help_text="Best first (most helpful, then oldest)."
    )


class QuestionPageOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Questions matching `q`.")
    total = serializers.IntegerField(help_text="All the product's questions.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    may_answer = serializers.BooleanField(help_text="You may answer (seller or buyer).")
    results = QuestionOutputSerializer(many=True)


# --- input ------------------------------------------------------------------------------------


class QuestionCreateInputSerializer(serializers.Serializer):
    product = serializers.SlugField(max_length=220, help_text="The product's slug.")
    text = serializers.CharField(
        max_length=services.QUESTION_MAX_LENGTH, validators=[TextCharactersValidator()]
    )


class AnswerCreateInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=services.ANSWER_MAX_LENGTH, validators=[TextCharactersValidator()]
    )


class AnswerVoteInputSerializer(serializers.Serializer):
    helpful = serializers.BooleanField(help_text="true: helpful; false: not helpful.")


def _product(slug: str):
    from django.http import Http404

    try:
        return selectors.question_product_get(slug=slug)
    except Http404:
        raise DomainError(
            "There is no such product.", code=QuestionError.PRODUCT_NOT_FOUND, field="product"
        ) from None


# --- views ------------------------------------------------------------------------------------


@extend_schema(tags=["reviews"])
class QuestionsApi(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="questions_list",
        summary="A product's questions with their answers",
        description="Answered questions first, then the newest; each question's answers best "
        "first. `q` keeps the questions whose text or an answer holds it.",
        parameters=[
            OpenApiParameter("product", OpenApiTypes.STR, required=True, description="Slug."),
            OpenApiParameter("q", OpenApiTypes.STR, required=False),
            OpenApiParameter("page", OpenApiTypes.INT, required=False),
        ],
        responses={200: QuestionPageOutputSerializer, 400: INVALID},
    )
    def get(self, request):
        slug = (request.query_params.get("product") or "").strip()
        if not slug:
            raise DomainError(
                "Say which product (its slug).",
                code=QuestionError.PRODUCT_NOT_FOUND,
                field="product",
            )
        product = _product(slug)
        found = selectors.question_page(
            product=product,
            viewer=_viewer(request),
            q=request.query_params.get("q") or "",
            number=page_number_parse(request.query_params.get("page")),
        )
        return Response(
            QuestionPageOutputSerializer(
                {
                    "count": found.page.paginator.count,
                    "total": found.total,
                    "page": found.page.number,
                    "pages": found.page.paginator.num_pages,
                    "may_answer": found.may_answer,
                    "results": found.questions,
                }
            ).data
        )

    @extend_schema(
        operation_id="questions_create",
        summary="Ask a question about a product",
        request=QuestionCreateInputSerializer,
        responses={
            201: QuestionOutputSerializer,
            400: INVALID,
            429: RATE_LIMITED,
            **AUTH_RESPONSES,
        },
    )
    def post(self, request):
        data = QuestionCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_ask(
            author=request.user,
            product=_product(data.validated_data["product"]),
            text=data.validated_data["text"],
        )
        question = selectors.question_get(question_id=question.pk)
        selectors.names_apply(
            viewer=request.user, merchant_name=question.product.merchant.name, questions=[question]
        )
        return Response(QuestionOutputSerializer(question).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["reviews"], parameters=[QUESTION_ID])
class QuestionAnswersApi(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="questions_answers_list",
        summary="A question's answers, best first",
        responses={200: QuestionAnswerOutputSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, question_id: int):
        question = selectors.question_get(question_id=question_id)
        answers = list(selectors.answer_list(question=question, viewer=_viewer(request)))
        selectors.names_apply(
            viewer=_viewer(request), merchant_name=question.product.merchant.name, answers=answers
        )
        return Response(QuestionAnswerOutputSerializer(answers, many=True).data)

    @extend_schema(
        operation_id="questions_answers_create",
        summary="Answer a question (the seller's staff, or a buyer of the product)",
        request=AnswerCreateInputSerializer,
        responses={
            201: QuestionAnswerOutputSerializer,
            400: INVALID,
            404: NOT_FOUND,
            **AUTH_RESPONSES,
        },
    )
    def post(self, request, question_id: int):
        question = selectors.question_get(question_id=question_id)
        data = AnswerCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.answer_create(
            question=question, author=request.user, text=data.validated_data["text"]
        )
        selectors.names_apply(
            viewer=request.user, merchant_name=question.product.merchant.name, answers=[answer]
        )
        return Response(QuestionAnswerOutputSerializer(answer).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["reviews"], parameters=[ANSWER_ID])
class AnswerVotesApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="answers_votes_create",
        summary="Vote an answer helpful or not (again to change your vote)",
        request=AnswerVoteInputSerializer,
        responses={
            200: QuestionAnswerOutputSerializer,
            400: INVALID,
            404: NOT_FOUND,
            **AUTH_RESPONSES,
        },
    )
    def post(self, request, answer_id: int):
        answer = selectors.answer_get(answer_id=answer_id)
        data = AnswerVoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vote = services.answer_vote(
            answer=answer, voter=request.user, helpful=data.validated_data["helpful"]
        )
        answer = selectors.answer_get(answer_id=answer.pk)
        answer.viewer_vote = vote.helpful
        selectors.names_apply(
            viewer=request.user,
            merchant_name=answer.question.product.merchant.name,
            answers=[answer],
        )
        return Response(QuestionAnswerOutputSerializer(answer).data)
