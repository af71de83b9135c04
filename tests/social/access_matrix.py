"""The access matrix every social app extends: who may see and do what.

One world: an OWNER and a viewer in each ROLE (a friend, a friend of that friend, a
stranger, someone the owner blocked, someone who blocked the owner, a visitor). Two tables:

- data: (datum, visibility, role) -> may the role's viewer see the owner's datum shared at
  that visibility? A Datum says how to share one (`share`) and how a viewer looks at it
  (`sees`: through a selector, a page or an endpoint, returning True when shown). What is
  expected comes from AUDIENCE, the audience rule written as a table, unless the datum
  brings its own.
- endpoints: (endpoint, role) -> the status (or outcome) a role's viewer gets when acting on
  the owner or the owner's things. An Endpoint calls the API as that viewer and lists what
  each role gets.

A later app adds its rows by defining its own DATA and ENDPOINTS in its
tests/social/<app>/test_access_matrix.py and parametrising with datum_cases() and
endpoint_cases(), as tests/social/graph/test_access_matrix.py does.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pytest
from rest_framework.test import APIClient

from social.graph import services
from tests.factories import UserFactory, friends_make

OWNER = "owner"
FRIEND = "friend"
FRIEND_OF_FRIEND = "friend_of_friend"
STRANGER = "stranger"
BLOCKED = "blocked"  # the owner has blocked this viewer
BLOCKING = "blocking"  # this viewer has blocked the owner
ANONYMOUS = "anonymous"

ROLES = (OWNER, FRIEND, FRIEND_OF_FRIEND, STRANGER, BLOCKED, BLOCKING, ANONYMOUS)
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}
NOT_BLOCKED = frozenset({OWNER, FRIEND, FRIEND_OF_FRIEND, STRANGER, ANONYMOUS})

# The audience rule as a table: visibility -> the roles that see the owner's datum.
AUDIENCE: Mapping[str, frozenset[str]] = {
    "private": frozenset({OWNER}),
    "friends": frozenset({OWNER, FRIEND}),
    # Without the object's own link: its friends only (a list is never opened by a link).
    "link": frozenset({OWNER, FRIEND}),
    "public": NOT_BLOCKED,
}
# The same when the viewer came through the object's link: anyone not blocked either way.
AUDIENCE_WITH_LINK: Mapping[str, frozenset[str]] = {**AUDIENCE, "link": NOT_BLOCKED}


@dataclass
class World:
    owner: object
    people: dict[str, object]  # role -> user (None for the visitor)
    extra: dict = field(default_factory=dict)  # what a datum or endpoint arranged

    def viewer(self, role: str):
        return self.people[role]

    def client(self, role: str) -> APIClient:
        """An API client signed in as the role's viewer (none for the visitor)."""
        client = APIClient()
        if self.people[role] is not None:
            client.force_authenticate(self.people[role])
        return client


def world_make() -> World:
    """Make the owner and one viewer per role, tied to the owner as the role says."""
    owner = UserFactory(username="owner", display_name="Olive Owner")
    friend = UserFactory(username="friend", display_name="Fred Friend")
    friend_of_friend = UserFactory(username="fof", display_name="Fiona Fof")
    stranger = UserFactory(username="stranger", display_name="Stan Stranger")
    blocked = UserFactory(username="blocked", display_name="Bea Blocked")
    blocking = UserFactory(username="blocking", display_name="Bo Blocking")
    friends_make(owner, friend)
    friends_make(friend, friend_of_friend)
    # Before the blocks, both were the owner's friends: the blocks must undo that.
    friends_make(owner, blocked, blocking)
    services.person_block(blocker=owner, person=blocked)
    services.person_block(blocker=blocking, person=owner)
    return World(
        owner=owner,
        people={
            OWNER: owner,
            FRIEND: friend,
            FRIEND_OF_FRIEND: friend_of_friend,
            STRANGER: stranger,
            BLOCKED: blocked,
            BLOCKING: blocking,
            ANONYMOUS: None,
        },
    )


@dataclass(frozen=True)
class Datum:
    """Something of the owner's shared at a visibility, and a way to look at it."""

    name: str
    visibilities: tuple[str, ...]
    # share(world, visibility) -> the thing (whatever `sees` needs).
    share: Callable[[World, str], object]
    # sees(world, role, thing) -> whether the role's viewer is shown it.
    sees: Callable[[World, str, object], bool]
    audience: Mapping[str, frozenset[str]] = field(default_factory=lambda: AUDIENCE)


def datum_cases(data: list[Datum]) -> list:
    """One pytest param per (datum, visibility, role), with what is expected."""
    return [
        pytest.param(
            datum,
            visibility,
            role,
            role in datum.audience[visibility],
            id=f"{datum.name}-{visibility}-{role}",
        )
        for datum in data
        for visibility in datum.visibilities
        for role in ROLES
    ]


@dataclass(frozen=True)
class Endpoint:
    """Something a viewer does to the owner or the owner's things, through the API."""

    name: str
    # call(world, role) -> an outcome: a status code, or a word the test compares.
    call: Callable[[World, str], object]
    expected: Mapping[str, object]
    arrange: Callable[[World], None] = lambda world: None


def endpoint_cases(endpoints: list[Endpoint]) -> list:
    """One pytest param per (endpoint, role), with the expected outcome."""
    for endpoint in endpoints:
        missing = set(ROLES) - set(endpoint.expected)
        assert not missing, f"{endpoint.name} says nothing of {sorted(missing)}"
    return [
        pytest.param(endpoint, role, endpoint.expected[role], id=f"{endpoint.name}-{role}")
        for endpoint in endpoints
        for role in ROLES
    ]
