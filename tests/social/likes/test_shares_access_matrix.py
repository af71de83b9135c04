"""Shares' rows of the access matrix (tests/social/access_matrix.py). A share to friends is
seen by its sharer and its recipients only, in every form: the feed item, the notification,
the API's list, share_visible_to; never by anyone blocked either way, even one named among
its recipients (as if chosen before the block: the rows are written by hand), nor by a
visitor. And the share endpoints as each role."""

import pytest

from social.feed import selectors as feed
from social.feed.models import Activity, ActivityRecipient, FeedItem
from social.likes import share_selectors, share_services
from social.likes.models import Share, ShareRecipient
from social.notifications import selectors as notifications
from social.notifications.models import Notification
from tests.factories import ProductFactory
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

SHARED = frozenset({OWNER, FRIEND})


@pytest.fixture
def world() -> World:
    return world_make()


def _share(world, visibility):
    """The owner shares a product with their friend; the blocked and blocking people are
    named too, with a feed item and a notification each, as if chosen before the blocks."""
    product = ProductFactory(title="Trail Jacket")
    friend = world.viewer(FRIEND)
    share = share_services.share_create(
        sharer=world.owner, product=product, channel="friends", recipient_ids=[friend.pk]
    )
    share_services.share_recipients_notify(share_id=share.pk)
    activity = Activity.objects.get(dedupe_key=f"share:{share.pk}")
    named = [world.viewer(BLOCKED), world.viewer(BLOCKING)]
    ShareRecipient.objects.bulk_create([ShareRecipient(share=share, user=p) for p in named])
    ActivityRecipient.objects.bulk_create(
        [ActivityRecipient(activity=activity, user=p) for p in named]
    )
    everyone = [p for p in world.people.values() if p is not None]
    FeedItem.objects.bulk_create(
        [FeedItem(owner=p, activity=activity, created_at=activity.created_at) for p in everyone],
        ignore_conflicts=True,
    )
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=p,
                kind="share_received",
                actor=world.owner,
                url="/x/",
                group_key=f"g{p.pk}",
                dedupe_key=f"share:{share.pk}",
            )
            for p in named
        ]
    )
    return share


def _in_feed(world, role, share) -> bool:
    viewer = world.viewer(role)
    if viewer is None:
        return False
    page = feed.feed_page(viewer=viewer)
    return any(a.verb == "share" for entry in page.entries for a in entry.activities)


def _notified(world, role, share) -> bool:
    viewer = world.viewer(role)
    if viewer is None:
        return False
    page = notifications.notification_list(user=viewer)
    return any(item.newest.kind == "share_received" for item in page.items)


def _visible(world, role, share) -> bool:
    return share_selectors.share_visible_to(viewer=world.viewer(role), share=share)


def _in_api(world, role, share) -> bool:
    response = world.client(role).get("/api/v1/shares")
    return response.status_code == 200 and any(
        s["token"] == share.token for s in response.data["results"]
    )


# The owner sees their share in the API's list of their own shares; a recipient is told by
# the feed and the notification, not the sharer's list.
ONLY_OWNER = {"private": frozenset({OWNER})}

DATA = [
    # The sharer's own feed shows their share only if a row put it there (the fan-out does not).
    Datum("share_in_feed", ("private",), _share, _in_feed, audience={"private": SHARED}),
    Datum(
        "share_notification",
        ("private",),
        _share,
        _notified,
        audience={"private": frozenset({FRIEND})},
    ),
    Datum("share_visible_to", ("private",), _share, _visible, audience={"private": SHARED}),
    Datum("share_in_api_list", ("private",), _share, _in_api, audience=ONLY_OWNER),
]


@pytest.mark.parametrize("datum, visibility, role, expected", datum_cases(DATA))
def test_who_sees_a_share(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected


def _share_with_owner(world, role):
    """The role's viewer tries to share a product with the owner."""
    product = ProductFactory()
    client = world.client(role)
    body = {"product": product.pk, "channel": "friends", "recipients": [world.owner.pk]}
    return client.post("/api/v1/shares", body, format="json").status_code


def _owner_shares_with_role(world, role):
    """The owner tries to share with the role's viewer (the visitor: with no one)."""
    product = ProductFactory()
    viewer = world.viewer(role)
    client = world.client(OWNER)
    body = {
        "product": product.pk,
        "channel": "friends",
        "recipients": [viewer.pk if viewer is not None else 0],
    }
    return client.post("/api/v1/shares", body, format="json").status_code


def _list(world, role):
    return world.client(role).get("/api/v1/shares").status_code


ENDPOINTS = [
    Endpoint(
        "share_with_the_owner",
        _share_with_owner,
        {
            OWNER: 400,  # not one's own friend
            FRIEND: 201,
            FRIEND_OF_FRIEND: 400,
            STRANGER: 400,
            BLOCKED: 400,
            BLOCKING: 400,
            ANONYMOUS: 403,
        },
    ),
    Endpoint(
        "owner_shares_with_role",
        _owner_shares_with_role,
        {
            OWNER: 400,
            FRIEND: 201,
            FRIEND_OF_FRIEND: 400,
            STRANGER: 400,
            BLOCKED: 400,
            BLOCKING: 400,
            ANONYMOUS: 400,
        },
    ),
    Endpoint(
        "shares_list",
        _list,
        {
            OWNER: 200,
            FRIEND: 200,
            FRIEND_OF_FRIEND: 200,
            STRANGER: 200,
            BLOCKED: 200,
            BLOCKING: 200,
            ANONYMOUS: 403,
        },
    ),
]


@pytest.mark.parametrize("endpoint, role, expected", endpoint_cases(ENDPOINTS))
def test_who_may_share(world, endpoint, role, expected):
    endpoint.arrange(world)

    assert endpoint.call(world, role) == expected


def test_a_share_the_blocked_were_named_in_reaches_no_blocked_persons_feed_by_fan_out(world):
    """The fan-out itself (not just the read) leaves out a recipient blocked either way."""
    share = _share(world, "private")
    FeedItem.objects.all().delete()
    activity = Activity.objects.get(dedupe_key=f"share:{share.pk}")
    Activity.objects.filter(pk=activity.pk).update(fanout_cursor=0, fanned_out_at=None)
    from django.utils import timezone

    from social.feed.services import activity_fanout

    for person in world.people.values():
        if person is not None:
            type(person).objects.filter(pk=person.pk).update(last_login=timezone.now())

    activity_fanout(activity_id=activity.pk)

    owners = set(FeedItem.objects.values_list("owner_id", flat=True))
    assert owners == {world.viewer(FRIEND).pk}
    assert Share.objects.count() == 1
