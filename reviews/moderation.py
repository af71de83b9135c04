"""Operators' decisions on reviews (hide, restore, keep) and merchants' public replies.

Hiding takes the review's rating out of its product's aggregates and its activity out of every
feed, in the same transaction; restoring counts it in again. Each decision is recorded with
its reason (ReviewModeration), and the author is told why. A merchant's staff reply to reviews
of their own merchant's products only (operators to any); the reviewer is told.
"""

from django.db import transaction
from django.utils import timezone

from reviews import activity, list_cache
from reviews.errors import ReviewError
from reviews.models import Review, ReviewModeration, ReviewReply
from shop.catalog.services import product_rating_change
from shop.core.errors import DomainError

HIDDEN_KIND = "review_hidden"
RESTORED_KIND = "review_restored"
REPLIED_KIND = "review_replied"


def _reason_check(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "Say why (the author is told).", code=ReviewError.REASON_REQUIRED, field="reason"
        )
    return reason[:500]


def _locked(review_id: int) -> Review:
    review = (
        Review.objects.select_for_update()
        .select_related("product", "author")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise DomainError("No such review.", code=ReviewError.NOT_FOUND, field="review")
    return review


def _author_tell(*, review: Review, kind: str, reason: str, moderation_id: int) -> None:
    from social.notifications.services import notification_notify

    notification_notify(
        recipient=review.author,
        kind=kind,
        dedupe_key=f"{kind}:{moderation_id}",
        target_type="review",
        target_id=review.pk,
        url=review.product.get_absolute_url(),
        data={"product": review.product.title, "reason": reason},
    )


@transaction.atomic
def review_hide(*, review_id: int, by, reason: str) -> Review:
    """An operator hides a review with REASON: gone from pages, feeds and the aggregates; out
    of the queue; the author told why. Raises DomainError NOT_FOUND, REASON_REQUIRED,
    ALREADY_HIDDEN."""
    reason = _reason_check(reason)
    review = _locked(review_id)
    if review.is_hidden:
        raise DomainError(
            "This review is hidden already.", code=ReviewError.ALREADY_HIDDEN, field="review"
        )
    review.is_hidden = True
    review.hidden_reason = reason
    review.needs_moderation = False
    review.save(update_fields=["is_hidden", "hidden_reason", "needs_moderation"])
    product_rating_change(product_id=review.product_id, added=None, removed=review.rating)
    list_cache.reviews_changed(product_id=review.product_id)
    activity.review_activity_delete(review_id=review.pk)
    moderation = ReviewModeration.objects.create(
        review=review, action=ReviewModeration.Action.HIDE, reason=reason, by=by
    )
    _author_tell(review=review, kind=HIDDEN_KIND, reason=reason, moderation_id=moderation.pk)
    return review


@transaction.atomic
def review_restore(*, review_id: int, by, reason: str) -> Review:
    """An operator shows a hidden review again (its rating and activity come back), the
    author told. Raises DomainError NOT_FOUND, REASON_REQUIRED, NOT_HIDDEN."""
    reason = _reason_check(reason)
    review = _locked(review_id)
    if not review.is_hidden:
        raise DomainError("This review is not hidden.", code=ReviewError.NOT_HIDDEN, field="review")
    review.is_hidden = False
    review.hidden_reason = ""
    review.needs_moderation = False
    review.save(update_fields=["is_hidden", "hidden_reason", "needs_moderation"])
    product_rating_change(product_id=review.product_id, added=review.rating, removed=None)
    list_cache.reviews_changed(product_id=review.product_id)
    activity.review_activity_record(review=review, product=review.product)
    moderation = ReviewModeration.objects.create(
        review=review, action=ReviewModeration.Action.RESTORE, reason=reason, by=by
    )
    _author_tell(review=review, kind=RESTORED_KIND, reason=reason, moderation_id=moderation.pk)
    return review


@transaction.atomic
def review_keep(*, review_id: int, by, reason: str) -> Review:
    """An operator decides a queued review may stay: out of the queue, the decision kept."""
    reason = _reason_check(reason)
    review = _locked(review_id)
    review.needs_moderation = False
    review.save(update_fields=["needs_moderation"])
    ReviewModeration.objects.create(
        review=review, action=ReviewModeration.Action.KEEP, reason=reason, by=by
    )
    return review


def _merchant_check(*, review: Review, by) -> None:
    from shop.catalog.selectors import merchants_of_user

    if by is None or not merchants_of_user(user=by).filter(pk=review.product.merchant_id).exists():
        raise DomainError(
            "You can only reply to reviews of your own merchant's products.",
            code=ReviewError.NOT_YOUR_MERCHANT,
            field="review",
        )


@transaction.atomic
def review_reply_save(*, review_id: int, by, body: str) -> ReviewReply:
    """BY (staff of the product's merchant, or an operator) writes or edits the merchant's one
    public reply; the reviewer is told of a new reply. Raises DomainError NOT_FOUND,
    NOT_YOUR_MERCHANT, REASON_REQUIRED (empty text, field "body")."""
    from social.notifications.services import notification_notify

    review = _locked(review_id)
    _merchant_check(review=review, by=by)
    body = (body or "").strip()
    if not body:
        raise DomainError("Write the reply.", code=ReviewError.REASON_REQUIRED, field="body")
    reply, created = ReviewReply.objects.get_or_create(
        review=review,
        defaults={"merchant_id": review.product.merchant_id, "author": by, "body": body[:3000]},
    )
    if not created:
        reply.body = body[:3000]
        reply.author = by
        reply.updated_at = timezone.now()
        reply.save(update_fields=["body", "author", "updated_at"])
    list_cache.reviews_changed(product_id=review.product_id)
    notification_notify(
        recipient=review.author,
        kind=REPLIED_KIND,
        dedupe_key=f"{REPLIED_KIND}:{reply.pk}",
        target_type="review",
        target_id=review.pk,
        url=review.product.get_absolute_url(),
        data={"product": review.product.title},
    )
    return reply


@transaction.atomic
def review_reply_delete(*, review_id: int, by) -> bool:
    """Remove the merchant's reply. Raises DomainError NOT_FOUND, NOT_YOUR_MERCHANT."""
    review = _locked(review_id)
    _merchant_check(review=review, by=by)
    list_cache.reviews_changed(product_id=review.product_id)
    return ReviewReply.objects.filter(review=review).delete()[0] > 0
