"""/api/v1/asks (list: mine and those asked of me, by cursor; create), /api/v1/asks/<id>
(detail; DELETE withdraws), /api/v1/asks/<id>/close (POST withdraws) and
/api/v1/asks/<id>/answers (POST a friend's answer). Thin: parse, call one service or
selector, answer.

An ask is found only by its asker and the friends it was put to (404 for anyone else,
existence included). The asker reads the tally and every answer; a friend asked reads the
ask and their own answer (`answers` holds only theirs; `yes_count`/`no_count` are null).
Business rules answer 400 naming the field (`product`, `friends`, `note`, `answer`,
`comment`).
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.catalog.selectors import product_list_by_ids
from shop.core.api import ErrorResponseSerializer
from shop.core.cursors import cursor_parse
from shop.core.errors import DomainError
from shop.core.validators import TextCharactersValidator, id_is_valid
from social.graph.selectors import person_get_for_actor
from social.likes import ask_selectors as selectors
from social.likes import ask_services as services
from social.likes.ask_services import AskError

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
AUTH_RESPONSES = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}
INVALID = OpenApiResponse(
    ErrorResponseSerializer,
    description="A field is invalid or a rule refused it (`product_not_found`, "
    "`no_friends_chosen`, `not_a_friend`, `already_asked`, `too_long`, `invalid_answer`, "
    "`not_asked`, `closed`, `not_yours`), keyed by the field's name.",
)
NOT_FOUND = OpenApiResponse(
    ErrorResponseSerializer, description="No such question (or not yours to see)."
)
ASK_ID = OpenApiParameter("ask_id", OpenApiTypes.INT, OpenApiParameter.PATH)


# --- output -----------------------------------------------------------------------------------


class AskPersonOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="public_name")


class AskProductOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")


class AskAnswerOutputSerializer(serializers.Serializer):
    friend = AskPersonOutputSerializer()
    answer = serializers.SerializerMethodField()
    comment = serializers.CharField()
    answered_at = serializers.DateTimeField(source="updated_at")

    def get_answer(self, answer) -> str:
        return "yes" if answer.yes else "no"


class AskOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="ask.pk")
    asker = AskPersonOutputSerializer(source="ask.asker")
    product = AskProductOutputSerializer(source="ask.product")
    note = serializers.CharField(source="ask.note")
    mine = serializers.BooleanField(source="is_asker", help_text="You asked it.")
    open = serializers.BooleanField(source="is_open")
    closed_reason = serializers.SerializerMethodField(
        help_text="`bought`, `withdrawn`, `expired`, or empty while open."
    )
    created_at = serializers.DateTimeField(source="ask.created_at")
    closes_at = serializers.DateTimeField(source="ask.closes_at")
    yes_count = serializers.SerializerMethodField(help_text="The asker's only; null otherwise.")
    no_count = serializers.SerializerMethodField(help_text="The asker's only; null otherwise.")
    answers = AskAnswerOutputSerializer(
        many=True, help_text="The asker: every friend's answer; a friend asked: their own."
    )

    def get_closed_reason(self, view) -> str:
        if view.ask.closed_at is None and not view.is_open:
            return "expired"
        return view.ask.closed_reason

    def get_yes_count(self, view) -> int | None:
        return view.ask.yes_count if view.is_asker else None

    def get_no_count(self, view) -> int | None:
        return view.ask.no_count if view.is_asker else None


class AskDetailOutputSerializer(AskOutputSerializer):
    asked = AskPersonOutputSerializer(
        many=True, source="recipients", help_text="The friends asked (the asker's only)."
    )


class AskPageOutputSerializer(serializers.Serializer):
    results = AskOutputSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


# --- input ------------------------------------------------------------------------------------


class AskCreateInputSerializer(serializers.Serializer):
    product = serializers.IntegerField(help_text="The product's id.")
    friends = serializers.ListField(
        child=serializers.CharField(max_length=150, validators=[TextCharactersValidator()]),
        required=False,
        default=list,
        max_length=services.FRIENDS_MAX,
        help_text="Usernames of friends to ask (or all_friends).",
    )
    all_friends = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=services.NOTE_MAX_LENGTH,
        validators=[TextCharactersValidator()],
    )


class AskAnswerInputSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["yes", "no"])
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=services.COMMENT_MAX_LENGTH,
        validators=[TextCharactersValidator()],
    )


def _friends(request, usernames: list[str]) -> list:
    people = []
    for username in dict.fromkeys(usernames):
        try:
            people.append(person_get_for_actor(viewer=request.user, username=username))
        except Http404:
            raise DomainError(
                f"There is no one called {username[:150]} among your friends.",
                code=AskError.NOT_A_FRIEND,
                field="friends",
            ) from None
    return people


# --- views ------------------------------------------------------------------------------------


@extend_schema(tags=["social"])
class AsksApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="asks_list",
        summary="Your questions and those your friends asked you",
        description="Newest first. Pass `next_cursor` back as `cursor` for the next page; "
        "a cursor that is not one of ours answers 400 `invalid_cursor`.",
        parameters=[OpenApiParameter("cursor", OpenApiTypes.STR, required=False)],
        responses={200: AskPageOutputSerializer, 400: INVALID, **AUTH_RESPONSES},
    )
    def get(self, request):
        views, next_cursor = selectors.ask_list_for_viewer(
            viewer=request.user, cursor=cursor_parse(request.query_params.get("cursor"))
        )
        return Response(
            AskPageOutputSerializer({"results": views, "next_cursor": next_cursor}).data
        )

    @extend_schema(
        operation_id="asks_create",
        summary="Ask friends \u201cShould I buy this?\u201d",
        description="Asks the friends named in `friends` (usernames), or every friend with "
        "`all_friends`. When you already have an open question about the product, the friends "
        "not yet asked are added to it (200); if all of them were asked, 400 `already_asked`.",
        request=AskCreateInputSerializer,
        responses={
            201: AskDetailOutputSerializer,
            200: AskDetailOutputSerializer,
            400: INVALID,
            **AUTH_RESPONSES,
        },
    )
    def post(self, request):
        data = AskCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product_id = data.validated_data["product"]
        product = (
            product_list_by_ids(product_ids=[product_id]).get(product_id)
            if id_is_valid(product_id)
            else None
        )
        if product is None:
            raise DomainError(
                "There is no such product.", code=AskError.PRODUCT_NOT_FOUND, field="product"
            )
        put = services.ask_create(
            asker=request.user,
            product=product,
            friends=_friends(request, data.validated_data["friends"]),
            all_friends=data.validated_data["all_friends"],
            note=data.validated_data["note"],
        )
        view = selectors.ask_get_for_viewer(
            viewer=request.user, ask_id=put.ask.pk, with_recipients=True
        )
        return Response(
            AskDetailOutputSerializer(view).data,
            status=status.HTTP_201_CREATED if put.created else status.HTTP_200_OK,
        )


@extend_schema(tags=["social"], parameters=[ASK_ID])
class AskDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="asks_retrieve",
        summary="A question: the tally and answers (asker), or your own answer (friend asked)",
        responses={200: AskDetailOutputSerializer, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def get(self, request, ask_id: int):
        view = selectors.ask_get_for_viewer(
            viewer=request.user, ask_id=ask_id, with_recipients=True
        )
        return Response(AskDetailOutputSerializer(view).data)

    @extend_schema(
        operation_id="asks_withdraw",
        summary="Withdraw your question",
        responses={204: None, 400: INVALID, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def delete(self, request, ask_id: int):
        ask = selectors.ask_for_answering(viewer=request.user, ask_id=ask_id)
        services.ask_close(ask=ask, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["social"], parameters=[ASK_ID])
class AskCloseApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="asks_close",
        summary="Withdraw your question (the same as DELETE /asks/<id>)",
        request=None,
        responses={200: AskDetailOutputSerializer, 400: INVALID, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def post(self, request, ask_id: int):
        ask = selectors.ask_for_answering(viewer=request.user, ask_id=ask_id)
        services.ask_close(ask=ask, user=request.user)
        view = selectors.ask_get_for_viewer(
            viewer=request.user, ask_id=ask.pk, with_recipients=True
        )
        return Response(AskDetailOutputSerializer(view).data)


@extend_schema(tags=["social"], parameters=[ASK_ID])
class AskAnswersApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="asks_answer",
        summary="Answer a friend's question (again to change your answer)",
        request=AskAnswerInputSerializer,
        responses={200: AskOutputSerializer, 400: INVALID, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def post(self, request, ask_id: int):
        ask = selectors.ask_for_answering(viewer=request.user, ask_id=ask_id)
        data = AskAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.ask_answer(
            ask=ask,
            friend=request.user,
            yes=data.validated_data["answer"] == "yes",
            comment=data.validated_data["comment"],
        )
        view = selectors.ask_get_for_viewer(viewer=request.user, ask_id=ask.pk)
        return Response(AskOutputSerializer(view).data)
