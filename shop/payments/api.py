"""The gateways' webhook endpoint: POST /api/v1/payments/webhook/<gateway>.

Called by the gateway, not by a person: no session, no CSRF token, no authentication; the
signature over the raw body is what proves where it came from (services.webhook_receive).
"""

from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.core.api import ErrorResponseSerializer
from shop.payments import services
from shop.payments.gateways import GATEWAY_NAMES


class PaymentWebhookOutputSerializer(serializers.Serializer):
    received = serializers.BooleanField()


@method_decorator(csrf_exempt, name="dispatch")
class PaymentWebhookApi(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="payments_webhook_receive",
        summary="Receive a payment gateway's signed event",
        description=(
            "Stripe (or the fake gateway) posts its events here. The body is verified against "
            "the signature header (Stripe-Signature, or X-Fake-Signature for the fake "
            "gateway), stored by event id and applied once: a replayed or out-of-order event "
            "is acknowledged and changes nothing."
        ),
        parameters=[
            OpenApiParameter(
                "gateway",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(GATEWAY_NAMES),
                description="The gateway that sends the event.",
            )
        ],
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            200: PaymentWebhookOutputSerializer,
            400: OpenApiResponse(
                ErrorResponseSerializer,
                description="The signature is missing or wrong, or the body is not an event.",
            ),
            404: OpenApiResponse(ErrorResponseSerializer, description="No such gateway."),
        },
        auth=[],
        tags=["payments"],
    )
    def post(self, request, gateway: str):
        if gateway not in GATEWAY_NAMES:
            raise Http404("No such payment gateway.")
        # The raw bytes, exactly as signed: never request.data, which would re-encode them.
        services.webhook_receive(gateway=gateway, body=request.body, headers=request.headers)
        return Response({"received": True}, status=status.HTTP_200_OK)
