"""/api/v1/invites: invite people to join, by email or with a personal link.

Thin: parse, call one service or selector, answer. A bad email answers 400 naming `email`;
the daily limit on invitations answers 429.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shop.core.api import StandardPagination
from shop.core.validators import TextCharactersValidator
from social.graph import invite_selectors, invite_services
from social.graph.api import AUTH_RESPONSES, INVALID, PAGE_ERRORS, RATE_LIMITED, paginated
from social.graph.emails import invite_url
from social.graph.models import Invite

# --- output -----------------------------------------------------------------------------------


class InviteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    sent = serializers.SerializerMethodField(help_text="The email has left.")
    accepted = serializers.BooleanField(help_text="Someone signed up through it.")
    created_at = serializers.DateTimeField()

    def get_sent(self, invite) -> bool:
        return invite.email_status != Invite.EmailStatus.QUEUED


class InviteLinkOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    url = serializers.SerializerMethodField(
        help_text="The link to share: whoever signs up through it becomes your friend once "
        "their email is verified."
    )

    def get_url(self, invite) -> str:
        return invite_url(invite=invite)


# --- the endpoint -------------------------------------------------------------------------------


class InviteCreateInputSerializer(serializers.Serializer):
    email = serializers.CharField(
        max_length=254, validators=[TextCharactersValidator()], help_text="Whom to invite."
    )


@extend_schema(tags=["social"])
class InviteApi(viewsets.ViewSet):
    """Invite people to join: by email, or with your personal link."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="invites_list",
        summary="List the invitations you emailed",
        responses={200: InviteOutputSerializer(many=True), **PAGE_ERRORS, **AUTH_RESPONSES},
    )
    def list(self, request):
        return paginated(
            self, request, invite_selectors.invite_list(user=request.user), InviteOutputSerializer
        )

    @extend_schema(
        operation_id="invites_create",
        summary="Invite someone by email",
        description="The email is sent shortly. Whoever signs up through it becomes your "
        "friend once their email is verified.",
        request=InviteCreateInputSerializer,
        responses={
            201: InviteOutputSerializer,
            400: INVALID,
            429: RATE_LIMITED,
            **AUTH_RESPONSES,
        },
    )
    def create(self, request):
        serializer = InviteCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invite = invite_services.invite_email_send(
            inviter=request.user, email=serializer.validated_data["email"]
        )
        invite = invite_selectors.invite_list(user=request.user).get(pk=invite.pk)
        return Response(
            InviteOutputSerializer(invite, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="invites_link",
        summary="Get your personal invite link",
        description="Made the first time it is asked for; the same link afterwards.",
        request=None,
        responses={200: InviteLinkOutputSerializer, **AUTH_RESPONSES},
    )
    @action(detail=False, methods=["post"])
    def link(self, request):
        invite = invite_services.invite_link_get_or_create(inviter=request.user)
        return Response(InviteLinkOutputSerializer(invite, context={"request": request}).data)
