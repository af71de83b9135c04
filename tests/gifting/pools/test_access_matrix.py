"""The gift pools' rows of the access matrix (tests/social/access_matrix.py), with the roles a
pool adds: its RECIPIENT (a friend of the organiser's, who must never see it before the gift
page), a CONTRIBUTOR (a stranger to the organiser who chipped in), an INVITED person (invited
by email, who brings the invitation's token) and the visitor with and without the link.

The world's owner organises a pool at each visibility (a pool is never private). Two people
chipped in: Cora (her name shown, 25.00) and Hannah, a friend of the organiser's, who hid her
name from other contributors (12.34); the pool hides amounts. Whoever sees the pool sees
Cora's name; only the organiser (and Hannah herself) see Hannah's name and her amount; no one
but the organiser sees Cora's amount. The recipient sees nothing of it anywhere: page, API,
feed, lists, notifications.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gifting.pools import contributions, invitations, selectors, services
from gifting.pools.models import PoolInvitation
from social.feed import selectors as feed_selectors
from social.feed.models import Activity, FeedItem
from social.notifications.models import Notification
from tests.factories import UserFactory, friends_make, privacy_set, variant_make
from tests.html import amount_shown
from tests.social.access_matrix import (
    ANONYMOUS,
    BLOCKED,
    BLOCKING,
    FRIEND,
    FRIEND_OF_FRIEND,
    OWNER,
    ROLES,
    STRANGER,
    world_make,
)

pytestmark = pytest.mark.django_db

RECIPIENT = "recipient"
CONTRIBUTOR = "contributor"
INVITED = "invited"
POOL_ROLES = (*ROLES, RECIPIENT, CONTRIBUTOR, INVITED)
VISIBILITIES = ("friends", "link", "public")
ALWAYS = frozenset({OWNER, CONTRIBUTOR, INVITED})

# Through the pool's link (its page, /api/v1/pools/<token>): the audience rule with the link
# opened, plus who chipped in or was invited; never the recipient nor anyone blocked.
BY_LINK = {
    "friends": ALWAYS | {FRIEND},
    "link": ALWAYS | {FRIEND, FRIEND_OF_FRIEND, STRANGER, ANONYMOUS},
    "public": ALWAYS | {FRIEND, FRIEND_OF_FRIEND, STRANGER, ANONYMOUS},
}
# Named by its id without the link (/api/v1/pools/<id>): a link-only pool is its organiser's
# friends', as any link-only datum.
BY_ID = {
    "friends": ALWAYS | {FRIEND},
    "link": ALWAYS | {FRIEND},
    "public": ALWAYS | {FRIEND, FRIEND_OF_FRIEND, STRANGER, ANONYMOUS},
}
# In the feed: a pool for friends or everyone, to the signed-in part of the organiser's
# audience (a public one: anyone not blocked, who may find it in a feed), never its
# recipient; a link-only pool is not announced.
IN_FEED = {
    "friends": frozenset({OWNER, FRIEND}),
    "link": frozenset(),
    "public": frozenset({OWNER, FRIEND, FRIEND_OF_FRIEND, STRANGER, CONTRIBUTOR, INVITED}),
}


class PoolWorld:
    def __init__(self):
        self.world = world_make()
        self.owner = self.world.owner
        self.recipient = UserFactory(username="recipient", display_name="Rita Recipient")
        self.cora = UserFactory(username="cora", display_name="Cora Contributor")
        self.hannah = UserFactory(username="hannah", display_name="Hannah Hidden")
        self.invited = UserFactory(username="ivy", display_name="Ivy Invited")
        for person in (self.recipient, self.cora, self.hannah, self.invited):
            privacy_set(person, profile="public")
        friends_make(self.owner, self.recipient, self.hannah)
        self.people = {
            **self.world.people,
            RECIPIENT: self.recipient,
            CONTRIBUTOR: self.cora,
            INVITED: self.invited,
        }

    def viewer(self, role):
        return self.people[role]

    def client(self, role) -> Client:
        client = Client()
        if self.people[role] is not None:
            client.force_login(self.people[role])
        return client

    def invite_query(self, role, pool) -> str:
        if role != INVITED:
            return ""
        return f"?invite={PoolInvitation.objects.get(pool=pool, email=self.invited.email).token}"


@pytest.fixture
def pw():
    return PoolWorld()


def _pool(pw, visibility):
    variant = variant_make(price=9_900, title="Matrix Espresso Machine")
    pool = services.pool_open(
        organiser=pw.owner,
        target=10_000,
        deadline=timezone.now() + timedelta(days=7),
        visibility=visibility,
        recipient=pw.recipient,
        variant=variant,
        show_amounts=False,
    )
    invitations.pool_invite(pool=pool, by=pw.owner, emails=[pw.invited.email])
    for who, amount, hide, message in (
        (pw.cora, 2_500, False, "From Cora with love"),
        (pw.hannah, 1_234, True, "From a secret friend"),
    ):
        contribution = contributions.contribution_reserve(
            pool=pool, contributor=who, amount=amount, hide_name=hide, message=message
        )
        contributions.contribution_succeed(contribution=contribution)
    pool.refresh_from_db()
    return pool


def _page(pw, role, pool) -> str | None:
    response = pw.client(role).get(f"/pools/{pool.token}/{pw.invite_query(role, pool)}")
    return response.content.decode() if response.status_code == 200 else None


def _api(pw, role, url) -> dict | None:
    response = pw.client(role).get(url)
    return response.json() if response.status_code == 200 else None


def _api_by_link(pw, role, pool):
    return _api(pw, role, f"/api/v1/pools/{pool.token}{pw.invite_query(role, pool)}")


def _api_by_id(pw, role, pool):
    return _api(pw, role, f"/api/v1/pools/{pool.pk}{pw.invite_query(role, pool)}")


def _cases(table):
    return [
        pytest.param(visibility, role, role in table[visibility], id=f"{visibility}-{role}")
        for visibility in VISIBILITIES
        for role in POOL_ROLES
    ]


@pytest.mark.parametrize(("visibility", "role", "expected"), _cases(BY_LINK))
def test_who_sees_a_pool_through_its_link(pw, visibility, role, expected):
    pool = _pool(pw, visibility)

    page, api = _page(pw, role, pool), _api_by_link(pw, role, pool)

    assert (page is not None) is expected
    assert (api is not None) is expected
    if expected:
        cora = "You" if role == CONTRIBUTOR else "Cora Contributor"
        assert cora in page and "From Cora with love" in page
        assert [c["name"] for c in api["contributors"]] == [
            cora,
            "Hannah Hidden" if role == OWNER else "Someone",
        ]


@pytest.mark.parametrize(("visibility", "role", "expected"), _cases(BY_ID))
def test_who_sees_a_pool_named_by_its_id(pw, visibility, role, expected):
    pool = _pool(pw, visibility)

    assert (_api_by_id(pw, role, pool) is not None) is expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", POOL_ROLES)
def test_hidden_names_and_hidden_amounts_never_leak(pw, visibility, role):
    pool = _pool(pw, visibility)
    page = _page(pw, role, pool) or ""
    api = str(_api_by_link(pw, role, pool) or "") + str(_api_by_id(pw, role, pool) or "")
    contributions = pw.client(role).get(f"/api/v1/pools/{pool.pk}/contributions?token={pool.token}")
    api += contributions.content.decode() if contributions.status_code == 200 else ""

    for seen in (page, api):
        # Hannah's name: the organiser's to see.
        assert ("Hannah Hidden" in seen) is (role == OWNER and bool(seen))
        # Amounts are hidden: none of them (nor the total) but to the organiser, and Cora
        # sees her own.
        hidden = ["12.34", "37.34", "1234", "3734"]
        if role != CONTRIBUTOR:
            hidden += ["25.00", "2500"]
        for amount in hidden:
            if role != OWNER:
                assert not amount_shown(amount, seen), (amount, role)


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", [r for r in POOL_ROLES if r != ANONYMOUS])
def test_who_reads_the_pool_in_their_feed(pw, visibility, role):
    pool = _pool(pw, visibility)
    # Every signed-in person holds a feed row of each activity, as if the fan-out had erred:
    # the read applies the rule again (and keeps the pool from its recipient).
    FeedItem.objects.bulk_create(
        [
            FeedItem(owner=person, activity=activity, created_at=activity.created_at)
            for activity in Activity.objects.all()
            for person in pw.people.values()
            if person is not None
        ],
        ignore_conflicts=True,
    )

    page = feed_selectors.feed_page(viewer=pw.viewer(role))
    verbs = {a.verb for entry in page.entries for a in entry.activities}

    assert ("pool" in verbs) is (role in IN_FEED[visibility]), verbs
    assert pool.pk


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_the_recipient_is_told_nothing_and_lists_nothing(pw, visibility):
    pool = _pool(pw, visibility)
    invitations.pool_invite(pool=pool, by=pw.owner, friends=[pw.hannah])

    assert not Notification.objects.filter(recipient=pw.recipient).exists()
    assert [p.pool for p in selectors.pool_list_mine(user=pw.recipient)] == []
    assert _api(pw, RECIPIENT, "/api/v1/pools") == []
    assert [p.pool for p in selectors.pool_list_mine(user=pw.cora)] == [pool]


@pytest.mark.parametrize("role", [BLOCKED, BLOCKING, RECIPIENT, STRANGER, ANONYMOUS])
def test_who_may_not_see_a_friends_pool_cannot_chip_in_either(pw, role):
    pool = _pool(pw, "friends")
    response = pw.client(role).post(
        f"/api/v1/pools/{pool.pk}/contributions?token={pool.token}",
        {
            "amount": 500,
            "payment_method": "4242424242424242",
            "guest_name": "Gus",
            "guest_email": "gus@example.com",
        },
        content_type="application/json",
    )

    assert response.status_code == 404
    pool.refresh_from_db()
    assert (pool.collected, pool.reserved) == (3_734, 0)
