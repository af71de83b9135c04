"""The access matrix (tests/social/access_matrix.py) for "people you may know": who is shown
the owner as a person they may know, and who is shown the owner's name as the mutual friend
behind someone else (which tells that the owner and that person are friends: the owner's
friends list, shared as their setting says), on /friends/, beside the feed and through
/api/v1/suggestions."""

import pytest
from django.test import Client

from tests.factories import UserFactory, friends_make, privacy_set
from tests.social.access_matrix import (
    ANONYMOUS,
    BLOCKED,
    BLOCKING,
    FRIEND,
    FRIEND_OF_FRIEND,
    OWNER,
    ROLES,
    STRANGER,
    Datum,
    Endpoint,
    World,
    datum_cases,
    endpoint_cases,
    world_make,
)

pytestmark = pytest.mark.django_db

SUGGESTED = "suggested"
ABSENT = "absent"


@pytest.fixture
def world() -> World:
    return world_make()


def _page(world, role, path: str) -> str:
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    response = client.get(path)
    if response.status_code != 200:
        return "login" if response.status_code == 302 else str(response.status_code)
    return response.content.decode()


def _suggested_on(path: str):
    def call(world, role) -> str:
        page = _page(world, role, path)
        if page in ("login", "403", "404"):
            return page
        return SUGGESTED if 'id="suggestion-owner"' in page else ABSENT

    return call


def _suggested_by_api(world, role) -> str:
    response = world.client(role).get("/api/v1/suggestions")
    if response.status_code != 200:
        return str(response.status_code)
    usernames = [s["person"]["username"] for s in response.json()["results"]]
    return SUGGESTED if "owner" in usernames else ABSENT


# Only a friend of the owner's friend is suggested the owner; never the owner, a friend, a
# stranger (no friend in common) or anyone blocked either way.
SUGGESTING = {
    OWNER: ABSENT,
    FRIEND: ABSENT,
    FRIEND_OF_FRIEND: SUGGESTED,
    STRANGER: ABSENT,
    BLOCKED: ABSENT,
    BLOCKING: ABSENT,
}
NOBODY = dict.fromkeys(ROLES[:-1], ABSENT)


def _undiscoverable(world):
    privacy_set(world.owner, discoverable=False)


ENDPOINTS = [
    Endpoint(
        "friends-page", call=_suggested_on("/friends/"), expected={**SUGGESTING, ANONYMOUS: "login"}
    ),
    Endpoint(
        "feed-aside", call=_suggested_on("/feed/"), expected={**SUGGESTING, ANONYMOUS: "login"}
    ),
    Endpoint("api", call=_suggested_by_api, expected={**SUGGESTING, ANONYMOUS: "403"}),
    Endpoint(
        "friends-page-undiscoverable",
        arrange=_undiscoverable,
        call=_suggested_on("/friends/"),
        expected={**NOBODY, ANONYMOUS: "login"},
    ),
    Endpoint(
        "api-undiscoverable",
        arrange=_undiscoverable,
        call=_suggested_by_api,
        expected={**NOBODY, ANONYMOUS: "403"},
    ),
]


@pytest.mark.parametrize("endpoint, role, expected", endpoint_cases(ENDPOINTS))
def test_who_is_suggested_the_owner(world, endpoint, role, expected):
    endpoint.arrange(world)

    assert endpoint.call(world, role) == expected


# The owner named as the mutual friend behind Tess (a friend of the owner's only): the
# owner's friends list at each visibility. Only the owner's friends have Tess as a friend of
# a friend through the owner; of them, only those who may see the list are shown it.
BRIDGE_AUDIENCE = {
    "private": frozenset(),
    "friends": frozenset({FRIEND}),
    "public": frozenset({FRIEND}),
}


def _share_friends_list(world, visibility):
    tess = UserFactory(username="tess", display_name="Tess Target")
    friends_make(world.owner, tess)
    privacy_set(world.owner, friends_list=visibility)
    return tess


def _named_on_friends_page(world, role, tess) -> bool:
    page = _page(world, role, "/friends/")
    return 'id="suggestion-tess"' in page and ">Olive Owner</a>" in page


def _named_by_api(world, role, tess) -> bool:
    response = world.client(role).get("/api/v1/suggestions")
    if response.status_code != 200:
        return False
    return any(
        s["person"]["username"] == "tess"
        and "owner" in [p["username"] for p in s["mutual_friends"]["people"]]
        for s in response.json()["results"]
    )


DATA = [
    Datum(
        "mutual-friend-on-friends-page",
        ("private", "friends", "public"),
        share=_share_friends_list,
        sees=_named_on_friends_page,
        audience=BRIDGE_AUDIENCE,
    ),
    Datum(
        "mutual-friend-by-api",
        ("private", "friends", "public"),
        share=_share_friends_list,
        sees=_named_by_api,
        audience=BRIDGE_AUDIENCE,
    ),
]


@pytest.mark.parametrize("datum, visibility, role, expected", datum_cases(DATA))
def test_who_is_shown_the_owner_as_a_mutual_friend(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected
