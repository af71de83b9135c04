"""Liking and unliking: the like, its product's count and its activity change together,
once, whatever is repeated; the friends who bought the product hear of it."""

import pytest

from shop.core.errors import DomainError
from social.feed.models import Activity
from social.likes import services
from social.likes.errors import LikeError
from social.likes.models import Like, ProductLikeCount
from social.notifications.models import Notification
from tests.factories import (
    ProductFactory,
    UserFactory,
    friends_make,
    privacy_set,
    purchases_make,
)

pytestmark = pytest.mark.django_db


def _count(product) -> int:
    row = ProductLikeCount.objects.filter(product=product).first()
    return row.count if row else 0


def _like(user, product, capture):
    with capture(execute=True):
        return services.like_create(user=user, product=product)


def test_liking_makes_the_like_counts_it_and_records_an_activity(
    django_capture_on_commit_callbacks,
):
    ana, jacket = UserFactory(), ProductFactory(title="Trail Jacket")

    result = _like(ana, jacket, django_capture_on_commit_callbacks)

    assert result.changed is True
    assert Like.objects.filter(user=ana, product=jacket).count() == 1
    assert _count(jacket) == 1
    activity = Activity.objects.get(verb="like", actor=ana)
    assert activity.product_id == jacket.pk
    assert activity.snapshot["title"] == "Trail Jacket"
    assert activity.visibility == "friends"  # the default likes setting
    assert activity.dedupe_key == f"like:{result.like.pk}"


def test_liking_twice_changes_nothing_the_second_time(django_capture_on_commit_callbacks):
    ana, jacket = UserFactory(), ProductFactory()
    _like(ana, jacket, django_capture_on_commit_callbacks)

    again = _like(ana, jacket, django_capture_on_commit_callbacks)

    assert again.changed is False
    assert Like.objects.filter(product=jacket).count() == 1
    assert _count(jacket) == 1
    assert Activity.objects.filter(verb="like").count() == 1


def test_the_activity_follows_the_likers_likes_setting(django_capture_on_commit_callbacks):
    ana, jacket = UserFactory(), ProductFactory()
    privacy_set(ana, likes="public")

    _like(ana, jacket, django_capture_on_commit_callbacks)

    assert Activity.objects.get(verb="like").visibility == "public"


def test_two_people_liking_count_two(django_capture_on_commit_callbacks):
    jacket = ProductFactory()

    for person in UserFactory.create_batch(2):
        _like(person, jacket, django_capture_on_commit_callbacks)

    assert _count(jacket) == 2


def test_unliking_removes_the_like_its_count_and_its_activity(django_capture_on_commit_callbacks):
    ana, ben, jacket = UserFactory(), UserFactory(), ProductFactory()
    _like(ana, jacket, django_capture_on_commit_callbacks)
    _like(ben, jacket, django_capture_on_commit_callbacks)

    result = services.like_delete(user=ana, product=jacket)

    assert result.changed is True
    assert not Like.objects.filter(user=ana).exists()
    assert _count(jacket) == 1
    assert list(Activity.objects.filter(verb="like").values_list("actor_id", flat=True)) == [ben.pk]


def test_unliking_what_one_does_not_like_changes_nothing(django_capture_on_commit_callbacks):
    ana, ben, jacket = UserFactory(), UserFactory(), ProductFactory()
    _like(ben, jacket, django_capture_on_commit_callbacks)

    first = services.like_delete(user=ana, product=jacket)
    services.like_delete(user=ben, product=jacket)
    second = services.like_delete(user=ben, product=jacket)

    assert first.changed is False and second.changed is False
    assert _count(jacket) == 0


def test_an_unpublished_product_cannot_be_liked():
    ana, draft = UserFactory(), ProductFactory(is_published=False)

    with pytest.raises(DomainError) as error:
        services.like_create(user=ana, product=draft)

    assert error.value.code == LikeError.PRODUCT_NOT_AVAILABLE
    assert error.value.field == "product"
    assert not Like.objects.exists()
    assert _count(draft) == 0


def test_liking_again_after_unliking_counts_one(django_capture_on_commit_callbacks):
    ana, jacket = UserFactory(), ProductFactory()
    _like(ana, jacket, django_capture_on_commit_callbacks)
    services.like_delete(user=ana, product=jacket)

    _like(ana, jacket, django_capture_on_commit_callbacks)

    assert _count(jacket) == 1
    assert Activity.objects.filter(verb="like").count() == 1


# --- "Ben liked Trail Jacket, which you bought" --------------------------------------------


@pytest.fixture
def bought():
    """Ben and Ana are friends; Ana bought the Trail Jacket and shares purchases with friends."""
    ben = UserFactory(username="ben", display_name="Ben")
    ana = UserFactory(username="ana", display_name="Ana")
    friends_make(ben, ana)
    jacket = ProductFactory(title="Trail Jacket")
    purchases_make(ana, [jacket])
    privacy_set(ana, purchases="friends")
    return ben, ana, jacket


def test_the_friend_who_bought_it_is_told_once(bought, django_capture_on_commit_callbacks):
    ben, ana, jacket = bought

    _like(ben, jacket, django_capture_on_commit_callbacks)
    services.like_delete(user=ben, product=jacket)
    _like(ben, jacket, django_capture_on_commit_callbacks)

    notification = Notification.objects.get(recipient=ana)
    assert notification.kind == services.LIKE_BOUGHT_KIND
    assert notification.actor_id == ben.pk
    assert notification.url == jacket.get_absolute_url()
    from social.notifications.kinds import notification_kind_get

    assert (
        notification_kind_get(notification.kind).render(actor="Ben", data=notification.data)
        == "Ben liked Trail Jacket, which you bought"
    )


def test_a_buyer_who_keeps_purchases_private_is_not_told(
    bought, django_capture_on_commit_callbacks
):
    ben, ana, jacket = bought
    privacy_set(ana, purchases="private")

    _like(ben, jacket, django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(recipient=ana).exists()


def test_a_liker_who_keeps_likes_private_tells_nobody(bought, django_capture_on_commit_callbacks):
    ben, ana, jacket = bought
    privacy_set(ben, likes="private")

    _like(ben, jacket, django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(recipient=ana).exists()


@pytest.mark.parametrize("status", ["pending_payment", "cancelled", "refunded"])
def test_an_order_not_paid_or_given_back_is_not_a_purchase(
    status, django_capture_on_commit_callbacks
):
    ben, ana, jacket = UserFactory(), UserFactory(), ProductFactory()
    friends_make(ben, ana)
    purchases_make(ana, [jacket], status=status)
    privacy_set(ana, purchases="friends")

    _like(ben, jacket, django_capture_on_commit_callbacks)

    assert not Notification.objects.exists()


def test_a_buyer_who_is_not_a_friend_is_not_told(django_capture_on_commit_callbacks):
    ben, stranger, jacket = UserFactory(), UserFactory(), ProductFactory()
    purchases_make(stranger, [jacket])
    privacy_set(stranger, purchases="public")

    _like(ben, jacket, django_capture_on_commit_callbacks)

    assert not Notification.objects.exists()


def test_erasing_a_person_takes_their_likes_from_the_counts(django_capture_on_commit_callbacks):
    ana, ben, jacket = UserFactory(), UserFactory(), ProductFactory()
    _like(ana, jacket, django_capture_on_commit_callbacks)
    _like(ben, jacket, django_capture_on_commit_callbacks)

    services.likes_of_user_erase(user=ana)

    assert _count(jacket) == 1
    assert not Like.objects.filter(user=ana).exists()
    assert not Activity.objects.filter(actor=ana).exists()
