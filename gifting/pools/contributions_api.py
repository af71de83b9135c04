"""The gift pools' contributions and card under /api/v1/:

- /pools/<id>/contributions (GET: as the viewer may see them; POST: chip in, signed in or as
  a guest, and pay),
- /pools/<id>/card (the printable card, PDF: the organiser, or `?s=` the gift link's signature).

Thin, as api.py (the pools themselves), whose parameters, answers and pool_visible it shares.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from gifting.pools import contributions, selectors
from gifting.pools.api import (
    INVALID,
    INVITE,
    NOT_FOUND,
    PAYMENT_METHOD_HELP,
    POOL_ID,
    TOKEN,
    ContributorOutputSerializer,
    pool_visible,
)
from gifting.pools.models import Contribution, Pool


class ContributionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.IntegerField(help_text="In cents.")
    status = serializers.ChoiceField(choices=Contribution.Status.choices)
    payment_status = serializers.CharField(
        allow_null=True, help_text="The payment's: succeeded, failed, requires_action, ..."
    )
    error_message = serializers.CharField(help_text="Why the card was declined, if it was.")


class ContributionInputSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**9, help_text="In cents.")
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    hide_name = serializers.BooleanField(
        default=False, help_text="Hide your name from other contributors (never the organiser)."
    )
    guest_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=120, help_text="Guests only."
    )
    guest_email = serializers.EmailField(required=False, allow_blank=True, default="")
    payment_method = serializers.CharField(max_length=255, help_text=PAYMENT_METHOD_HELP)
    idempotency_key = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="Send the same key again to retry without chipping in twice.",
    )


@extend_schema(tags=["gifting"])
class PoolContributionsApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="pools_contributions_list",
        summary="Who chipped in",
        description="Names and amounts as you may see them (the organiser sees all).",
        parameters=[POOL_ID, TOKEN, INVITE],
        responses={200: ContributorOutputSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pool_id: int):
        shown = selectors.pool_shown(viewer=request.user, pool=pool_visible(request, pool_id))
        return Response(ContributorOutputSerializer(shown.contributors, many=True).data)

    @extend_schema(
        operation_id="pools_contributions_create",
        summary="Chip in",
        description="Signed in, or as a guest (`guest_name`, `guest_email`). Reserves the "
        "amount within what is left (`pool_full`: its message offers the rest) and pays it. A "
        "decline is not an error: the answer says `failed` with a message, and you may chip "
        "in again.",
        parameters=[POOL_ID, TOKEN, INVITE],
        request=ContributionInputSerializer,
        responses={201: ContributionOutputSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request, pool_id: int):
        from gifting.pools import payments

        pool = pool_visible(request, pool_id)
        serializer = ContributionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        member = request.user if request.user.is_authenticated else None
        contribution = contributions.contribution_reserve(
            pool=pool,
            amount=data["amount"],
            contributor=member,
            guest_name=data["guest_name"],
            guest_email=data["guest_email"],
            hide_name=data["hide_name"],
            message=data["message"],
            idempotency_key=data["idempotency_key"] or None,
        )
        payment = contribution.payment
        if contribution.status == Contribution.Status.RESERVED:
            payment = payments.contribution_pay(
                contribution=contribution, payment_method=data["payment_method"].strip()
            )
            contribution.refresh_from_db()
        output = {
            "id": contribution.pk,
            "amount": contribution.amount,
            "status": contribution.status,
            "payment_status": payment.status if payment is not None else None,
            "error_message": payment.error_message if payment is not None else "",
        }
        return Response(ContributionOutputSerializer(output).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["gifting"])
class PoolCardApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="pools_card",
        summary="The printable card (PDF)",
        description="Everyone's messages and names (per their choice), never an amount. For "
        "the organiser, or with `s`, the signature of the recipient's gift link; once the gift "
        "is ordered.",
        parameters=[
            POOL_ID,
            OpenApiParameter("s", OpenApiTypes.STR, required=False, description="Signature."),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request, pool_id: int):
        from gifting.pools.card import pool_card_pdf

        found = Pool.objects.filter(pk=pool_id).values_list("token", flat=True).first()
        pool = selectors.pool_get_for_gift(
            token=found or "", signature=request.query_params.get("s", ""), viewer=request.user
        )
        pdf = pool_card_pdf(gift=selectors.pool_gift_shown(pool=pool))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="gift-card-{pool.pk}.pdf"'
        return response
