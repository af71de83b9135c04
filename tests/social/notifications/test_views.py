"""/notifications/, /settings/notifications/ and the header's bell."""

import pytest
from django.urls import reverse

from social.notifications import selectors
from social.notifications.models import Delivery
from social.notifications.standard_kinds import NEW_FOLLOWER
from tests.factories import UserFactory
from tests.social.notifications.helpers import accepted_by, notifications_many, order_shipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def ben(client):
    ben = UserFactory(username="ben")
    client.force_login(ben)
    return ben


def test_the_list_shows_grouped_lines_newest_first(client, ben):
    accepted_by(ben, UserFactory(display_name="Dan"))
    accepted_by(ben, UserFactory(display_name="Cleo"))
    accepted_by(ben, UserFactory(display_name="Ana"))

    html = client.get("/notifications/").content.decode()

    assert "Ana and 2 others accepted your friend requests" in html
    assert "Mark all as read" in html


def test_an_empty_list_says_what_will_come(client, ben):
    html = client.get("/notifications/").content.decode()

    assert "No notifications yet" in html
    assert "Mark all as read" not in html


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_takes_the_same_queries_at_10_and_200(
    client, ben, django_assert_num_queries, count
):
    notifications_many(ben, count)
    accepted_by(ben, UserFactory())

    # the session with its user, the page's notifications with their actors, the categories menu
    # (cold cache), the header's badges (read with the session)
    with django_assert_num_queries(3):
        response = client.get("/notifications/")

    assert response.status_code == 200


def test_older_pages_follow_the_cursor(client, ben):
    notifications_many(ben, 25)

    first = client.get("/notifications/")
    older = client.get(f"/notifications/?before={first.context['next_cursor']}")

    assert "AG-000024" in first.content.decode()
    assert "AG-000004" in older.content.decode() and "AG-000024" not in older.content.decode()
    assert older.context["next_cursor"] is None
    assert client.get("/notifications/?before=broken").status_code == 200


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client, ben):
    notification = order_shipped(ben, number="AG-7")

    response = client.get(reverse("notification_open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/orders/AG-7/"
    assert selectors.unread_count(viewer=ben) == 0


def test_opening_a_group_goes_to_the_kinds_page(client, ben):
    accepted_by(ben, UserFactory())
    newest = accepted_by(ben, UserFactory())

    response = client.get(reverse("notification_open", args=[newest.pk]) + "?group=1")

    assert response["Location"] == "/friends/"
    assert selectors.unread_count(viewer=ben) == 0


def test_someone_elses_notification_cannot_be_opened(client, ben):
    theirs = order_shipped(UserFactory())

    assert client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404
    assert selectors.unread_count(viewer=theirs.recipient) == 1


def test_mark_all_as_read(client, ben):
    notifications_many(ben, 3)

    response = client.post("/notifications/read-all/", follow=True)

    assert "All your notifications are marked as read." in response.content.decode()
    assert selectors.unread_count(viewer=ben) == 0


def test_the_pages_ask_to_log_in():
    from django.test import Client

    anonymous = Client()
    for path in ("/notifications/", "/settings/notifications/"):
        assert anonymous.get(path)["Location"].startswith("/accounts/login/")


def test_the_settings_page_saves_a_choice_per_kind(client, ben):
    page = client.get("/settings/notifications/").content.decode()
    data = dict(selectors.preferences_get(user=ben))
    data[NEW_FOLLOWER] = Delivery.OFF

    response = client.post("/settings/notifications/", data, follow=True)

    assert "Someone follows me" in page and "In a daily digest" in page
    assert "Your notification settings are saved." in response.content.decode()
    assert selectors.preferences_get(user=ben)[NEW_FOLLOWER] == Delivery.OFF


def test_the_settings_page_names_a_bad_choice(client, ben):
    data = selectors.preferences_get(user=ben) | {NEW_FOLLOWER: "hourly"}

    response = client.post("/settings/notifications/", data)

    assert response.status_code == 200
    assert response.context["form"].errors[NEW_FOLLOWER]
    assert selectors.preferences_get(user=ben)[NEW_FOLLOWER] == Delivery.DAILY


def test_the_header_bell_shows_the_unread_count(client, ben):
    notifications_many(ben, 3)

    html = client.get("/orders/").content.decode()

    assert 'title="Notifications"' in html
    assert "Notifications, 3 unread" in html


def test_the_bell_adds_no_query_to_a_page_its_count_is_read_with_the_other_badges(client, ben):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shop.core import navigation

    notifications_many(ben, 5)
    client.get("/orders/")  # warm the cached parts (the categories menu)
    with CaptureQueriesContext(connection) as with_bell:
        client.get("/orders/")
    saved = navigation._entries.pop("notifications")
    try:
        with CaptureQueriesContext(connection) as without_bell:
            client.get("/orders/")
    finally:
        navigation._entries["notifications"] = saved

    assert len(with_bell) == len(without_bell)
    badges = [q["sql"] for q in with_bell.captured_queries if "graph_friendrequest" in q["sql"]]
    assert len(badges) == 1 and "notifications_notification" in badges[0]
