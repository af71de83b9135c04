"""Reads of payments for views, the API and other apps (orders, gift pools)."""

from datetime import datetime

from django.db.models import F, Q, QuerySet

from shop.payments.models import Payment


def payment_latest_for_reference(*, reference: str) -> Payment | None:
    """Return the newest payment attempt for `reference` (e.g. "order:AG7K2M9Q"), or None."""
    return Payment.objects.filter(reference=reference).order_by("-created_at", "-id").first()


def payment_list_for_reference(*, reference: str) -> list[Payment]:
    """Return every payment attempt for `reference`, oldest first, refunds loaded."""
    return list(
        Payment.objects.filter(reference=reference)
        .order_by("created_at", "id")
        .prefetch_related("refunds")
    )


def payment_get(*, payment_id: int) -> Payment | None:
    return Payment.objects.filter(pk=payment_id).first()


# Waiting for the card holder (3-D Secure), being processed, or created at the gateway and
# waiting for the browser to confirm it (Stripe Elements): any of them may still succeed.
IN_FLIGHT_STATUSES = (Payment.Status.REQUIRES_ACTION, Payment.Status.PROCESSING)


def payment_holds_reference(*, reference: str, in_flight_since: datetime) -> bool:
    """Whether `reference` has a payment that succeeded and was not given back in full, or
    one still in flight that changed since `in_flight_since` (an older one is abandoned)."""
    in_flight = Q(status__in=IN_FLIGHT_STATUSES) | Q(
        status=Payment.Status.REQUIRES_PAYMENT_METHOD, gateway_payment_id__gt=""
    )
    return (
        Payment.objects.filter(reference=reference)
        .filter(
            Q(status=Payment.Status.SUCCEEDED, amount_refunded__lt=F("amount"))
            | (in_flight & Q(updated_at__gte=in_flight_since))
        )
        .exists()
    )


def payment_list_unsettled(
    *, reference_prefix: str, taken: QuerySet, before: datetime
) -> list[Payment]:
    """Return the succeeded payments for references starting with `reference_prefix` that
    were not given back in full and whose id is not in `taken` (a query of the payment ids
    the caller applied), last changed before `before`; oldest first, at most 500."""
    return list(
        Payment.objects.filter(
            status=Payment.Status.SUCCEEDED,
            reference__startswith=reference_prefix,
            amount_refunded__lt=F("amount"),
            updated_at__lt=before,
        )
        .exclude(pk__in=taken)
        .order_by("pk")[:500]
    )
