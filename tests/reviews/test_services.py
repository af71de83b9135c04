import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reviews import services
from reviews.errors import ReviewError
from reviews.models import Review, ReviewRevision
from shop.core.errors import DomainError
from shop.core.images import image_verify
from tests.factories import ProductFactory, UserFactory, purchases_make
from tests.reviews.helpers import aggregates, recount, review_write

pytestmark = pytest.mark.django_db


def test_a_review_counts_into_its_products_aggregates():
    jacket = ProductFactory()
    review_write(UserFactory(), jacket, rating=5)
    review_write(UserFactory(), jacket, rating=3)

    assert aggregates(jacket) == recount(jacket)
    assert aggregates(jacket)["rating_count"] == 2
    assert aggregates(jacket)["rating_sum"] == 8
    assert aggregates(jacket)["rating_5"] == 1


def test_one_review_per_person_and_product():
    ana, jacket = UserFactory(), ProductFactory()
    review_write(ana, jacket)

    with pytest.raises(DomainError) as error:
        review_write(ana, jacket)

    assert error.value.code == ReviewError.ALREADY_REVIEWED
    assert aggregates(jacket)["rating_count"] == 1


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_is_one_to_five_stars(rating):
    with pytest.raises(DomainError) as error:
        review_write(UserFactory(), ProductFactory(), rating=rating)

    assert error.value.code == ReviewError.RATING_INVALID
    assert error.value.field == "rating"


def test_an_unpublished_product_cannot_be_reviewed():
    with pytest.raises(DomainError) as error:
        review_write(UserFactory(), ProductFactory(is_published=False))

    assert error.value.code == ReviewError.PRODUCT_NOT_AVAILABLE


def test_editing_keeps_the_earlier_version_and_moves_the_aggregates():
    ana, jacket = UserFactory(), ProductFactory()
    review = review_write(ana, jacket, rating=2, title="Meh")

    services.review_update(
        author=ana,
        review_id=review.pk,
        data=services.ReviewInput(rating=5, title="Grew on me", body="Better now."),
    )

    review.refresh_from_db()
    assert (review.rating, review.title, review.edit_count) == (5, "Grew on me", 1)
    revision = ReviewRevision.objects.get(review=review)
    assert (revision.rating, revision.title) == (2, "Meh")
    assert aggregates(jacket) == recount(jacket)
    assert aggregates(jacket)["rating_2"] == 0


def test_someone_else_cannot_edit_a_review():
    review = review_write(UserFactory(), ProductFactory())

    with pytest.raises(DomainError) as error:
        services.review_update(
            author=UserFactory(),
            review_id=review.pk,
            data=services.ReviewInput(rating=1, title="x", body="y"),
        )

    assert error.value.code == ReviewError.NOT_FOUND


def test_deleting_a_review_takes_its_rating_out():
    ana, jacket = UserFactory(), ProductFactory()
    review = review_write(ana, jacket, rating=4)

    services.review_delete(author=ana, review_id=review.pk)

    assert aggregates(jacket)["rating_count"] == 0
    assert aggregates(jacket)["rating_sum"] == 0


def test_a_buyer_with_a_shipped_line_is_a_verified_purchase():
    ana, ben, jacket = UserFactory(), UserFactory(), ProductFactory()
    purchases_make(ana, [jacket], status="delivered")
    purchases_make(ben, [jacket], status="paid")

    assert review_write(ana, jacket).verified_purchase is True
    assert review_write(ben, jacket).verified_purchase is False


def test_buyers_only_setting_refuses_other_reviewers(settings):
    settings.REVIEWS_BUYERS_ONLY = True
    ana, ben, jacket = UserFactory(), UserFactory(), ProductFactory()
    purchases_make(ana, [jacket], status="fulfilled")

    review_write(ana, jacket)
    with pytest.raises(DomainError) as error:
        review_write(ben, jacket)

    assert error.value.code == ReviewError.BUYERS_ONLY


