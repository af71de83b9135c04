import pytest
from django.core import mail

from shop.core.errors import DomainError
from shop.core.models import OutboxMessage
from social.graph import services as graph
from social.notifications import selectors, services
from social.notifications.models import Delivery, Notification
from social.notifications.personal_data import notifications_erase, notifications_export
from social.notifications.standard_kinds import FRIEND_REQUEST_ACCEPTED, NEW_FOLLOWER
from tests.factories import UserFactory
from tests.social.notifications.helpers import accepted_by, order_shipped

pytestmark = pytest.mark.django_db


def test_notifying_the_same_event_twice_makes_one_notification_and_one_email(
    django_capture_on_commit_callbacks,
):
    ana = UserFactory(display_name="Ana")
    ben = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        first = accepted_by(ben, ana, key="accepted:1")
    with django_capture_on_commit_callbacks(execute=True):
        second = accepted_by(ben, ana, key="accepted:1")

    assert first is not None and second is None
    assert Notification.objects.filter(recipient=ben).count() == 1
    assert [m.subject for m in mail.outbox] == ["Ana accepted your friend request"]
    assert mail.outbox[0].to == [ben.email]


def test_the_email_task_running_twice_sends_one_email(django_capture_on_commit_callbacks):
    from social.notifications.tasks import notification_email_send

    ana, ben = UserFactory(display_name="Ana"), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = accepted_by(ben, ana)

    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT


def test_no_one_is_notified_about_someone_they_blocked_or_who_blocked_them():
    ana, ben, cleo = UserFactory(), UserFactory(), UserFactory()
    graph.person_block(blocker=ben, person=ana)
    graph.person_block(blocker=cleo, person=ben)

    assert accepted_by(ben, ana) is None
    assert accepted_by(ben, cleo) is None
    assert not Notification.objects.exists()


def test_nobody_is_notified_about_themselves_or_by_a_gone_account():
    ana = UserFactory()
    gone = UserFactory(is_active=False)

    assert accepted_by(ana, ana) is None
    assert accepted_by(ana, gone) is None
    assert accepted_by(gone, ana) is None


def test_an_unknown_kind_is_refused_loudly():
    with pytest.raises(ValueError, match="No notification kind"):
        services.notification_notify(recipient=UserFactory(), kind="nope", dedupe_key="x")


def test_preference_off_sends_no_email_but_the_notification_shows(
    django_capture_on_commit_callbacks,
):
    ana, ben = UserFactory(), UserFactory()
    services.preferences_update(user=ben, deliveries={FRIEND_REQUEST_ACCEPTED: Delivery.OFF})

    with django_capture_on_commit_callbacks(execute=True):
        accepted_by(ben, ana)

    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(topic="email.notifications.send").exists()
    assert selectors.unread_count(viewer=ben) == 1


def test_a_kind_turned_off_after_queueing_sends_nothing(django_capture_on_commit_callbacks):
    from social.notifications.tasks import notification_email_send

    ana, ben = UserFactory(), UserFactory()
    notification = accepted_by(ben, ana)  # queued; its delivery not run yet
    services.preferences_update(user=ben, deliveries={FRIEND_REQUEST_ACCEPTED: Delivery.OFF})

    notification_email_send(notification_id=notification.pk)

    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SKIPPED


def test_mark_read_marks_the_line_and_mark_all_read_everything():
    ben = UserFactory()
    first = accepted_by(ben, UserFactory())
    accepted_by(ben, UserFactory())  # the same line: accepted requests group by kind
    order_shipped(ben)

    assert services.notification_mark_read(notification=first) == 2
    assert selectors.unread_count(viewer=ben) == 1
    assert services.notification_mark_all_read(user=ben) == 1
    assert selectors.unread_count(viewer=ben) == 0


def test_preferences_update_refuses_an_unknown_kind_or_delivery_naming_it():
    ben = UserFactory()

    with pytest.raises(DomainError) as unknown:
        services.preferences_update(user=ben, deliveries={"nope": "off"})
    with pytest.raises(DomainError) as invalid:
        services.preferences_update(user=ben, deliveries={NEW_FOLLOWER: "hourly"})

    assert (unknown.value.field, unknown.value.code) == ("nope", "unknown_kind")
    assert (invalid.value.field, invalid.value.code) == (NEW_FOLLOWER, "invalid_delivery")


def test_preferences_default_per_kind_and_keep_what_was_chosen():
    ben = UserFactory()

    before = selectors.preferences_get(user=ben)
    after = services.preferences_update(user=ben, deliveries={NEW_FOLLOWER: Delivery.OFF})
    again = services.preferences_update(user=ben, deliveries={NEW_FOLLOWER: Delivery.IMMEDIATE})

    assert before[FRIEND_REQUEST_ACCEPTED] == Delivery.IMMEDIATE
    assert before[NEW_FOLLOWER] == Delivery.DAILY
    assert before["order_shipped"] == Delivery.OFF
    assert after[NEW_FOLLOWER] == Delivery.OFF
    assert again[NEW_FOLLOWER] == Delivery.IMMEDIATE


def test_export_has_the_persons_notifications_and_erase_removes_them_and_those_naming_them():
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    accepted_by(ben, ana)
    accepted_by(ana, ben)
    services.preferences_update(user=ana, deliveries={NEW_FOLLOWER: Delivery.OFF})

    exported = notifications_export(ana)
    notifications_erase(ana)

    assert [n["actor"] for n in exported["notifications"]] == ["ben"]
    assert exported["preferences"][NEW_FOLLOWER] == "off"
    assert not Notification.objects.exists()
    assert selectors.preferences_get(user=ana)[NEW_FOLLOWER] == Delivery.DAILY
