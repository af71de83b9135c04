"""What the reviews tests share: a review written the short way, a product's recount."""

from django.core.files.uploadedfile import SimpleUploadedFile

from reviews import services
from reviews.models import Review
from shop.core.images import image_verify
from tests.factories import image_bytes


def review_write(author, product, *, rating=4, title="Good", body="Does the job.", photos=0, **kw):
    data = services.ReviewInput(rating=rating, title=title, body=body, **kw)
    verified = [
        image_verify(
            SimpleUploadedFile(f"p{i}.png", image_bytes(size=(40, 30)), "image/png"),
            profile=services.REVIEW_PHOTO,
        )
        for i in range(photos)
    ]
    return services.review_create(author=author, product_id=product.pk, data=data, photos=verified)


def recount(product) -> dict:
    """The aggregates a product should have, counted from its visible reviews."""
    ratings = list(
        Review.objects.filter(product=product, is_hidden=False).values_list("rating", flat=True)
    )
    return {
        "rating_count": len(ratings),
        "rating_sum": sum(ratings),
        **{f"rating_{s}": ratings.count(s) for s in (1, 2, 3, 4, 5)},
    }


def aggregates(product) -> dict:
    product.refresh_from_db()
    return {
        "rating_count": product.rating_count,
        "rating_sum": product.rating_sum,
        **{f"rating_{s}": getattr(product, f"rating_{s}") for s in (1, 2, 3, 4, 5)},
    }
