"""/api/v1/me/export ("download my data") and the body of DELETE /api/v1/me.

Thin: call one service or selector, answer. A new export answers 202 (a Celery task builds
it); its `download_url` appears once it is ready and for 7 days. Deleting the account needs
the password in the body: a wrong or missing one answers 400 naming `password`.
"""

from django.contrib.auth import logout
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.accounts import data_services, selectors
from shop.accounts.models import PersonalDataExport
from shop.core.api import ErrorResponseSerializer

NOT_LOGGED_IN = OpenApiResponse(ErrorResponseSerializer, description="Not logged in.")
AUTH_RESPONSES = {401: NOT_LOGGED_IN, 403: NOT_LOGGED_IN}


class PersonalDataExportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PersonalDataExport.Status.choices)
    created_at = serializers.DateTimeField()
    ready_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="Until when the ZIP can be downloaded (ready + 7 days)."
    )
    size = serializers.IntegerField(help_text="Bytes of the ZIP (0 until it is ready).")
    download_url = serializers.SerializerMethodField(
        help_text="Where to download the ZIP (with your session) while it is ready; else null."
    )

    def get_download_url(self, export: PersonalDataExport) -> str | None:
        if not export.is_downloadable(now=self.context["now"]):
            return None
        return data_services.export_download_url(export=export)


def _export_data(exports, *, many: bool = False):
    return PersonalDataExportOutputSerializer(
        exports, many=many, context={"now": timezone.now()}
    ).data


@extend_schema(tags=["accounts"])
class PersonalDataExportApi(APIView):
    """Your copies of your data: ask for a new one, or list the recent ones."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_export_list",
        responses={200: PersonalDataExportOutputSerializer(many=True), **AUTH_RESPONSES},
    )
    def get(self, request):
        exports = selectors.personal_data_export_list_for_user(user=request.user)
        return Response(_export_data(exports, many=True))

    @extend_schema(
        operation_id="me_export_create",
        request=None,
        responses={
            202: PersonalDataExportOutputSerializer,
            400: OpenApiResponse(
                ErrorResponseSerializer,
                description="An export is already being prepared (`export_pending`).",
            ),
            429: OpenApiResponse(
                ErrorResponseSerializer,
                description="3 requests in the last 24 hours (`export_rate_limited`); "
                "Retry-After says when to try again.",
            ),
            **AUTH_RESPONSES,
        },
    )
    def post(self, request):
        export = data_services.personal_data_export_request(user=request.user)
        export.refresh_from_db()  # eager Celery (local, tests) may have built it already
        return Response(_export_data(export), status=status.HTTP_202_ACCEPTED)


class AccountDeleteInputSerializer(serializers.Serializer):
    password = serializers.CharField(
        trim_whitespace=False, help_text="The account's password, to be sure it is you."
    )


ACCOUNT_DELETE_SCHEMA = extend_schema(
    operation_id="me_destroy",
    description="Delete your account for good: your profile and everything social are "
    "erased; your orders are kept without your name, email or address. Staff and merchant "
    "accounts are refused (`staff_account`): an administrator removes them.",
    request=AccountDeleteInputSerializer,
    responses={
        204: OpenApiResponse(description="The account is deleted and you are logged out."),
        400: OpenApiResponse(
            ErrorResponseSerializer,
            description="Wrong or missing `password` (`wrong_password`), or a staff account.",
        ),
        **AUTH_RESPONSES,
    },
)


def account_delete_answer(request) -> Response:
    """The body of DELETE /api/v1/me (shop.accounts.api.MeApi.delete)."""
    serializer = AccountDeleteInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data_services.account_delete(user=request.user, password=serializer.validated_data["password"])
    logout(request._request)
    return Response(status=status.HTTP_204_NO_CONTENT)
