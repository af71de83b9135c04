"""/api/v1/ notifications (list, read one, read all, unread count) and settings/notifications.

Thin: parse, call one selector or service, answer. The list is cursor paginated, newest
first, each item a line as the page shows it (several alike grouped). Someone else's
notification is answered exactly like one that does not exist (404). Bad input answers 400
naming the field (`cursor`, `page_size`, a kind's key).
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.core.api import ErrorResponseSerializer
from shop.core.cursors import cursor_parse
from shop.core.errors import DomainError
from shop.core.validators import id_is_valid
from social.notifications import selectors, services
from social.notifications.errors import NotificationError
from social.notifications.kinds import notification_kinds
from social.notifications.models import Delivery

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
AUTH_RESPONSES = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}
INVALID = OpenApiResponse(
    ErrorResponseSerializer,
    description="A field is invalid (`invalid_cursor`, `unknown_kind`, `invalid_delivery`); "
    "the errors are keyed by the field's name.",
)
NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such notification of yours.")


# --- output -----------------------------------------------------------------------------------


class ActorOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="public_name", help_text="Display name, or username.")


class NotificationItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="newest.pk", help_text="The newest notification of the line; mark it read."
    )
    ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Every notification the line stands for."
    )
    kind = serializers.CharField(source="newest.kind")
    text = serializers.CharField(help_text='What happened: "Ana and 2 others accepted …".')
    url = serializers.CharField(help_text="Where it leads (a path on this site, usually).")
    actors = ActorOutputSerializer(many=True, help_text="Who did it, newest first.")
    unread = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class NotificationPageOutputSerializer(serializers.Serializer):
    results = NotificationItemOutputSerializer(many=True, source="items")
    next = serializers.CharField(
        source="next_cursor",
        allow_null=True,
        help_text="The `cursor` of the next (older) page, or null at the end.",
    )


class UnreadCountOutputSerializer(serializers.Serializer):
    unread_count = serializers.IntegerField(help_text="Unread notifications (the bell's count).")


class NotificationPreferencesSerializer(serializers.Serializer):
    """One field per registered kind: immediate, daily or off (email; the app always shows)."""

    def get_fields(self):
        return {
            kind.key: serializers.ChoiceField(
                choices=Delivery.choices, required=False, help_text=kind.label
            )
            for kind in notification_kinds()
        }

    def validate(self, attrs):
        data = self.initial_data if isinstance(self.initial_data, dict) else {}
        unknown = sorted(str(key) for key in data if key not in self.fields)
        if unknown:
            raise serializers.ValidationError(
                {unknown[0][:50]: ["There is no such kind of notification."]},
                code=NotificationError.UNKNOWN_KIND,
            )
        return attrs


# --- views ------------------------------------------------------------------------------------

CURSOR_PARAMETER = OpenApiParameter(
    "cursor",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description="The `next` of the page before; none for the newest.",
)
PAGE_SIZE_PARAMETER = OpenApiParameter(
    "page_size",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description=f"Notifications per page, 1 to {selectors.MAX_PAGE_SIZE} "
    f"(default {selectors.PAGE_SIZE}).",
)
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The notification's id."
)


def _page_size(raw: str | None) -> int:
    if raw in (None, ""):
        return selectors.PAGE_SIZE
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= selectors.MAX_PAGE_SIZE:
        raise DomainError(
            f"A page size is a whole number from 1 to {selectors.MAX_PAGE_SIZE}.",
            code="invalid",
            field="page_size",
        )
    return int(raw)


def _unread(request) -> Response:
    return Response({"unread_count": selectors.unread_count(viewer=request.user)})


@extend_schema(tags=["notifications"])
class NotificationListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="notifications_list",
        summary="List your notifications",
        description="Newest first; alike ones on a page are one item (`ids`).",
        parameters=[CURSOR_PARAMETER, PAGE_SIZE_PARAMETER],
        responses={200: NotificationPageOutputSerializer, 400: INVALID, **AUTH_RESPONSES},
    )
    def get(self, request):
        cursor = cursor_parse(request.query_params.get("cursor"))
        size = _page_size(request.query_params.get("page_size"))
        page = selectors.notification_list(user=request.user, cursor=cursor, size=size)
        return Response(NotificationPageOutputSerializer(page).data)


@extend_schema(tags=["notifications"])
class NotificationReadApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="notifications_read",
        summary="Mark a notification read",
        description="With the unread ones shown with it as one item. Answers the unread count.",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: UnreadCountOutputSerializer, 404: NOT_FOUND, **AUTH_RESPONSES},
    )
    def post(self, request, notification_id: str):
        if not notification_id.isascii() or not notification_id.isdigit():
            raise Http404("No such notification.")
        number = int(notification_id)
        if not id_is_valid(number):
            raise Http404("No such notification.")
        notification = selectors.notification_get_for_user(
            user=request.user, notification_id=number
        )
        services.notification_mark_read(notification=notification)
        return _unread(request)


@extend_schema(tags=["notifications"])
class NotificationReadAllApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="notifications_read_all",
        summary="Mark all your notifications read",
        request=None,
        responses={200: UnreadCountOutputSerializer, **AUTH_RESPONSES},
    )
    def post(self, request):
        services.notification_mark_all_read(user=request.user)
        return _unread(request)


@extend_schema(tags=["notifications"])
class UnreadCountApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="notifications_unread_count",
        summary="How many notifications you have not read",
        responses={200: UnreadCountOutputSerializer, **AUTH_RESPONSES},
    )
    def get(self, request):
        return _unread(request)


@extend_schema(tags=["notifications"])
class NotificationPreferencesApi(APIView):
    """Which notifications reach you by email, and when."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="settings_notifications_retrieve",
        summary="Get your notification settings",
        responses={200: NotificationPreferencesSerializer, **AUTH_RESPONSES},
    )
    def get(self, request):
        return Response(selectors.preferences_get(user=request.user))

    @extend_schema(
        operation_id="settings_notifications_update",
        summary="Change your notification settings",
        description="Send the kinds to change (`immediate`, `daily` or `off`); those left "
        "out keep theirs.",
        request=NotificationPreferencesSerializer,
        responses={200: NotificationPreferencesSerializer, 400: INVALID, **AUTH_RESPONSES},
    )
    def patch(self, request):
        serializer = NotificationPreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deliveries = services.preferences_update(
            user=request.user, deliveries=dict(serializer.validated_data)
        )
        return Response(deliveries)
