"""Under a "reviewed" entry of the feed: the stars, title, "verified purchase" and the photos,
from the activity's snapshot (no query)."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def review_feed_extra(*, viewer, activities) -> dict[int, str]:
    shown = {}
    for activity in activities:
        review = (activity.snapshot or {}).get("review")
        if not isinstance(review, dict):
            continue
        shown[activity.pk] = mark_safe(
            render_to_string(
                "reviews/feed_review.html",
                {"review": review, "product_url": (activity.snapshot or {}).get("url", "")},
            )
        )
    return shown
