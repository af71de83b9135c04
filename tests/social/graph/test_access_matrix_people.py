"""The access matrix (tests/social/access_matrix.py) for people's pages and endpoints: the owner's
page /people/owner/, /api/v1/people/owner, /people/?q= and the page's buttons, for every role,
with the owner's profile for friends and public."""

import pytest
from django.test import Client

from tests.factories import privacy_set
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

pytestmark = pytest.mark.django_db

WHOLE = "whole profile"
NAME = "name and avatar"


@pytest.fixture
def world() -> World:
    return world_make()


def _page_client(world, role) -> Client:
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    return client


def _profile_page(world, role) -> str:
    response = _page_client(world, role).get("/people/owner/")
    if response.status_code != 200:
        return str(response.status_code)
    page = response.content.decode()
    assert "<h1>Olive Owner</h1>" in page
    return WHOLE if "Joined <time" in page else NAME


def _profile_api(world, role) -> str:
    response = world.client(role).get("/api/v1/people/owner")
    if response.status_code != 200:
        return str(response.status_code)
    body = response.json()
    assert body["name"] == "Olive Owner"
    return WHOLE if body["whole_profile"] else NAME


def _search_page(world, role) -> str:
    response = _page_client(world, role).get("/people/", {"q": "olive"})
    if response.status_code == 302:
        return "login"
    found = 'class="person-line" href="/people/owner/"' in response.content.decode()
    return "found" if found else "absent"


def _search_api(world, role) -> str:
    response = world.client(role).get("/api/v1/people", {"q": "olive"})
    if response.status_code != 200:
        return str(response.status_code)
    found = [person["username"] for person in response.json()["results"]]
    return "found" if found == ["owner"] else "absent"


def _ask_from_the_page(world, role) -> str:
    """POST the page's "Add friend" (as from a page left open): the message shown after."""
    client = _page_client(world, role)
    response = client.post("/people/owner/add-friend/")
    if response["Location"].startswith("/accounts/login/"):
        return "login"
    shown = client.get(response["Location"])
    return " | ".join(str(message) for message in shown.context["messages"])


def _friends_profile(world):
    privacy_set(world.owner, profile="friends")


def _public_profile(world):
    privacy_set(world.owner, profile="public")


SEEN_WITH_FRIENDS_PROFILE = {
    OWNER: WHOLE,
    FRIEND: WHOLE,
    FRIEND_OF_FRIEND: NAME,
    STRANGER: NAME,
    BLOCKED: "404",
    BLOCKING: "404",
    ANONYMOUS: NAME,
}
SEEN_WITH_PUBLIC_PROFILE = {
    **dict.fromkeys((OWNER, FRIEND, FRIEND_OF_FRIEND, STRANGER, ANONYMOUS), WHOLE),
    BLOCKED: "404",
    BLOCKING: "404",
}
FOUND = {
    OWNER: "absent",  # never oneself
    FRIEND: "found",
    FRIEND_OF_FRIEND: "found",
    STRANGER: "found",
    BLOCKED: "absent",
    BLOCKING: "absent",
}

ENDPOINTS = [
    Endpoint(
        "profile-page-for-friends",
        arrange=_friends_profile,
        call=_profile_page,
        expected=SEEN_WITH_FRIENDS_PROFILE,
    ),
    Endpoint(
        "profile-page-public",
        arrange=_public_profile,
        call=_profile_page,
        expected=SEEN_WITH_PUBLIC_PROFILE,
    ),
    Endpoint(
        "profile-api-for-friends",
        arrange=_friends_profile,
        call=_profile_api,
        expected=SEEN_WITH_FRIENDS_PROFILE,
    ),
    Endpoint(
        "profile-api-public",
        arrange=_public_profile,
        call=_profile_api,
        expected=SEEN_WITH_PUBLIC_PROFILE,
    ),
    Endpoint(
        "search-page-profile-for-friends",
        arrange=_friends_profile,
        call=_search_page,
        expected={**FOUND, ANONYMOUS: "login"},
    ),
    Endpoint(
        "search-page-profile-public",
        arrange=_public_profile,
        call=_search_page,
        expected={**FOUND, ANONYMOUS: "login"},
    ),
    Endpoint(
        "search-api-profile-for-friends",
        arrange=_friends_profile,
        call=_search_api,
        expected={**FOUND, ANONYMOUS: "403"},
    ),
    Endpoint(
        "search-api-profile-public",
        arrange=_public_profile,
        call=_search_api,
        expected={**FOUND, ANONYMOUS: "403"},
    ),
    Endpoint(
        "add-friend-button",
        call=_ask_from_the_page,
        expected={
            OWNER: "You cannot send a friend request to yourself.",
            FRIEND: "You and Olive Owner are already friends.",
            FRIEND_OF_FRIEND: "Friend request sent to Olive Owner.",
            STRANGER: "Friend request sent to Olive Owner.",
            BLOCKED: "There is no one with this username.",
            BLOCKING: "You have blocked Olive Owner; unblock them first.",
            ANONYMOUS: "login",
        },
    ),
]


@pytest.mark.parametrize("endpoint, role, expected", endpoint_cases(ENDPOINTS))
def test_who_sees_and_does_what_with_people(world, endpoint, role, expected):
    endpoint.arrange(world)

    assert endpoint.call(world, role) == expected