def test_photos_are_re_encoded_without_their_exif():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    gps = exif.get_ifd(0x8825)  # where the photo was taken
    gps.update({1: "N", 2: (52.0, 22.0, 5.0), 3: "E", 4: (4.0, 53.0, 0.0)})
    Image.new("RGB", (60, 40), "red").save(out, "JPEG", exif=exif)
    with Image.open(io.BytesIO(out.getvalue())) as sent:
        assert sent.getexif().get_ifd(0x8825)[2] == (52.0, 22.0, 5.0)  # the upload has them
    photo = image_verify(
        SimpleUploadedFile("gps.jpg", out.getvalue(), "image/jpeg"), profile=services.REVIEW_PHOTO
    )

    review = services.review_create(
        author=UserFactory(),
        product_id=ProductFactory().pk,
        data=services.ReviewInput(rating=5, title="Red", body="Very red."),
        photos=[photo],
    )

    stored = review.photos.get()
    assert stored.image.name.endswith(".webp") and "gps" not in stored.image.name
    for kept in (stored.image, stored.thumbnail):
        with Image.open(kept.path) as image:
            assert not image.getexif() and not image.getexif().get_ifd(0x8825)
            assert "exif" not in image.info and "xmp" not in image.info
    assert stored.thumbnail
    assert review.photo_count == 1


def test_at_most_six_photos():
    with pytest.raises(DomainError) as error:
        review_write(UserFactory(), ProductFactory(), photos=7)

    assert error.value.code == ReviewError.TOO_MANY_PHOTOS
    assert not Review.objects.exists()


def test_a_review_photo_has_an_avatars_pixel_limit():
    big = io.BytesIO()
    Image.new("RGB", (5000, 3000)).save(big, "PNG")

    with pytest.raises(DomainError) as error:
        image_verify(
            SimpleUploadedFile("big.png", big.getvalue(), "image/png"),
            profile=services.REVIEW_PHOTO,
        )

    assert error.value.code == "image_too_many_pixels"


def test_a_word_of_the_list_sends_the_review_to_the_queue():
    flagged = review_write(UserFactory(), ProductFactory(), body="What a scam, honestly.")
    clean = review_write(UserFactory(), ProductFactory(), body="Whatever you do, buy it.")

    assert flagged.needs_moderation and "scam" in flagged.flag_reason
    assert not clean.needs_moderation


def test_votes_one_per_person_and_changeable():
    author, ben, jacket = UserFactory(), UserFactory(), ProductFactory()
    review = review_write(author, jacket)

    services.review_vote(voter=ben, review_id=review.pk, helpful=True)
    services.review_vote(voter=ben, review_id=review.pk, helpful=True)
    review.refresh_from_db()
    assert (review.helpful_count, review.unhelpful_count) == (1, 0)

    services.review_vote(voter=ben, review_id=review.pk, helpful=False)
    review.refresh_from_db()
    assert (review.helpful_count, review.unhelpful_count) == (0, 1)

    services.review_vote_delete(voter=ben, review_id=review.pk)
    review.refresh_from_db()
    assert (review.helpful_count, review.unhelpful_count) == (0, 0)


def test_no_vote_nor_report_on_your_own_review():
    author = UserFactory()
    review = review_write(author, ProductFactory())

    with pytest.raises(DomainError) as vote:
        services.review_vote(voter=author, review_id=review.pk, helpful=True)
    with pytest.raises(DomainError) as report:
        services.review_report(reporter=author, review_id=review.pk, reason="spam")

    assert vote.value.code == report.value.code == ReviewError.OWN_REVIEW


def test_a_report_puts_the_review_in_the_queue_once_per_person():
    review = review_write(UserFactory(), ProductFactory())
    ben = UserFactory()

    services.review_report(reporter=ben, review_id=review.pk, reason="spam", note="An advert")
    with pytest.raises(DomainError) as again:
        services.review_report(reporter=ben, review_id=review.pk, reason="spam")

    review.refresh_from_db()
    assert review.needs_moderation and review.report_count == 1
    assert again.value.code == ReviewError.ALREADY_REPORTED


def test_a_report_needs_a_known_reason():
    review = review_write(UserFactory(), ProductFactory())

    with pytest.raises(DomainError) as error:
        services.review_report(reporter=UserFactory(), review_id=review.pk, reason="bored")

    assert error.value.code == ReviewError.REASON_REQUIRED
    assert error.value.field == "reason"


def test_erasing_an_account_takes_its_reviews_out_of_the_aggregates():
    from reviews.personal_data import reviews_erase

    ana, jacket = UserFactory(), ProductFactory()
    review_write(ana, jacket, rating=1)
    review_write(UserFactory(), jacket, rating=5)

    reviews_erase(ana)

    assert aggregates(jacket) == recount(jacket)
    assert aggregates(jacket)["rating_count"] == 1
