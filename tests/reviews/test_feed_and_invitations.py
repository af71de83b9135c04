from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reviews import invitations, moderation, services
from reviews.activity import review_activity_key
from reviews.models import ReviewInvitation
from shop.orders.models import OrderTransition
from social.feed.models import Activity
from social.feed.selectors import feed_extras_for
from tests.factories import ProductFactory, UserFactory, purchases_make
from tests.reviews.helpers import review_write

pytestmark = pytest.mark.django_db


def _activity(review):
    return Activity.objects.filter(dedupe_key=review_activity_key(review.pk)).first()


def test_a_review_is_an_activity_at_its_feed_visibility_with_its_badge_and_photos():
    ana, jacket = UserFactory(), ProductFactory(title="Trail Jacket")
    purchases_make(ana, [jacket], status="delivered")

    review = review_write(ana, jacket, rating=5, title="Superb", photos=2, feed_visibility="public")

    activity = _activity(review)
    assert (activity.verb, activity.visibility, activity.actor) == ("review", "public", ana)
    card = feed_extras_for(viewer=UserFactory(), activities=[activity])[activity.pk]
    assert "Superb" in card and "Verified purchase" in card
    assert card.count("<img") == 2


def test_hiding_or_deleting_a_review_removes_its_activity():
    ana = UserFactory()
    hidden = review_write(ana, ProductFactory())
    deleted = review_write(ana, ProductFactory())

    moderation.review_hide(review_id=hidden.pk, by=UserFactory(is_superuser=True), reason="x")
    services.review_delete(author=ana, review_id=deleted.pk)

    assert _activity(hidden) is None and _activity(deleted) is None


def _delivered(customer, product, *, days_ago: int):
    order = purchases_make(customer, [product], status="delivered")
    OrderTransition.objects.create(
        order=order, from_status="fulfilled", to_status="delivered", by=None
    )
    OrderTransition.objects.filter(order=order).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return order


def test_a_buyer_is_invited_once_a_few_days_after_delivery(
    settings, django_capture_on_commit_callbacks
):
    settings.REVIEWS_INVITE_AFTER_DAYS = 5
    ana, jacket = UserFactory(), ProductFactory(title="Trail Jacket")
    _delivered(ana, jacket, days_ago=6)
    _delivered(UserFactory(), ProductFactory(), days_ago=2)  # too early

    with django_capture_on_commit_callbacks(execute=True):
        first = invitations.invitations_send()
    with django_capture_on_commit_callbacks(execute=True):
        second = invitations.invitations_send()

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ana.email] and "Trail Jacket" in mail.outbox[0].subject
    assert f"/products/{jacket.slug}/reviews/write/?invite=" in mail.outbox[0].body
    assert ReviewInvitation.objects.get().emailed_at is not None


def test_the_email_is_sent_once_even_if_its_task_runs_twice(django_capture_on_commit_callbacks):
    ana, jacket = UserFactory(), ProductFactory()
    _delivered(ana, jacket, days_ago=6)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send()
    invitation = ReviewInvitation.objects.get()

    again = invitations.invitation_email_send(invitation_id=invitation.pk)

    assert again is False and len(mail.outbox) == 1


def test_someone_who_reviewed_already_is_not_invited(django_capture_on_commit_callbacks):
    ana, jacket = UserFactory(), ProductFactory()
    _delivered(ana, jacket, days_ago=6)
    review_write(ana, jacket)

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.invitations_send() == 0


def test_the_signed_link_opens_the_form_for_its_buyer_only(client):
    ana, jacket = UserFactory(), ProductFactory()
    token = invitations.invitation_token(line_id=1, user_id=ana.pk)
    client.force_login(ana)

    page = client.get(f"/products/{jacket.slug}/reviews/write/", {"invite": token})
    forged = client.get(f"/products/{jacket.slug}/reviews/write/", {"invite": token + "x"})

    assert "Thanks for your order" in page.content.decode()
    assert "Thanks for your order" not in forged.content.decode()
    assert invitations.invitation_read(token=token, user=UserFactory()) is False
