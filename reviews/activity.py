"""A review as an activity of the feed (verb REVIEW), at the reviewer's chosen visibility.

The snapshot carries what the feed card shows: the product, stars, title, "verified purchase"
and the photos' thumbnails. A hidden or deleted review takes its activity with it (from every
feed); an edit records it again with the new text.
"""

from django.conf import settings

from reviews.models import Review


def review_activity_key(review_id: int) -> str:
    return f"review:{review_id}"


def review_activity_record(*, review: Review, product) -> None:
    from social.feed.models import Activity
    from social.feed.services import activity_record, product_snapshot

    snapshot = product_snapshot(product, price=None, currency=settings.STORE_CURRENCY)
    snapshot["review"] = {
        "id": review.pk,
        "rating": review.rating,
        "title": review.title,
        "body": review.body[:280],
        "verified": review.verified_purchase,
        "photos": [photo.thumbnail.url for photo in review.photos.all() if photo.thumbnail][:6],
    }
    activity_record(
        verb=Activity.Verb.REVIEW,
        actor=review.author,
        product=product,
        snapshot=snapshot,
        visibility=review.feed_visibility,
        dedupe_key=review_activity_key(review.pk),
    )


def review_activity_delete(*, review_id: int) -> None:
    from social.feed.services import activity_delete

    activity_delete(dedupe_key=review_activity_key(review_id))
