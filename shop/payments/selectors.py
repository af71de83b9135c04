"""Reads of payments for views, the API and other apps (orders, gift pools)."""

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
