"""Emails: at once or in the daily digest, each with a one-click unsubscribe (RFC 8058)."""

import re

import pytest
from django.core import mail
from django.test import Client

from social.graph import services as graph
from social.notifications import emails, selectors, services
from social.notifications.models import Delivery, Notification
from social.notifications.standard_kinds import FRIEND_REQUEST_ACCEPTED, ORDER_SHIPPED
from social.notifications.unsubscribe import unsubscribe_token
from tests.factories import UserFactory
from tests.social.notifications.helpers import accepted_by, order_shipped

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"<(https?://[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_an_immediate_email_carries_the_one_click_unsubscribe_headers_and_link(
    django_capture_on_commit_callbacks,
):
    ben = UserFactory(display_name="Ben")
    with django_capture_on_commit_callbacks(execute=True):
        accepted_by(ben, UserFactory(display_name="Ana"))

    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = _link(message)
    assert "/notifications/unsubscribe/" in link
    assert link in message.body
    assert link in message.alternatives[0][0]
    assert "Ana accepted your friend request" in message.body


def test_the_unsubscribe_link_asks_to_confirm_then_turns_the_kind_off_without_login():
    ben = UserFactory()
    path = _path(
        "http://x/notifications/unsubscribe/"
        + unsubscribe_token(user_id=ben.pk, kinds=[FRIEND_REQUEST_ACCEPTED])
        + "/"
    )
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get(path)
    assert page.status_code == 200
    assert "someone accepts my friend request" in page.content.decode()
    assert selectors.preferences_get(user=ben)[FRIEND_REQUEST_ACCEPTED] == Delivery.IMMEDIATE

    done = visitor.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert selectors.preferences_get(user=ben)[FRIEND_REQUEST_ACCEPTED] == Delivery.OFF


def test_a_tampered_unsubscribe_token_is_a_400_page_and_changes_nothing():
    ben = UserFactory()
    token = unsubscribe_token(user_id=ben.pk, kinds=[FRIEND_REQUEST_ACCEPTED])
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/notifications/unsubscribe/{tampered}/")
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.content.decode()
    assert selectors.preferences_get(user=ben)[FRIEND_REQUEST_ACCEPTED] == Delivery.IMMEDIATE


def test_daily_kinds_wait_for_one_digest_which_is_sent_once():
    ben = UserFactory(display_name="Ben")
    services.preferences_update(
        user=ben,
        deliveries={FRIEND_REQUEST_ACCEPTED: Delivery.DAILY, ORDER_SHIPPED: Delivery.DAILY},
    )
    accepted_by(ben, UserFactory(display_name="Ana"))
    accepted_by(ben, UserFactory(display_name="Dan"))
    order_shipped(ben, number="AG-9")
    assert mail.outbox == []

    assert emails.notification_digests_deliver() == 1
    assert emails.notification_digests_deliver() == 0

    (message,) = mail.outbox
    assert message.subject == "Your daily digest: 2 new notifications"
    assert "Your order AG-9 has shipped" in message.body
    assert "Dan and Ana accepted your friend requests" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    response = Client().post(_path(_link(message)))
    assert response.status_code == 200
    deliveries = selectors.preferences_get(user=ben)
    assert deliveries[FRIEND_REQUEST_ACCEPTED] == deliveries[ORDER_SHIPPED] == Delivery.OFF


def test_the_digest_leaves_out_someone_blocked_meanwhile():
    ben, ana = UserFactory(), UserFactory(display_name="Ana")
    services.preferences_update(user=ben, deliveries={FRIEND_REQUEST_ACCEPTED: Delivery.DAILY})
    notification = accepted_by(ben, ana)
    graph.person_block(blocker=ben, person=ana)

    assert emails.notification_digests_deliver() == 0

    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SKIPPED


def test_the_digest_task_is_on_the_beat_schedule():
    from django.conf import settings

    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]

    assert "social.notifications.tasks.notification_digests_send" in tasks


def test_the_digest_goes_out_once_a_day_at_a_fixed_hour_in_the_shops_time_zone():

    from django.conf import settings

    schedule = settings.CELERY_BEAT_SCHEDULE["notifications-digest-daily"]["schedule"]

    # The same hour every day, not every 24 hours counted from when beat started.
    assert schedule.hour == {7} and schedule.minute == {0}
    assert schedule.day_of_week == set(range(7))
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE
