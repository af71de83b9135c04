"""Reviews of the demo shop: the newest products carry believable reviews (a few with photos,
some verified purchases, several by the demo shopper's friends so their product pages put
"Your friend …" first), one merchant's reply, and one reported review waiting in the
operators' queue. Written through the reviews' services (aggregates, activities, the word
list), as the site writes them.

Two of the shopper's friends get a delivered order first (through the orders' services, as
the shopper's own history does), so their reviews of what they bought are verified.

Idempotent: one review per (person, product) is the service's own rule, and a report or a
reply already there is not made again, so a second run writes nothing.
"""

from collections import Counter
from itertools import zip_longest

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demo import specs
from demo.community import community_spec
from demo.history import delivered_order_ensure
from demo.plan import ProductPlan
from reviews import moderation, services
from reviews.models import Review, ReviewReply, ReviewReport
from shop.catalog.models import Product
from shop.core.images import image_verify

# The newest products (the home page's first) get reviews; PER_PRODUCT reviewers each.
PRODUCTS = 8
PER_PRODUCT = (4, 3, 5, 2, 3, 4, 2, 3)
# Friends of the shopper who bought something (their reviews are verified purchases).
BUYERS = 2
RATINGS = (5, 4, 5, 3, 4, 5, 2, 4, 5, 1, 4, 3)
WORDS = {
    5: [
        ("Exactly what I hoped for", "Well made and arrived quickly. I use it every day."),
        ("Love it", "Great quality for the price; it looks even better than in the photos."),
        ("Would buy again", "Sturdy, nicely finished, and the size is just right."),
    ],
    4: [
        ("Very good", "Solid and practical. Only the packaging could use less plastic."),
        ("Happy with it", "Does the job well; the colour is a touch darker than shown."),
    ],
    3: [("Fine, not amazing", "It works, but I expected a bit more for the money.")],
    2: [("Disappointing", "The finish scratched within a week. Customer service was kind.")],
    1: [("Not for me", "Smaller than I thought and it wobbles. Sent it back.")],
}
# The review reported to the operators: a reviewer who is no friend of the shopper.
REPORTED = ("Best deal ever!!!", "Visit my page for a cheaper one, link in my profile.")


def _photo(product: Product, *, count: int):
    image = next(iter(product.images.all()), None)
    if image is None or not count:
        return []
    stored = image.thumbnail or image.image
    with stored.open("rb") as file:
        data = file.read()
    return [
        image_verify(
            SimpleUploadedFile(f"demo-{n}.webp", data, "image/webp"),
            profile=services.REVIEW_PHOTO,
        )
        for n in range(count)
    ]


def _review(created: Counter, *, author, product, rating: int, n: int, photos: int = 0):
    if Review.objects.filter(author=author, product=product).exists():
        return None
    title, body = WORDS[rating][n % len(WORDS[rating])]
    review = services.review_create(
        author=author,
        product_id=product.pk,
        data=services.ReviewInput(rating=rating, title=title, body=body),
        photos=_photo(product, count=photos),
    )
    created["reviews"] += 1
    return review


def reviews_build(*, created: Counter, plans: list[ProductPlan]) -> None:
    """Make whatever of the demo reviews is missing."""
    spec = community_spec()
    users = get_user_model().objects.in_bulk(
        [spec.shopper, *(p.username for p in spec.people)], field_name="username"
    )
    shopper = users.get(spec.shopper)
    if shopper is None:
        return
    friends = [users[name] for name in spec.friends if name in users]
    others = [u for name, u in sorted(users.items()) if name != spec.shopper and u not in friends]
    # Friends and others in turn: a product's reviews are by both, friends first to the shopper.
    people = [p for pair in zip_longest(friends, others) for p in pair if p is not None]
    products = list(
        Product.objects.filter(is_published=True)
        .prefetch_related("images")
        .order_by("-created_at", "-pk")[:PRODUCTS]
    )
    if not products or not people:
        return
    shopper_spec = specs.account(spec.shopper)
    # The last friends: robin, the first, buys from a merchant of his own (demo.reputation).
    for buyer in friends[-BUYERS:]:
        order = delivered_order_ensure(
            user=buyer, account=shopper_spec, plans=plans, created=created, now=timezone.now()
        )
        for line in order.lines.select_related("variant__product") if order else []:
            product = line.variant.product
            _review(created, author=buyer, product=product, rating=5, n=buyer.pk, photos=1)
    made = 0
    for index, product in enumerate(products):
        for k in range(PER_PRODUCT[index % len(PER_PRODUCT)]):
            author = people[(index * 3 + k) % len(people)]
            rating = RATINGS[(index + k) % len(RATINGS)]
            photos = 1 + (made % 2) if made % 3 == 0 else 0
            if _review(
                created, author=author, product=product, rating=rating, n=made, photos=photos
            ):
                made += 1
    _reply_and_report(created, products=products, others=others, shopper=shopper)


def _reply_and_report(created: Counter, *, products, others, shopper) -> None:
    first = Review.objects.filter(product=products[0], is_hidden=False).order_by("rating", "pk")
    low = first.first()
    if low is not None and not ReviewReply.objects.filter(review=low).exists():
        staff = products[0].merchant.staff.order_by("pk").first()
        if staff is not None:
            moderation.review_reply_save(
                review_id=low.pk,
                by=staff,
                body="Thank you for telling us. We have written to you to put it right.",
            )
            created["review replies"] += 1
    if not others:
        return
    spammer, product = others[-1], products[-1]
    review = Review.objects.filter(author=spammer, product=product).first()
    if review is None:
        review = services.review_create(
            author=spammer,
            product_id=product.pk,
            data=services.ReviewInput(rating=5, title=REPORTED[0], body=REPORTED[1]),
        )
        created["reviews"] += 1
    if not ReviewReport.objects.filter(review=review).exists():
        services.review_report(
            reporter=shopper, review_id=review.pk, reason="spam", note="An advert, not a review."
        )
        created["review reports"] += 1
