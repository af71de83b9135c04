import pytest

from social.notifications import selectors
from social.notifications.models import Delivery
from social.notifications.standard_kinds import NEW_FOLLOWER
from tests.factories import UserFactory
from tests.social.notifications.helpers import accepted_by, notifications_many, order_shipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def ben(api):
    ben = UserFactory(username="ben")
    api.force_authenticate(ben)
    return ben


def test_the_list_is_cursor_paginated_and_grouped(api, ben):
    notifications_many(ben, 3)
    accepted_by(ben, UserFactory(display_name="Dan"))
    accepted_by(ben, UserFactory(display_name="Ana"))

    first = api.get("/api/v1/notifications", {"page_size": 3}).json()
    second = api.get("/api/v1/notifications", {"page_size": 3, "cursor": first["next"]}).json()

    assert [item["text"] for item in first["results"]] == [
        "Ana and Dan accepted your friend requests",
        "Your order AG-000002 has shipped",
    ]
    assert [a["name"] for a in first["results"][0]["actors"]] == ["Ana", "Dan"]
    assert len(first["results"][0]["ids"]) == 2
    assert first["results"][0]["unread"] is True
    assert [item["text"] for item in second["results"]] == [
        "Your order AG-000001 has shipped",
        "Your order AG-000000 has shipped",
    ]
    assert second["next"] is None


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_takes_the_same_queries(api, ben, django_assert_num_queries, count):
    notifications_many(ben, count)

    with django_assert_num_queries(1):  # the page with its actors (forced authentication)
        assert api.get("/api/v1/notifications").status_code == 200


@pytest.mark.parametrize(
    "params, field",
    [
        ({"cursor": "bad"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "x"}, "page_size"),
    ],
)
def test_bad_list_input_answers_400_naming_the_field(api, ben, params, field):
    response = api.get("/api/v1/notifications", params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_read_one_read_all_and_the_unread_count(api, ben):
    one = order_shipped(ben)
    notifications_many(ben, 2)

    assert api.get("/api/v1/notifications/unread-count").json() == {"unread_count": 3}
    assert api.post(f"/api/v1/notifications/{one.pk}/read").json() == {"unread_count": 2}
    assert api.post("/api/v1/notifications/read-all").json() == {"unread_count": 0}


def test_someone_elses_notification_is_404(api, ben):
    theirs = order_shipped(UserFactory())

    assert api.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    assert api.post("/api/v1/notifications/abc/read").status_code == 404
    assert api.post("/api/v1/notifications/99999999999999999999/read").status_code == 404
    assert selectors.unread_count(viewer=theirs.recipient) == 1


def test_settings_read_and_change(api, ben):
    before = api.get("/api/v1/settings/notifications").json()
    response = api.patch("/api/v1/settings/notifications", {NEW_FOLLOWER: "off"}, format="json")

    assert before[NEW_FOLLOWER] == "daily"
    assert response.status_code == 200
    assert response.json()[NEW_FOLLOWER] == "off"
    assert selectors.preferences_get(user=ben)[NEW_FOLLOWER] == Delivery.OFF


@pytest.mark.parametrize(
    "body, field",
    [({NEW_FOLLOWER: "hourly"}, NEW_FOLLOWER), ({"no_such_kind": "off"}, "no_such_kind")],
)
def test_bad_settings_answer_400_naming_the_field(api, ben, body, field):
    response = api.patch("/api/v1/settings/notifications", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_visitor_is_asked_to_log_in(api):
    for path in ("/api/v1/notifications", "/api/v1/notifications/unread-count"):
        assert api.get(path).status_code in (401, 403)
