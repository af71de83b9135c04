"""/api/v1/people: find people, a person's profile, a person's friends.

The same privacy as the pages (people_views.py): someone blocked either way is a 404, as if
they did not exist; what a profile shows follows the person's settings through the audience
rule (profile_selectors.person_profile_get).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.accounts.selectors import user_get_by_username
from shop.core.api import ErrorResponseSerializer, StandardPagination
from shop.core.errors import DomainError
from shop.core.request import request_user
from social.graph import people_selectors, profile_selectors, selectors
from social.graph.api import (
    AUTH_RESPONSES,
    INVALID,
    PAGE_ERRORS,
    PERSON_NOT_FOUND,
    USERNAME_PARAMETER,
    FriendOutputSerializer,
    PersonBriefOutputSerializer,
    paginated,
)
from social.graph.errors import GraphError

# --- output -----------------------------------------------------------------------------------


class PersonFoundOutputSerializer(PersonBriefOutputSerializer):
    friend = serializers.BooleanField(source="is_friend", help_text="You are friends.")
    request_sent = serializers.IntegerField(
        source="request_sent_id",
        allow_null=True,
        help_text="The id of your request waiting for their answer, or null.",
    )
    request_received = serializers.IntegerField(
        source="request_received_id",
        allow_null=True,
        help_text="The id of their request waiting for your answer, or null.",
    )
    following = serializers.BooleanField(source="is_followed", help_text="You follow them.")
    mutual_friends = serializers.IntegerField(help_text="Friends you have in common.")


class MutualFriendsOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many friends you have in common.")
    people = PersonBriefOutputSerializer(many=True, help_text="The first three, by name.")


class PersonTiesOutputSerializer(serializers.Serializer):
    """How the asker is tied to the person (all false or null for a visitor)."""

    you = serializers.BooleanField(source="is_self", help_text="This is your own profile.")
    friend = serializers.BooleanField(source="is_friend", help_text="You are friends.")
    request_sent = serializers.IntegerField(
        source="request_sent_id",
        allow_null=True,
        help_text="The id of your request waiting for their answer, or null.",
    )
    request_received = serializers.IntegerField(
        source="request_received_id",
        allow_null=True,
        help_text="The id of their request waiting for your answer, or null.",
    )
    following = serializers.BooleanField(source="follows", help_text="You follow them.")
    can_follow = serializers.BooleanField(
        help_text="Their profile is public and you do not follow them yet."
    )


class PersonOutputSerializer(serializers.Serializer):
    username = serializers.CharField(source="person.username")
    name = serializers.CharField(
        source="person.public_name", help_text="Display name, or username."
    )
    display_name = serializers.CharField(source="person.display_name")
    avatar = serializers.ImageField(
        source="person.avatar", allow_null=True, help_text="URL of the avatar, or null."
    )
    avatar_thumbnail = serializers.ImageField(
        source="person.avatar_thumb", allow_null=True, help_text="URL of a small avatar, or null."
    )
    whole_profile = serializers.BooleanField(
        source="relationship.sees_profile",
        help_text="Their profile is shared with you: bio and date joined are shown. Otherwise "
        "only the name and avatar are (the profile is for their friends).",
    )
    bio = serializers.CharField(help_text="Empty unless the whole profile is shared with you.")
    date_joined = serializers.SerializerMethodField(
        help_text="When they joined; null unless the whole profile is shared with you."
    )
    friends_count = serializers.IntegerField(
        allow_null=True, help_text="Their number of friends; null unless they share the list."
    )
    mutual_friends = MutualFriendsOutputSerializer(source="mutual")
    ties = PersonTiesOutputSerializer(source="relationship")

    def get_date_joined(self, profile) -> str | None:
        if not profile.relationship.sees_profile:
            return None
        return serializers.DateTimeField().to_representation(profile.person.date_joined)


# --- endpoints --------------------------------------------------------------------------------

QUERY_PARAMETER = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description="Part of a display name or username. People who are not discoverable are "
    "found only by their exact username. Empty: nobody.",
)


@extend_schema(tags=["social"])
class PeopleSearchApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="people_list",
        summary="Find people",
        description="Exact username first, then by name. Each with how you are tied. Nobody "
        "blocked either way is ever found.",
        parameters=[QUERY_PARAMETER],
        responses={
            200: PersonFoundOutputSerializer(many=True),
            **PAGE_ERRORS,
            400: INVALID,
            **AUTH_RESPONSES,
        },
    )
    def get(self, request):
        query = request.query_params.get("q") or ""
        if len(query) > people_selectors.SEARCH_MAX_LENGTH:
            raise DomainError(
                f"Search with at most {people_selectors.SEARCH_MAX_LENGTH} characters.",
                code=GraphError.INVALID_QUERY,
                field="q",
            )
        people = people_selectors.people_search(viewer=request.user, query=query)
        return paginated(self, request, people, PersonFoundOutputSerializer)


@extend_schema(tags=["social"])
class PersonDetailApi(APIView):
    """Anyone's profile, by username (any case), as far as they share it with you."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="people_retrieve",
        summary="Get someone's profile",
        description="Everyone but people blocked either way gets the name and avatar; the "
        "bio and date joined follow their profile setting, the friends count their friends-"
        "list setting. 404 for a username nobody has, an inactive account, or someone blocked "
        "either way (the same answer).",
        parameters=[USERNAME_PARAMETER],
        responses={200: PersonOutputSerializer, 404: PERSON_NOT_FOUND},
    )
    def get(self, request, username: str):
        profile = profile_selectors.person_profile_get(
            viewer=request_user(request), username=username
        )
        return Response(PersonOutputSerializer(profile, context={"request": request}).data)


@extend_schema(tags=["social"])
class PersonFriendsApi(APIView):
    permission_classes = [permissions.AllowAny]
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="people_friends_list",
        summary="List someone's friends",
        description="As far as their friends-list setting lets you see it (403 if not); "
        "without anyone you and they have blocked.",
        parameters=[USERNAME_PARAMETER],
        responses={
            200: FriendOutputSerializer(many=True),
            403: OpenApiResponse(
                ErrorResponseSerializer, description="Their friends list is not shared with you."
            ),
            404: PERSON_NOT_FOUND,
        },
    )
    def get(self, request, username: str):
        person = user_get_by_username(username=username)
        friendships = selectors.person_friends_for_viewer(
            viewer=request_user(request), person=person
        )
        return paginated(self, request, friendships, FriendOutputSerializer)
