import pytest

from reviews import moderation
from reviews.errors import ReviewError
from reviews.models import ReviewModeration
from shop.catalog.services import merchant_staff_add
from shop.core.errors import DomainError
from social.notifications.models import Notification
from tests.factories import MerchantFactory, ProductFactory, UserFactory
from tests.reviews.helpers import aggregates, recount, review_write

pytestmark = pytest.mark.django_db


def test_hiding_takes_the_rating_out_and_tells_the_author_why():
    operator = UserFactory(is_staff=True, is_superuser=True)
    ana, jacket = UserFactory(), ProductFactory()
    review = review_write(ana, jacket, rating=1)
    review_write(UserFactory(), jacket, rating=5)

    moderation.review_hide(review_id=review.pk, by=operator, reason="Insults the seller")

    assert aggregates(jacket) == recount(jacket)
    assert aggregates(jacket)["rating_count"] == 1
    note = Notification.objects.get(recipient=ana, kind=moderation.HIDDEN_KIND)
    assert "Insults the seller" in str(note.data)
    assert ReviewModeration.objects.get(review=review).action == "hide"


def test_restoring_counts_it_again():
    operator = UserFactory(is_superuser=True)
    jacket = ProductFactory()
    review = review_write(UserFactory(), jacket, rating=2)
    moderation.review_hide(review_id=review.pk, by=operator, reason="Checking")

    moderation.review_restore(review_id=review.pk, by=operator, reason="It was fine")

    assert aggregates(jacket)["rating_count"] == 1
    assert aggregates(jacket) == recount(jacket)


def test_hiding_needs_a_reason_and_happens_once():
    operator = UserFactory(is_superuser=True)
    review = review_write(UserFactory(), ProductFactory())

    with pytest.raises(DomainError) as no_reason:
        moderation.review_hide(review_id=review.pk, by=operator, reason=" ")
    moderation.review_hide(review_id=review.pk, by=operator, reason="Spam")
    with pytest.raises(DomainError) as twice:
        moderation.review_hide(review_id=review.pk, by=operator, reason="Spam")

    assert no_reason.value.code == ReviewError.REASON_REQUIRED
    assert twice.value.code == ReviewError.ALREADY_HIDDEN
    assert aggregates(review.product)["rating_count"] == 0


def test_merchant_staff_reply_to_their_products_reviews_and_the_reviewer_is_told():
    shop_a = MerchantFactory()
    staff = UserFactory()
    merchant_staff_add(merchant=shop_a, user=staff)
    ana = UserFactory()
    review = review_write(ana, ProductFactory(merchant=shop_a))

    moderation.review_reply_save(review_id=review.pk, by=staff, body="Thank you!")
    reply = moderation.review_reply_save(review_id=review.pk, by=staff, body="Thanks a lot!")

    assert reply.body == "Thanks a lot!"
    assert Notification.objects.filter(recipient=ana, kind=moderation.REPLIED_KIND).count() == 1


def test_merchant_staff_cannot_reply_to_another_merchants_reviews():
    staff = UserFactory()
    merchant_staff_add(merchant=MerchantFactory(), user=staff)
    review = review_write(UserFactory(), ProductFactory(merchant=MerchantFactory()))

    with pytest.raises(DomainError) as error:
        moderation.review_reply_save(review_id=review.pk, by=staff, body="Hello")

    assert error.value.code == ReviewError.NOT_YOUR_MERCHANT
