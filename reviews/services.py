"""Every write of a review: write, edit and delete one, vote it helpful or not, report it.

A review and its product's rating aggregates change in one transaction: catalog's
product_rating_change (one conditional UPDATE with F()) counts a visible review's rating in and
out, so the product row's lock serialises concurrent reviews and nothing is ever recounted.
Vote and report counters are conditional UPDATEs with their rows, the rows made unique per
person (a second vote, even a concurrent one, changes the first instead of adding one).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reviews import activity, list_cache, selectors
from reviews.errors import ReviewError
from reviews.models import (
    PHOTOS_MAX,
    Review,
    ReviewPhoto,
    ReviewReport,
    ReviewRevision,
    ReviewVote,
)
from shop.catalog.services import product_rating_change
from shop.core.errors import DomainError
from shop.core.images import ImageProfile, VerifiedImage, image_thumbnail

# A phone photo (12 MP, as an avatar), stored at most 1600 px on its longest side.
REVIEW_PHOTO = ImageProfile(name="review photo", max_pixels=12_000_000, max_side=1600)
THUMBNAIL_SIZE = 240


@dataclass(frozen=True)
class ReviewInput:
    rating: int
    title: str
    body: str
    feed_visibility: str = "friends"


def _input_check(data: ReviewInput) -> None:
    if not isinstance(data.rating, int) or not 1 <= data.rating <= 5:
        raise DomainError(
            "Choose a rating from 1 to 5 stars.", code=ReviewError.RATING_INVALID, field="rating"
        )


def _flag_reason(data: ReviewInput) -> str:
    """The words of the store's list (settings.REVIEWS_FLAG_WORDS) the review contains."""
    said = set(re.findall(r"\w+", f"{data.title} {data.body}".lower()))
    words = sorted({word.lower() for word in settings.REVIEWS_FLAG_WORDS} & said)
    return f"Word list: {', '.join(words)}"[:200] if words else ""


def _photos_add(*, review: Review, photos: list[VerifiedImage], start: int) -> None:
    for offset, photo in enumerate(photos):
        row = ReviewPhoto(review=review, position=start + offset)
        thumbnail = image_thumbnail(photo.content, size=THUMBNAIL_SIZE)
        row.image.save(photo.content.name, photo.content, save=False)
        row.thumbnail.save(thumbnail.name, thumbnail, save=False)
        row.save()


def _photos_check(count: int) -> None:
    if count > PHOTOS_MAX:
        raise DomainError(
            f"A review has at most {PHOTOS_MAX} photos.",
            code=ReviewError.TOO_MANY_PHOTOS,
            field="photos",
        )


@transaction.atomic
def review_create(
    *, author, product_id: int, data: ReviewInput, photos: list[VerifiedImage] = ()
) -> Review:
    """AUTHOR reviews a published product: the review (its photos verified before), its
    rating counted into the product's aggregates, "verified purchase" from AUTHOR's shipped
    or delivered lines, a REVIEW activity at DATA's feed visibility.

    Raises DomainError PRODUCT_NOT_AVAILABLE, RATING_INVALID, TOO_MANY_PHOTOS, BUYERS_ONLY
    (settings.REVIEWS_BUYERS_ONLY and no shipped line) and ALREADY_REVIEWED (one per person
    and product: edit that one).
    """
    product = selectors.product_for_review(product_id=product_id)
    _input_check(data)
    _photos_check(len(photos))
    verified = selectors.purchase_verified(user_id=author.pk, product_id=product.pk)
    if settings.REVIEWS_BUYERS_ONLY and not verified:
        raise DomainError(
            "Only people who bought this product may review it.",
            code=ReviewError.BUYERS_ONLY,
            field="product",
        )
    flag = _flag_reason(data)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                product=product,
                author=author,
                rating=data.rating,
                title=data.title.strip(),
                body=data.body.strip(),
                feed_visibility=data.feed_visibility,
                verified_purchase=verified,
                photo_count=len(photos),
                needs_moderation=bool(flag),
                flag_reason=flag,
            )
    except IntegrityError:
        raise DomainError(
            "You have reviewed this product already: edit your review instead.",
            code=ReviewError.ALREADY_REVIEWED,
            field="product",
        ) from None
    _photos_add(review=review, photos=list(photos), start=0)
    product_rating_change(product_id=product.pk, added=review.rating, removed=None)
    list_cache.reviews_changed(product_id=product.pk)
    activity.review_activity_record(review=review, product=product)
    return review


def _own_review_lock(*, author, review_id: int) -> Review:
    review = (
        Review.objects.select_for_update()
        .select_related("product")
        .filter(pk=review_id, author_id=author.pk)
        .first()
    )
    if review is None:
        raise DomainError("No such review of yours.", code=ReviewError.NOT_FOUND, field="review")
    return review


