"""The feed's rows of the access matrix (tests/social/access_matrix.py): an activity of the
owner's, at each visibility, as each role sees it in their feed (even when a row was left in
their feed: the read applies the audience rule again), on the owner's profile, and shared
with one friend by name; and the feed's endpoints as each role."""

import pytest
from django.test import Client
from django.utils import timezone

from social.feed import selectors, services
from social.feed.models import FeedItem
from tests.social.access_matrix import (
    ANONYMOUS,
    BLOCKED,
    BLOCKING,
    FRIEND,
    FRIEND_OF_FRIEND,
    OWNER,
    STRANGER,
    Datum,
    Endpoint,
    World,
    datum_cases,
    endpoint_cases,
    world_make,
)

pytestmark = pytest.mark.django_db

ALL = ("private", "friends", "link", "public")


@pytest.fixture
def world() -> World:
    return world_make()


def _record(world, visibility, *, recipients=None):
    activity = services.activity_record(
        verb="like",
        actor=world.owner,
        snapshot={"title": "Trail Jacket", "image_url": "", "price": 100, "currency": "EUR"},
        visibility=visibility,
        recipients=recipients,
        dedupe_key=f"matrix-{visibility}",
    )
    # Every signed-in role holds a row, as if the fan-out had erred or the world changed.
    FeedItem.objects.bulk_create(
        [
            FeedItem(owner=person, activity=activity, created_at=activity.created_at)
            for person in world.people.values()
            if person is not None
        ]
    )
    return activity


def _in_feed(world, role, activity) -> bool:
    viewer = world.viewer(role)
    if viewer is None:
        return False  # the feed is for signed-in people only (the endpoints below)
    page = selectors.feed_page(viewer=viewer)
    return any(a.pk == activity.pk for entry in page.entries for a in entry.activities)


def _on_profile(world, role, activity) -> bool:
    found = selectors.person_activities(viewer=world.viewer(role), person=world.owner)
    return any(a.pk == activity.pk for a in found)


def _on_profile_page(world, role, activity) -> bool:
    """The owner's page (/people/owner/) as the role's viewer: the Activity section names the
    product (someone blocked either way gets a 404, and so sees nothing)."""
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    response = client.get(f"/people/{world.owner.username}/")
    if response.status_code == 404:
        return False
    assert response.status_code == 200
    return "Trail Jacket" in response.content.decode()


def _new_count(world, role, activity) -> bool:
    viewer = world.viewer(role)
    if viewer is None:
        return False
    since = activity.created_at - __import__("datetime").timedelta(seconds=1)
    return selectors.feed_new_count(viewer=viewer, since=since) == 1


def _shared_with_friend(world, visibility):
    return _record(world, visibility, recipients=[world.viewer(FRIEND).pk])


SIGNED_IN_AUDIENCE = {
    "private": frozenset({OWNER}),
    "friends": frozenset({OWNER, FRIEND}),
    "link": frozenset({OWNER, FRIEND}),
    "public": frozenset({OWNER, FRIEND, FRIEND_OF_FRIEND, STRANGER}),
}

DATA = [
    Datum("activity_in_feed", ALL, _record, _in_feed, audience=SIGNED_IN_AUDIENCE),
    Datum("activity_new_count", ALL, _record, _new_count, audience=SIGNED_IN_AUDIENCE),
    Datum("activity_on_profile", ALL, _record, _on_profile),
    Datum("activity_on_profile_page", ALL, _record, _on_profile_page),
    Datum(
        "activity_shared_by_name",
        ("private",),
        _shared_with_friend,
        _in_feed,
        audience={"private": frozenset({OWNER, FRIEND})},
    ),
]


@pytest.mark.parametrize("datum, visibility, role, expected", datum_cases(DATA))
def test_who_sees_what(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected


def _get(path):
    def call(world, role):
        return world.client(role).get(path).status_code

    return call


SIGNED_IN_OK = {
    OWNER: 200,
    FRIEND: 200,
    FRIEND_OF_FRIEND: 200,
    STRANGER: 200,
    BLOCKED: 200,
    BLOCKING: 200,
    ANONYMOUS: 403,
}

ENDPOINTS = [
    Endpoint("feed_api", _get("/api/v1/feed"), SIGNED_IN_OK),
    Endpoint("feed_new_count_api", _get("/api/v1/feed/new-count"), SIGNED_IN_OK),
]


@pytest.mark.parametrize("endpoint, role, expected", endpoint_cases(ENDPOINTS))
def test_who_may_do_what(world, endpoint, role, expected):
    endpoint.arrange(world)

    assert endpoint.call(world, role) == expected


@pytest.mark.parametrize("who_blocks", ["viewer", "named"])
def test_a_friendship_naming_someone_blocked_either_way_with_the_viewer_never_shows(
    who_blocks, django_capture_on_commit_callbacks
):
    """Ana (the viewer) and Ben are friends; Ben befriends Cy, whom Ana blocked (or who
    blocked Ana): "Ben became friends with Cy" shows Cy's name, so Ana never sees it, in her
    feed or on Ben's profile; Dee, who has no block with Cy, does."""
    from social.graph import services as graph_services
    from tests.factories import UserFactory, friends_make

    ana, ben, cy, dee = (UserFactory(last_login=timezone.now()) for _ in range(4))
    friends_make(ana, ben)
    friends_make(dee, ben)
    if who_blocks == "viewer":
        graph_services.person_block(blocker=ana, person=cy)
    else:
        graph_services.person_block(blocker=cy, person=ana)
    request = graph_services.friend_request_send(sender=ben, to=cy)
    with django_capture_on_commit_callbacks(execute=True):
        graph_services.friend_request_accept(friend_request=request, user=cy)

    def named(viewer) -> bool:
        page = selectors.feed_page(viewer=viewer)
        in_feed = any(
            a.verb == "friendship" and a.snapshot.get("friend_id") == cy.pk
            for entry in page.entries
            for a in entry.activities
        )
        on_profile = any(
            a.verb == "friendship" and a.snapshot.get("friend_id") == cy.pk
            for a in selectors.person_activities(viewer=viewer, person=ben)
        )
        assert in_feed == on_profile
        return in_feed

    assert named(dee) is True
    assert named(ana) is False
