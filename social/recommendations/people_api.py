"""/api/v1/suggestions: people you may know (with the mutual friends), and "Not now".

The same as the pages (people_views.py): people_selectors decides who is suggested and which
mutual friends are named, through the graph's audience rule. "Add friend" is the graph's
POST /api/v1/friend-requests.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.core.api import ErrorResponseSerializer, json_bytes_response, json_render
from shop.core.errors import DomainError
from social.graph import selectors as graph_selectors
from social.graph.api import AUTH_RESPONSES, USERNAME_PARAMETER, PersonBriefOutputSerializer
from social.recommendations import people_services
from social.recommendations.people_errors import PeopleError
from social.recommendations.people_selectors import RANKED_MAX, people_you_may_know_rendered

DEFAULT_LIMIT = 10


class SuggestionMutualFriendsOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        source="mutual_count", help_text="How many friends you have in common."
    )
    people = PersonBriefOutputSerializer(
        source="mutual_people", many=True, help_text="Up to three of them, by name."
    )


class SuggestionOutputSerializer(serializers.Serializer):
    person = PersonBriefOutputSerializer()
    mutual_friends = SuggestionMutualFriendsOutputSerializer(source="*")


class SuggestionListOutputSerializer(serializers.Serializer):
    results = SuggestionOutputSerializer(many=True)


LIMIT_PARAMETER = OpenApiParameter(
    "limit",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description=f"How many people, 1 to {RANKED_MAX} (default {DEFAULT_LIMIT}).",
)
INVALID_LIMIT = OpenApiResponse(
    ErrorResponseSerializer, description=f"`limit` is not a number from 1 to {RANKED_MAX}."
)


def _limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= RANKED_MAX:
        raise DomainError(
            f"Give a whole number from 1 to {RANKED_MAX}.",
            code=PeopleError.INVALID_LIMIT,
            field="limit",
        )
    return int(raw)


@extend_schema(tags=["social"])
class SuggestionListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="suggestions_list",
        summary="People you may know",
        description="Friends of your friends, most mutual friends first (then merchants you "
        "both follow and products you both bought, as far as they share them with you). "
        "Never yourself, your friends, anyone with a friend request pending either way, "
        "blocked either way, dismissed, or who turned discoverability off. Each with the "
        "number of mutual friends and up to three of them by name (only friends whose friends "
        "list you may see count).",
        parameters=[LIMIT_PARAMETER],
        responses={200: SuggestionListOutputSerializer, 400: INVALID_LIMIT, **AUTH_RESPONSES},
    )
    def get(self, request):
        limit = _limit(request.query_params.get("limit"))
        body = people_you_may_know_rendered(
            viewer=request.user,
            limit=limit,
            # The avatars' URLs are absolute, on the address asked.
            name=f"api:{request.build_absolute_uri('/')}",
            render=lambda suggestions: json_render(
                SuggestionListOutputSerializer(
                    {"results": suggestions}, context={"request": request}
                ).data
            ),
        )
        return json_bytes_response(request, body)


@extend_schema(tags=["social"])
class SuggestionDismissApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="suggestions_dismiss",
        summary='Dismiss a suggestion ("Not now")',
        description="The person is never suggested to you again. Dismissing again changes "
        "nothing. 404 for a username nobody has or someone who blocked you (the same answer).",
        parameters=[USERNAME_PARAMETER],
        request=None,
        responses={
            204: OpenApiResponse(description="Dismissed."),
            400: OpenApiResponse(
                ErrorResponseSerializer, description="`self_not_allowed` (on `person`)."
            ),
            404: OpenApiResponse(ErrorResponseSerializer, description="No such person."),
            **AUTH_RESPONSES,
        },
    )
    def post(self, request, username: str):
        person = graph_selectors.person_get_for_actor(viewer=request.user, username=username)
        people_services.suggestion_dismiss(user=request.user, person=person)
        return Response(status=status.HTTP_204_NO_CONTENT)
