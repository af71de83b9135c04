"""The reviews app's part of "download my data" and "delete my account": a person's reviews
(with their edits), votes and reports. Erasing deletes the reviews through the services (each
leaving its product's aggregates) and the votes and reports (their counters kept: they were
counted when cast)."""

from reviews.models import Review, ReviewReport, ReviewVote


def reviews_export(user) -> dict:
    reviews = (
        Review.objects.filter(author_id=user.pk)
        .select_related("product")
        .prefetch_related("revisions")
        .order_by("created_at", "id")
    )
    votes = ReviewVote.objects.filter(voter_id=user.pk).order_by("created_at", "id")
    reports = ReviewReport.objects.filter(reporter_id=user.pk).order_by("created_at", "id")
    return {
        "reviews": [
            {
                "product": review.product.title,
                "rating": review.rating,
                "title": review.title,
                "text": review.body,
                "verified_purchase": review.verified_purchase,
                "hidden": review.is_hidden,
                "at": review.created_at.isoformat(),
                "earlier_versions": [
                    {"rating": r.rating, "title": r.title, "text": r.body}
                    for r in review.revisions.all()
                ],
            }
            for review in reviews
        ],
        "votes": [{"review": v.review_id, "helpful": v.helpful} for v in votes],
        "reports": [{"review": r.review_id, "reason": r.reason, "note": r.note} for r in reports],
    }


def reviews_erase(user) -> None:
    from reviews.services import reviews_of_user_erase

    reviews_of_user_erase(user=user)
    ReviewVote.objects.filter(voter_id=user.pk).delete()
    ReviewReport.objects.filter(reporter_id=user.pk).delete()