@transaction.atomic
def review_update(
    *,
    author,
    review_id: int,
    data: ReviewInput,
    photos_add: list[VerifiedImage] = (),
    photos_remove: list[int] = (),
) -> Review:
    """AUTHOR edits their review: what it said before is kept (ReviewRevision), a changed
    rating moves the aggregates (while visible), photos are added and removed, "verified
    purchase" is decided again, the word list checks the new text.

    Raises DomainError NOT_FOUND, RATING_INVALID, TOO_MANY_PHOTOS.
    """
    review = _own_review_lock(author=author, review_id=review_id)
    _input_check(data)
    removed = ReviewPhoto.objects.filter(review=review, pk__in=list(photos_remove))
    kept = review.photo_count - removed.count()
    _photos_check(kept + len(photos_add))
    ReviewRevision.objects.create(
        review=review,
        rating=review.rating,
        title=review.title,
        body=review.body,
        written_at=review.updated_at,
    )
    for photo in removed:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        photo.delete()
    last = review.photos.order_by("-position").values_list("position", flat=True).first()
    _photos_add(review=review, photos=list(photos_add), start=(last or 0) + 1)
    old_rating = review.rating
    flag = _flag_reason(data)
    review.rating = data.rating
    review.title = data.title.strip()
    review.body = data.body.strip()
    review.feed_visibility = data.feed_visibility
    review.photo_count = kept + len(photos_add)
    review.verified_purchase = selectors.purchase_verified(
        user_id=author.pk, product_id=review.product_id
    )
    review.updated_at = timezone.now()
    review.edit_count = F("edit_count") + 1
    if flag:
        review.needs_moderation = True
        review.flag_reason = flag
    review.save()
    list_cache.reviews_changed(product_id=review.product_id)
    review.refresh_from_db(fields=["edit_count"])
    if not review.is_hidden:
        product_rating_change(product_id=review.product_id, added=review.rating, removed=old_rating)
        activity.review_activity_delete(review_id=review.pk)
        activity.review_activity_record(review=review, product=review.product)
    return review


@transaction.atomic
def review_delete(*, author, review_id: int) -> None:
    """AUTHOR deletes their review: its rating leaves the aggregates (if visible), its
    activity every feed. Raises DomainError NOT_FOUND."""
    review = _own_review_lock(author=author, review_id=review_id)
    _review_remove(review)


def _review_remove(review: Review) -> None:
    list_cache.reviews_changed(product_id=review.product_id)
    if not review.is_hidden:
        product_rating_change(product_id=review.product_id, added=None, removed=review.rating)
    activity.review_activity_delete(review_id=review.pk)
    for photo in review.photos.all():
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
    review.delete()


def reviews_of_user_erase(*, user) -> int:
    """Delete every review of USER, each leaving its product's aggregates ("delete my
    account"); return how many."""
    erased = 0
    for review_id in list(Review.objects.filter(author_id=user.pk).values_list("pk", flat=True)):
        with transaction.atomic():
            review = Review.objects.select_for_update().filter(pk=review_id).first()
            if review is not None:
                _review_remove(review)
                erased += 1
    return erased


# --- votes and reports ------------------------------------------------------------------------


def _visible_review_of_other(*, review_id: int, user) -> Review:
    review = Review.objects.filter(pk=review_id, is_hidden=False).first()
    if review is None or not selectors.review_visible_to(review=review, viewer=user):
        raise DomainError("No such review.", code=ReviewError.NOT_FOUND, field="review")
    if review.author_id == user.pk:
        raise DomainError(
            "You cannot vote on or report your own review.",
            code=ReviewError.OWN_REVIEW,
            field="review",
        )
    return review


def _vote_count(*, review: Review, helpful: bool, delta: int) -> None:
    field = "helpful_count" if helpful else "unhelpful_count"
    queryset = Review.objects.filter(pk=review.pk)
    if delta < 0:
        queryset = queryset.filter(**{f"{field}__gte": -delta})
    queryset.update(**{field: F(field) + delta})
    list_cache.reviews_changed(product_id=review.product_id)


@transaction.atomic
def review_vote(*, voter, review_id: int, helpful: bool) -> ReviewVote:
    """VOTER finds a review (not theirs, visible to them) helpful or not: one vote per person,
    which they may change. Raises DomainError NOT_FOUND, OWN_REVIEW."""
    review = _visible_review_of_other(review_id=review_id, user=voter)
    vote = ReviewVote.objects.select_for_update().filter(review=review, voter=voter).first()
    if vote is None:
        try:
            with transaction.atomic():
                vote = ReviewVote.objects.create(review=review, voter=voter, helpful=helpful)
        except IntegrityError:
            # A concurrent first vote of the same person won: change that one instead.
            vote = ReviewVote.objects.select_for_update().get(review=review, voter=voter)
        else:
            _vote_count(review=review, helpful=helpful, delta=1)
            return vote
    if vote.helpful != helpful:
        vote.helpful = helpful
        vote.save(update_fields=["helpful"])
        _vote_count(review=review, helpful=not helpful, delta=-1)
        _vote_count(review=review, helpful=helpful, delta=1)
    return vote


@transaction.atomic
def review_vote_delete(*, voter, review_id: int) -> bool:
    """VOTER takes their vote back; False when there was none."""
    vote = (
        ReviewVote.objects.select_for_update()
        .select_related("review")
        .filter(review_id=review_id, voter=voter)
        .first()
    )
    if vote is None:
        return False
    vote.delete()
    _vote_count(review=vote.review, helpful=vote.helpful, delta=-1)
    return True


@transaction.atomic
def review_report(*, reporter, review_id: int, reason: str, note: str = "") -> ReviewReport:
    """REPORTER reports a review (not theirs) with REASON: it joins the moderation queue.
    Raises DomainError NOT_FOUND, OWN_REVIEW, REASON_REQUIRED, ALREADY_REPORTED."""
    review = _visible_review_of_other(review_id=review_id, user=reporter)
    if reason not in ReviewReport.Reason.values:
        raise DomainError(
            "Choose why you report this review.", code=ReviewError.REASON_REQUIRED, field="reason"
        )
    try:
        with transaction.atomic():
            report = ReviewReport.objects.create(
                review=review, reporter=reporter, reason=reason, note=note.strip()[:500]
            )
    except IntegrityError:
        raise DomainError(
            "You have reported this review already.",
            code=ReviewError.ALREADY_REPORTED,
            field="review",
        ) from None
    Review.objects.filter(pk=review.pk).update(
        report_count=F("report_count") + 1, needs_moderation=True
    )
    return report
