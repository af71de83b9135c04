"""Notifications' rows of the access matrix (tests/social/access_matrix.py): only the owner
reads or marks the owner's notifications, through the API and the pages, and the owner's
notifications about someone now blocked either way no longer name them."""

import pytest
from django.test import Client

from social.notifications import selectors
from social.notifications.models import Notification
from tests.social.access_matrix import (
    ANONYMOUS,
    BLOCKED,
    BLOCKING,
    FRIEND,
    FRIEND_OF_FRIEND,
    OWNER,
    STRANGER,
    Endpoint,
    World,
    endpoint_cases,
    world_make,
)
from tests.social.notifications.helpers import order_shipped

pytestmark = pytest.mark.django_db

NOT_SIGNED_IN = "403 not_authenticated"


@pytest.fixture
def world() -> World:
    return world_make()


def _outcome(response) -> str:
    if response.status_code < 400:
        return str(response.status_code)
    errors = response.json()["errors"]
    return f"{response.status_code} {next(iter(errors.values()))[0]['code']}"


def _owner_notified(world):
    world.extra["notification"] = order_shipped(world.owner, number="AG-OWNER")


def _still_unread(world) -> str:
    notification = Notification.objects.get(pk=world.extra["notification"].pk)
    return "unread" if notification.read_at is None else "read"


def _api_read(world, role):
    pk = world.extra["notification"].pk
    outcome = _outcome(world.client(role).post(f"/api/v1/notifications/{pk}/read"))
    return f"{outcome}, {_still_unread(world)}"


def _api_read_all(world, role):
    outcome = _outcome(world.client(role).post("/api/v1/notifications/read-all"))
    return f"{outcome}, {_still_unread(world)}"


def _api_list_shows(world, role):
    response = world.client(role).get("/api/v1/notifications")
    if response.status_code != 200:
        return _outcome(response)
    texts = [item["text"] for item in response.json()["results"]]
    return "shown" if any("AG-OWNER" in text for text in texts) else "not shown"


def _page_open(world, role):
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    response = client.get(f"/notifications/{world.extra['notification'].pk}/open/")
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return f"login, {_still_unread(world)}"
    return f"{response.status_code}, {_still_unread(world)}"


def _page_list_shows(world, role):
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    response = client.get("/notifications/")
    if response.status_code == 302:
        return "login"
    return "shown" if "AG-OWNER" in response.content.decode() else "not shown"


def _everyone_else(outcome: str, **roles: str) -> dict[str, str]:
    return {
        role: roles.get(role, outcome)
        for role in (OWNER, FRIEND, FRIEND_OF_FRIEND, STRANGER, BLOCKED, BLOCKING, ANONYMOUS)
    }


# Each role's viewer accepted a request of the owner's before the blocks were made (the rows
# are written as they were then); the owner's list must now name only those not blocked.
def _role_was_notified_about(world):
    for role in (FRIEND, FRIEND_OF_FRIEND, STRANGER, BLOCKED, BLOCKING):
        Notification.objects.create(
            recipient=world.owner,
            kind="friend_request_accepted",
            actor=world.viewer(role),
            url=f"/people/{world.viewer(role).username}/",
            group_key=f"friend_request_accepted:{role}",
            dedupe_key=f"before-the-block:{role}",
        )


def _owner_sees_the_roles_name(world, role):
    viewer = world.viewer(role)
    if viewer is None or viewer.pk == world.owner.pk:
        return "-"
    page = selectors.notification_list(user=world.owner)
    names = {actor.pk for item in page.items for actor in item.actors}
    client = Client()
    client.force_login(world.owner)
    html = client.get("/notifications/").content.decode()
    in_page = viewer.public_name in html
    in_list = viewer.pk in names
    assert in_page == in_list, (in_page, in_list)
    return "named" if in_list else "hidden"


ENDPOINTS = [
    Endpoint(
        "api-mark-the-owners-notification-read",
        arrange=_owner_notified,
        call=_api_read,
        expected=_everyone_else(
            "404 not_found, unread", owner="200, read", anonymous=f"{NOT_SIGNED_IN}, unread"
        ),
    ),
    Endpoint(
        "api-read-all-touches-only-ones-own",
        arrange=_owner_notified,
        call=_api_read_all,
        expected=_everyone_else(
            "200, unread", owner="200, read", anonymous=f"{NOT_SIGNED_IN}, unread"
        ),
    ),
    Endpoint(
        "api-list-shows-the-owners-notification",
        arrange=_owner_notified,
        call=_api_list_shows,
        expected=_everyone_else("not shown", owner="shown", anonymous=NOT_SIGNED_IN),
    ),
    Endpoint(
        "page-open-the-owners-notification",
        arrange=_owner_notified,
        call=_page_open,
        expected=_everyone_else("404, unread", owner="302, read", anonymous="login, unread"),
    ),
    Endpoint(
        "page-list-shows-the-owners-notification",
        arrange=_owner_notified,
        call=_page_list_shows,
        expected=_everyone_else("not shown", owner="shown", anonymous="login"),
    ),
    Endpoint(
        "owners-notifications-name-the-role",
        arrange=_role_was_notified_about,
        call=_owner_sees_the_roles_name,
        expected={
            OWNER: "-",
            FRIEND: "named",
            FRIEND_OF_FRIEND: "named",
            STRANGER: "named",
            BLOCKED: "hidden",
            BLOCKING: "hidden",
            ANONYMOUS: "-",
        },
    ),
]


@pytest.mark.parametrize("endpoint, role, expected", endpoint_cases(ENDPOINTS))
def test_who_may_do_what(world, endpoint, role, expected):
    endpoint.arrange(world)

    assert endpoint.call(world, role) == expected
