"""Every read of reviews: a product's reviews for a viewer (filters, sorts, friends first),
its rating summary, whether a person's purchase is verified, the moderation queue.

Hidden reviews are never returned to shoppers (only to operators in admin). A review by
someone blocked either way with the viewer is left out (a block hides everything). A
reviewer's name follows their privacy setting (PrivacySettings.reviews_show_name): hidden, it
reads "a verified buyer" (or "a shopper"), and such a review is never put first as a friend's.
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from reviews.errors import ReviewError
from reviews.models import Review, ReviewPhoto, ReviewVote
from shop.core.errors import DomainError
from social.graph.selectors import viewer_signed_in

SORTS = {
    "helpful": ("Most helpful", ["-helpful_count", "-created_at", "-id"]),
    "newest": ("Newest", ["-created_at", "-id"]),
    "highest": ("Highest rating", ["-rating", "-created_at", "-id"]),
    "lowest": ("Lowest rating", ["rating", "-created_at", "-id"]),
}
DEFAULT_SORT = "helpful"
PAGE_SIZE = 10


@dataclass(frozen=True)
class ReviewFilters:
    stars: int | None = None
    with_photos: bool = False
    verified: bool = False
    sort: str = DEFAULT_SORT

    @classmethod
    def from_params(cls, params) -> "ReviewFilters":
        """Read ?stars=&photos=1&verified=1&sort= leniently: an unknown value is no filter."""
        raw_stars = (params.get("stars") or "").strip()
        stars = int(raw_stars) if raw_stars in {"1", "2", "3", "4", "5"} else None
        sort = (params.get("sort") or "").strip()
        return cls(
            stars=stars,
            with_photos=(params.get("photos") or "") in {"1", "true", "on"},
            verified=(params.get("verified") or "") in {"1", "true", "on"},
            sort=sort if sort in SORTS else DEFAULT_SORT,
        )


@dataclass(frozen=True)
class StarBar:
    stars: int
    count: int
    percent: int


@dataclass(frozen=True)
class RatingSummary:
    count: int
    average: float | None
    bars: list[StarBar]


def rating_summary(product) -> RatingSummary:
    """The product's rating from its kept aggregates (no query)."""
    count = product.rating_count
    bars = [
        StarBar(
            stars=stars,
            count=getattr(product, f"rating_{stars}"),
            percent=round(100 * getattr(product, f"rating_{stars}") / count) if count else 0,
        )
        for stars in (5, 4, 3, 2, 1)
    ]
    average = round(product.rating_sum / count, 1) if count else None
    return RatingSummary(count=count, average=average, bars=bars)


def product_for_review(*, product_id: int):
    """The published product to review; raises DomainError PRODUCT_NOT_AVAILABLE."""
    from django.http import Http404

    from shop.catalog.selectors import product_brief_get

    try:
        return product_brief_get(product_id=product_id)
    except Http404:
        raise DomainError(
            "This product is not available.",
            code=ReviewError.PRODUCT_NOT_AVAILABLE,
            field="product",
        ) from None


def purchase_verified(*, user_id: int, product_id: int) -> bool:
    """Whether USER_ID has a shipped or delivered order line of PRODUCT_ID."""
    from shop.orders.selectors import order_lines_shipped_to

    return order_lines_shipped_to(customer_id=user_id, product_id=product_id).exists()


def review_visible_to(*, review: Review, viewer) -> bool:
    """Whether VIEWER may see REVIEW: not hidden, no block either way with its author."""
    from social.graph.selectors import is_blocked_either_way

    if review.is_hidden:
        return False
    if not viewer_signed_in(viewer) or viewer.pk == review.author_id:
        return True
    return not is_blocked_either_way(user=viewer, other=review.author)


def _visible(queryset: QuerySet, *, viewer) -> QuerySet:
    from social.graph.selectors import without_blocked

    return without_blocked(queryset.filter(is_hidden=False), viewer=viewer, person_field="author")


def reviews_for_product(*, product_id: int, viewer, filters: ReviewFilters) -> QuerySet[Review]:
    """The visible reviews of PRODUCT_ID for VIEWER, filtered and sorted by FILTERS, with
    author (and their name setting), reply, photos and VIEWER's own vote loaded; a signed-in
    viewer's friends who show their name come first (is_friend)."""
    from social.graph.models import Friendship

    queryset = _visible(Review.objects.filter(product_id=product_id), viewer=viewer)
    if filters.stars is not None:
        queryset = queryset.filter(rating=filters.stars)
    if filters.with_photos:
        queryset = queryset.filter(photo_count__gt=0)
    if filters.verified:
        queryset = queryset.filter(verified_purchase=True)
    queryset = queryset.select_related("author", "reply__merchant").annotate(
        shows_name=Coalesce("author__privacy__reviews_show_name", Value(True))
    )
    queryset = queryset.prefetch_related(
        Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "id"))
    )
    ordering = list(SORTS[filters.sort][1])
    if viewer_signed_in(viewer):
        friend = Exists(Friendship.objects.filter(user_id=viewer.pk, friend_id=OuterRef("author")))
        queryset = queryset.annotate(
            is_friend=Case(
                When(friend, shows_name=True, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            viewer_vote=Subquery(
                ReviewVote.objects.filter(review=OuterRef("pk"), voter_id=viewer.pk).values(
                    "helpful"
                )[:1]
            ),
        )
        ordering.insert(0, "-is_friend")
    else:
        queryset = queryset.annotate(
            is_friend=Value(False, output_field=BooleanField()),
            viewer_vote=Value(None, output_field=BooleanField()),
        )
    return queryset.order_by(*ordering)


def review_author_label(review: Review) -> str:
    """What a review says of its author: "Your friend Ana", "Ana", or "a verified buyer" /
    "a shopper" when they hide their name (needs reviews_for_product's annotations)."""
    if not getattr(review, "shows_name", True):
        return "A verified buyer" if review.verified_purchase else "A shopper"
    name = review.author.public_name
    return f"Your friend {name}" if getattr(review, "is_friend", False) else name


def review_get_for_viewer(*, review_id: int, viewer) -> Review:
    """A review VIEWER may see; raises DomainError NOT_FOUND."""
    review = Review.objects.select_related("author", "product").filter(pk=review_id).first()
    if review is None or not review_visible_to(review=review, viewer=viewer):
        raise DomainError("No such review.", code=ReviewError.NOT_FOUND, field="review")
    return review


def review_of_author(*, author, product_id: int) -> Review | None:
    """AUTHOR's review of PRODUCT_ID (hidden or not), with its photos."""
    return (
        Review.objects.filter(author_id=author.pk, product_id=product_id)
        .prefetch_related("photos")
        .first()
    )


def moderation_queue() -> QuerySet[Review]:
    """Reviews waiting for an operator: reported or caught by the word list."""
    return Review.objects.filter(needs_moderation=True).order_by("-created_at")


def review_for_vote_block(*, review_id: int, viewer) -> Review | None:
    """A review's counters and VIEWER's vote, to redraw its vote buttons."""
    return (
        Review.objects.filter(pk=review_id, is_hidden=False)
        .annotate(
            viewer_vote=Subquery(
                ReviewVote.objects.filter(review=OuterRef("pk"), voter_id=viewer.pk).values(
                    "helpful"
                )[:1]
            )
        )
        .first()
    )


def product_slug(*, product_id: int) -> str | None:
    """The slug of product PRODUCT_ID (published or not), None if there is none: one query."""
    from shop.catalog.models import Product

    return Product.objects.filter(pk=product_id).values_list("slug", flat=True).first()
