"""/api/v1/ friends, friend-requests, follows, blocks and settings/privacy (people:
people_api.py; invites: invite_api.py).

Thin: parse, look the person up, call one service or selector, answer. People are named by
their username (any case); a person who has blocked you is answered exactly like a username
that does not exist. Business rules answer 400 naming the field (`to`, `person`,
`merchant`, `email`, `message`); the daily limits on requests and invitations answer 429.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.catalog.selectors import merchant_get
from shop.core.api import ErrorResponseSerializer, StandardPagination
from shop.core.errors import DomainError
from shop.core.validators import TextCharactersValidator, id_is_valid
from shop.core.visibility import Visibility
from social.graph import selectors, services
from social.graph.errors import GraphError
from social.graph.models import (
    PROFILE_CHOICES,
    SHARING_CHOICES,
    FriendRequest,
    PrivacySettings,
)

USERNAME_MAX_LENGTH = 150

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
INVALID = OpenApiResponse(
    ErrorResponseSerializer,
    description="A field is invalid or a rule refused the request (e.g. `person_not_found`, "
    "`self_not_allowed`, `person_blocked`, `already_friends`, `already_requested`); the "
    "errors are keyed by the field's name.",
)
RATE_LIMITED = OpenApiResponse(
    ErrorResponseSerializer,
    description="Too many in the last 24 hours (`rate_limited`); Retry-After says when to "
    "try again.",
)
PAGE_ERRORS = {
    400: OpenApiResponse(
        ErrorResponseSerializer, description="`page` or `page_size` is not a valid number."
    ),
    404: OpenApiResponse(ErrorResponseSerializer, description="Past the last page."),
}
PERSON_NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such person.")
AUTH_RESPONSES = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}

USERNAME_PARAMETER = OpenApiParameter(
    "username", OpenApiTypes.STR, OpenApiParameter.PATH, description="A username (any case)."
)


def _person_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=USERNAME_MAX_LENGTH, validators=[TextCharactersValidator()], **kwargs
    )


def _person_for_input(request, username: str, *, field: str):
    """The person called USERNAME for the request's user to act on, or DomainError
    PERSON_NOT_FOUND on FIELD (unknown, or they blocked the asker: the same answer)."""
    try:
        return selectors.person_get_for_actor(viewer=request.user, username=username)
    except Http404:
        raise DomainError(
            "There is no one with this username.", code=GraphError.PERSON_NOT_FOUND, field=field
        ) from None


def paginated(view, request, queryset, serializer_class):
    paginator = StandardPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer_class(page, many=True, context={"request": request}).data
    return paginator.get_paginated_response(data)


def _id_from_path(raw: str, *, missing: str) -> int:
    if not raw.isascii() or not raw.isdigit() or not id_is_valid(int(raw)):
        raise Http404(missing)
    return int(raw)


# --- output -----------------------------------------------------------------------------------


class PersonBriefOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="public_name", help_text="Display name, or username.")
    avatar_thumbnail = serializers.ImageField(
        source="avatar_thumb", allow_null=True, help_text="URL of a small avatar, or null."
    )


class FriendOutputSerializer(serializers.Serializer):
    person = PersonBriefOutputSerializer(source="friend")
    since = serializers.DateTimeField(source="created_at")


class FriendRequestOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = PersonBriefOutputSerializer(source="from_user")
    recipient = PersonBriefOutputSerializer(source="to_user")
    message = serializers.CharField()
    status = serializers.ChoiceField(choices=FriendRequest.Status.choices)
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class MerchantBriefOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class FollowOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = PersonBriefOutputSerializer(allow_null=True)
    merchant = MerchantBriefOutputSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class BlockOutputSerializer(serializers.Serializer):
    person = PersonBriefOutputSerializer(source="blocked")
    created_at = serializers.DateTimeField()


class PrivacySettingsSerializer(serializers.Serializer):
    """Both what GET answers and what PUT takes (a setting left out keeps its value)."""

    profile = serializers.ChoiceField(
        choices=PROFILE_CHOICES,
        required=False,
        help_text="Who sees your whole profile (others see your name and avatar).",
    )
    friends_list = serializers.ChoiceField(
        choices=SHARING_CHOICES, required=False, help_text="Who sees your friends."
    )
    purchases = serializers.ChoiceField(
        choices=SHARING_CHOICES,
        required=False,
        help_text="Who sees what you buy. Private unless you choose to share.",
    )
    likes = serializers.ChoiceField(
        choices=SHARING_CHOICES, required=False, help_text="Who sees what you like."
    )
    wishlists = serializers.ChoiceField(
        choices=Visibility.choices,
        required=False,
        help_text="Who sees a new wishlist (each wishlist can change its own).",
    )
    reviews_show_name = serializers.BooleanField(
        required=False, help_text='Your name on your reviews; off: "a verified buyer".'
    )
    discoverable = serializers.BooleanField(
        required=False, help_text="People find you by name; off: by exact username only."
    )
    personalised = serializers.BooleanField(
        required=False,
        help_text="Your home page and recommendations are built for you; off: everyone's.",
    )


# --- friends ----------------------------------------------------------------------------------


@extend_schema(tags=["social"])
class FriendListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="friends_list",
        summary="List your friends",
        description="Newest friendship first, 24 per page.",
        responses={200: FriendOutputSerializer(many=True), **PAGE_ERRORS, **AUTH_RESPONSES},
    )
    def get(self, request):
        friendships = selectors.friendship_list(user=request.user)
        return paginated(self, request, friendships, FriendOutputSerializer)


@extend_schema(tags=["social"])
class FriendDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="friends_destroy",
        summary="Unfriend someone",
        description="Ends the friendship both ways. `not_friends` if you were not friends.",
        parameters=[USERNAME_PARAMETER],
        request=None,
        responses={204: None, 400: INVALID, 404: PERSON_NOT_FOUND, **AUTH_RESPONSES},
    )
    def delete(self, request, username: str):
        friend = selectors.person_get_for_actor(viewer=request.user, username=username)
        services.friendship_delete(user=request.user, friend=friend)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- friend requests --------------------------------------------------------------------------


class FriendRequestCreateInputSerializer(serializers.Serializer):
    to = _person_field(help_text="The username of the person you ask.")
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=FriendRequest.MESSAGE_MAX_LENGTH,
        validators=[TextCharactersValidator()],
        help_text="An optional short note shown with the request.",
    )


DIRECTION_PARAMETER = OpenApiParameter(
    "direction",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    enum=["received", "sent"],
    description="`received` (default): waiting for your answer; `sent`: yours, waiting for theirs.",
)
REQUEST_ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The friend request's id."
)
REQUEST_NOT_FOUND = OpenApiResponse(
    ErrorResponseSerializer, description="No such friend request of yours."
)


@extend_schema(tags=["social"])
class FriendRequestApi(viewsets.ViewSet):
    """Friend requests you received or sent: ask, accept, decline, cancel."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = StandardPagination
    lookup_value_regex = "[^/]+"

    @extend_schema(
        operation_id="friend_requests_list",
        summary="List pending friend requests",
        parameters=[DIRECTION_PARAMETER],
        responses={
            200: FriendRequestOutputSerializer(many=True),
            **PAGE_ERRORS,
            400: INVALID,
            **AUTH_RESPONSES,
        },
    )
    def list(self, request):
        direction = request.query_params.get("direction") or "received"
        if direction == "received":
            requests = selectors.friend_request_list_received(user=request.user)
        elif direction == "sent":
            requests = selectors.friend_request_list_sent(user=request.user)
        else:
            raise DomainError("Choose received or sent.", code="invalid", field="direction")
        return paginated(self, request, requests, FriendRequestOutputSerializer)

    @extend_schema(
        operation_id="friend_requests_create",
        summary="Ask someone to be friends",
        description="201 with the new request. If they had already asked you, their request "
        "is accepted instead: 200 with it, `status` `accepted`.",
        request=FriendRequestCreateInputSerializer,
        responses={
            200: FriendRequestOutputSerializer,
            201: FriendRequestOutputSerializer,
            400: INVALID,
            429: RATE_LIMITED,
            **AUTH_RESPONSES,
        },
    )
    def create(self, request):
        serializer = FriendRequestCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        to = _person_for_input(request, data["to"], field="to")
        friend_request = services.friend_request_send(
            sender=request.user, to=to, message=data["message"]
        )
        created = friend_request.status == FriendRequest.Status.PENDING
        return Response(
            FriendRequestOutputSerializer(friend_request, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def _answer(self, request, pk: str, answer):
        friend_request = selectors.friend_request_get_for_user(
            user=request.user, request_id=_id_from_path(pk, missing="No such friend request.")
        )
        friend_request = answer(friend_request=friend_request, user=request.user)
        return Response(
            FriendRequestOutputSerializer(friend_request, context={"request": request}).data
        )

    _answer_schema = {
        "parameters": [REQUEST_ID_PARAMETER],
        "request": None,
        "responses": {
            200: FriendRequestOutputSerializer,
            400: INVALID,
            404: REQUEST_NOT_FOUND,
            **AUTH_RESPONSES,
        },
    }

    @extend_schema(
        operation_id="friend_requests_accept",
        summary="Accept a friend request sent to you",
        description="You become friends. `request_not_pending` if it was answered or "
        "withdrawn; `not_yours` if you sent it.",
        **_answer_schema,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk: str):
        return self._answer(request, pk, services.friend_request_accept)

    @extend_schema(
        operation_id="friend_requests_decline",
        summary="Decline a friend request sent to you",
        description="The sender is not told.",
        **_answer_schema,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk: str):
        return self._answer(request, pk, services.friend_request_decline)

    @extend_schema(
        operation_id="friend_requests_cancel",
        summary="Withdraw a friend request you sent",
        **_answer_schema,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk: str):
        return self._answer(request, pk, services.friend_request_cancel)


# --- follows ----------------------------------------------------------------------------------


class FollowCreateInputSerializer(serializers.Serializer):
    person = _person_field(
        required=False, help_text="The username of a person whose profile is public."
    )
    merchant = serializers.SlugField(required=False, max_length=140, help_text="A merchant's slug.")

    def validate(self, attrs):
        if ("person" in attrs) == ("merchant" in attrs):
            raise serializers.ValidationError(
                "Name either a person or a merchant to follow.", code="invalid"
            )
        return attrs


FOLLOW_ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The follow's id."
)


@extend_schema(tags=["social"])
class FollowApi(viewsets.ViewSet):
    """Whom you follow: people with a public profile, and merchants."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = StandardPagination
    lookup_value_regex = "[^/]+"

    @extend_schema(
        operation_id="follows_list",
        summary="List whom you follow",
        responses={200: FollowOutputSerializer(many=True), **PAGE_ERRORS, **AUTH_RESPONSES},
    )
    def list(self, request):
        return paginated(
            self, request, selectors.follow_list(user=request.user), FollowOutputSerializer
        )

    @extend_schema(
        operation_id="follows_create",
        summary="Follow a person or a merchant",
        description="Give `person` (a username) or `merchant` (a slug). A person's profile "
        "must be public (`profile_not_public`).",
        request=FollowCreateInputSerializer,
        responses={201: FollowOutputSerializer, 400: INVALID, **AUTH_RESPONSES},
    )
    def create(self, request):
        serializer = FollowCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "person" in data:
            person = _person_for_input(request, data["person"], field="person")
            follow = services.person_follow(follower=request.user, person=person)
        else:
            try:
                merchant = merchant_get(slug=data["merchant"])
            except Http404:
                raise DomainError(
                    "There is no merchant with this name.",
                    code=GraphError.MERCHANT_NOT_FOUND,
                    field="merchant",
                ) from None
            follow = services.merchant_follow(follower=request.user, merchant=merchant)
        return Response(
            FollowOutputSerializer(follow, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="follows_destroy",
        summary="Stop following",
        parameters=[FOLLOW_ID_PARAMETER],
        request=None,
        responses={
            204: None,
            404: OpenApiResponse(ErrorResponseSerializer, description="No such follow of yours."),
            **AUTH_RESPONSES,
        },
    )
    def destroy(self, request, pk: str):
        follow = selectors.follow_get_for_user(
            user=request.user, follow_id=_id_from_path(pk, missing="No such follow.")
        )
        services.follow_delete(follow=follow)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- blocks -----------------------------------------------------------------------------------


class BlockCreateInputSerializer(serializers.Serializer):
    person = _person_field(help_text="The username of the person to block.")


@extend_schema(tags=["social"])
class BlockApi(viewsets.ViewSet):
    """The people you blocked. A block ends friendship, requests and follows both ways and
    hides each of you from the other."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = StandardPagination
    lookup_field = "username"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        operation_id="blocks_list",
        summary="List the people you blocked",
        responses={200: BlockOutputSerializer(many=True), **PAGE_ERRORS, **AUTH_RESPONSES},
    )
    def list(self, request):
        return paginated(
            self, request, selectors.block_list(user=request.user), BlockOutputSerializer
        )

    @extend_schema(
        operation_id="blocks_create",
        summary="Block someone",
        description="Blocking someone already blocked changes nothing (200).",
        request=BlockCreateInputSerializer,
        responses={
            200: BlockOutputSerializer,
            201: BlockOutputSerializer,
            400: INVALID,
            **AUTH_RESPONSES,
        },
    )
    def create(self, request):
        serializer = BlockCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = _person_for_input(request, serializer.validated_data["person"], field="person")
        existed = selectors.block_list(user=request.user).filter(blocked_id=person.pk).exists()
        block = services.person_block(blocker=request.user, person=person)
        return Response(
            BlockOutputSerializer(block, context={"request": request}).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="blocks_destroy",
        summary="Unblock someone",
        description="What the block ended stays ended. `not_blocked` if you had not.",
        parameters=[USERNAME_PARAMETER],
        request=None,
        responses={204: None, 400: INVALID, 404: PERSON_NOT_FOUND, **AUTH_RESPONSES},
    )
    def destroy(self, request, username: str):
        person = selectors.person_get_for_actor(viewer=request.user, username=username)
        services.person_unblock(blocker=request.user, person=person)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- privacy ----------------------------------------------------------------------------------


@extend_schema(tags=["social"])
class PrivacySettingsApi(APIView):
    """Who sees what of yours."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="settings_privacy_retrieve",
        summary="Get your privacy settings",
        responses={200: PrivacySettingsSerializer, **AUTH_RESPONSES},
    )
    def get(self, request):
        settings = selectors.privacy_settings_get(user=request.user)
        return Response(PrivacySettingsSerializer(settings).data)

    @extend_schema(
        operation_id="settings_privacy_update",
        summary="Change your privacy settings",
        description="Send the settings to change; those left out keep their value.",
        request=PrivacySettingsSerializer,
        responses={200: PrivacySettingsSerializer, 400: INVALID, **AUTH_RESPONSES},
    )
    def put(self, request):
        serializer = PrivacySettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        settings: PrivacySettings = services.privacy_settings_update(
            user=request.user, **serializer.validated_data
        )
        return Response(PrivacySettingsSerializer(settings).data)
