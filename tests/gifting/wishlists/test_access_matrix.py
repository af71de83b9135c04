"""The wishlists' rows of the access matrix (tests/social/access_matrix.py): the owner's list
at each visibility, as each role sees it opened by its link (a link holder is any role that
has the link), listed among the owner's lists (no link), and its claims. A friend of the
owner's claimed a unit: every role that sees the list sees that claim, except the owner, who
sees no claim data until they reveal.

Ask my friends: the owner asked, and that friend voted 👍 and commented on the wish. Every role
that sees the list sees the vote and the comment, the owner too (they are not claims); every
signed-in role that sees it but the owner may vote and comment."""

import pytest
from django.http import Http404
from django.test import Client

from gifting.wishlists import ask_selectors, ask_services, selectors, services
from gifting.wishlists.models import ItemVote, Wishlist
from social.feed import selectors as feed_selectors
from social.feed.models import Activity, FeedItem
from tests.factories import UserFactory, friends_make, privacy_set
from tests.gifting.wishlists.helpers import wish_make
from tests.social.access_matrix import (
    ANONYMOUS,
    AUDIENCE,
    AUDIENCE_WITH_LINK,
    OWNER,
    Datum,
    datum_cases,
    world_make,
)

pytestmark = pytest.mark.django_db

VISIBILITIES = ("private", "friends", "link", "public")
# Claims: whoever sees the list by its link, but its owner.
CLAIMS_AUDIENCE = {v: roles - {OWNER} for v, roles in AUDIENCE_WITH_LINK.items()}
# Votes and comments given: whoever sees the list by its link, but its owner and visitors.
ANSWER_AUDIENCE = {v: roles - {OWNER, ANONYMOUS} for v, roles in AUDIENCE_WITH_LINK.items()}
COMMENT = "Matrix comment"


@pytest.fixture
def world():
    return world_make()


def _share(world, visibility):
    """The owner's list at VISIBILITY, a unit of its item claimed by a friend of theirs whose
    profile is public (so a name shows wherever the claim does) while it was for friends."""
    item = wish_make(world.owner, wanted=2, visibility="friends")
    claimer = UserFactory(username="claimer", display_name="Cleo Claimer")
    privacy_set(claimer, profile="public")
    friends_make(world.owner, claimer)
    services.claim_create(item=item, claimer=claimer)
    ask_services.wishlist_ask(wishlist=item.wishlist)
    item.wishlist.refresh_from_db()
    ask_services.item_vote_set(item=item, voter=claimer, up=True)
    ask_services.item_comment_add(item=item, author=claimer, text=COMMENT)
    Wishlist.objects.filter(pk=item.wishlist_id).update(visibility=visibility)
    return Wishlist.objects.get(pk=item.wishlist_id)


def _by_link(world, role, wishlist) -> bool:
    try:
        selectors.wishlist_get_by_token(viewer=world.viewer(role), token=wishlist.token)
    except Http404:
        return False
    return True


def _listed(world, role, wishlist) -> bool:
    return (
        selectors.wishlist_list_of_person(viewer=world.viewer(role), person=world.owner)
        .filter(pk=wishlist.pk)
        .exists()
    )


def _claims(world, role, wishlist) -> bool:
    if not _by_link(world, role, wishlist):
        return False
    shown = selectors.wishlist_shown(viewer=world.viewer(role), wishlist=wishlist)
    return shown.claims_shown and [(c.name, c.quantity) for c in shown.items[0].claims] == [
        ("Cleo Claimer", 1)
    ]


def _page(world, role, wishlist) -> bool:
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    return client.get(f"/wishlists/{wishlist.token}/").status_code == 200


def _page_claims(world, role, wishlist) -> bool:
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    response = client.get(f"/wishlists/{wishlist.token}/")
    return response.status_code == 200 and "Taken by Cleo Claimer" in response.content.decode()


def _api(world, role, wishlist, token: str = "") -> bool:
    query = f"?token={token}" if token else ""
    return world.client(role).get(f"/api/v1/wishlists/{wishlist.pk}{query}").status_code == 200


def _api_by_link(world, role, wishlist) -> bool:
    return _api(world, role, wishlist, token=wishlist.token)


def _api_claims(world, role, wishlist) -> bool:
    response = world.client(role).get(f"/api/v1/wishlists/{wishlist.pk}?token={wishlist.token}")
    return response.status_code == 200 and "claims" in response.json()["items"][0]


# In the feed: lists shared with friends or everyone (and their wishes), to the signed-in part
# of their audience; a private or link-only list is never announced, not even to its owner.
FEED_AUDIENCE = {
    "private": frozenset(),
    "friends": AUDIENCE["friends"],
    "link": frozenset(),
    "public": AUDIENCE["public"] - {ANONYMOUS},
}


def _announce(world, visibility):
    """The owner's list at VISIBILITY with a wish and a friend's claim, made through the
    services (which record its activities); every signed-in role holds a feed row of each, as
    if the fan-out had erred: the feed's read must apply the audience rule again."""
    item = wish_make(world.owner, wanted=2, visibility=visibility)
    claimer = UserFactory(username="claimer")
    friends_make(world.owner, claimer)
    if visibility != "private":
        services.claim_create(item=item, claimer=claimer, link_opened=True)
    FeedItem.objects.bulk_create(
        [
            FeedItem(owner=person, activity=activity, created_at=activity.created_at)
            for activity in Activity.objects.all()
            for person in world.people.values()
            if person is not None
        ],
        ignore_conflicts=True,
    )
    return item.wishlist


def _in_feed(world, role, wishlist) -> bool:
    viewer = world.viewer(role)
    if viewer is None:
        return False  # the feed is for signed-in people only
    page = feed_selectors.feed_page(viewer=viewer)
    verbs = {a.verb for entry in page.entries for a in entry.activities}
    # Both the list and its wish, or neither; and never a claim, for anyone.
    assert verbs in (set(), {"wishlist", "wish"}), verbs
    return bool(verbs)


def _answers(world, role, wishlist) -> bool:
    if not _by_link(world, role, wishlist):
        return False
    answers = ask_selectors.item_answers_for(viewer=world.viewer(role), wishlist=wishlist)
    found = next(iter(answers.values()), None)
    return (
        found is not None
        and found.up_names == ["Cleo Claimer"]
        and [(c.name, c.text) for c in found.comments] == [("Cleo Claimer", COMMENT)]
    )


def _page_answers(world, role, wishlist) -> bool:
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    response = client.get(f"/wishlists/{wishlist.token}/")
    page = response.content.decode()
    return response.status_code == 200 and "👍 1" in page and COMMENT in page


def _api_votes(world, role, wishlist) -> bool:
    item_id = wishlist.items.get().pk
    url = f"/api/v1/wishlist-items/{item_id}/votes?token={wishlist.token}"
    response = world.client(role).get(url)
    return response.status_code == 200 and response.json()["votes"][0]["name"] == "Cleo Claimer"


def _api_comments(world, role, wishlist) -> bool:
    item_id = wishlist.items.get().pk
    url = f"/api/v1/wishlist-items/{item_id}/comments?token={wishlist.token}"
    response = world.client(role).get(url)
    return response.status_code == 200 and response.json()[0]["text"] == COMMENT


def _api_vote(world, role, wishlist) -> bool:
    item_id = wishlist.items.get().pk
    url = f"/api/v1/wishlist-items/{item_id}/votes?token={wishlist.token}"
    return world.client(role).post(url, {"vote": "down"}, format="json").status_code == 200


def _api_comment(world, role, wishlist) -> bool:
    item_id = wishlist.items.get().pk
    url = f"/api/v1/wishlist-items/{item_id}/comments?token={wishlist.token}"
    return world.client(role).post(url, {"text": "Me too"}, format="json").status_code == 201


def _page_vote(world, role, wishlist) -> bool:
    client = Client()
    if world.viewer(role) is not None:
        client.force_login(world.viewer(role))
    item_id = wishlist.items.get().pk
    client.post(f"/wishlists/{wishlist.token}/items/{item_id}/vote/", {"vote": "down"})
    return ItemVote.objects.filter(up=False).exists()


DATA = [
    Datum("wishlist-in-feed", VISIBILITIES, _announce, _in_feed, FEED_AUDIENCE),
    Datum("wishlist-by-link", VISIBILITIES, _share, _by_link, AUDIENCE_WITH_LINK),
    Datum("wishlist-listed", VISIBILITIES, _share, _listed, AUDIENCE),
    Datum("wishlist-claims", VISIBILITIES, _share, _claims, CLAIMS_AUDIENCE),
    Datum("wishlist-page", VISIBILITIES, _share, _page, AUDIENCE_WITH_LINK),
    Datum("wishlist-page-claims", VISIBILITIES, _share, _page_claims, CLAIMS_AUDIENCE),
    Datum("wishlist-api", VISIBILITIES, _share, _api, AUDIENCE),
    Datum("wishlist-api-by-link", VISIBILITIES, _share, _api_by_link, AUDIENCE_WITH_LINK),
    Datum("wishlist-api-claims", VISIBILITIES, _share, _api_claims, CLAIMS_AUDIENCE),
    Datum("wishlist-answers", VISIBILITIES, _share, _answers, AUDIENCE_WITH_LINK),
    Datum("wishlist-page-answers", VISIBILITIES, _share, _page_answers, AUDIENCE_WITH_LINK),
    Datum("wishlist-api-votes", VISIBILITIES, _share, _api_votes, AUDIENCE_WITH_LINK),
    Datum("wishlist-api-comments", VISIBILITIES, _share, _api_comments, AUDIENCE_WITH_LINK),
    Datum("wishlist-api-vote", VISIBILITIES, _share, _api_vote, ANSWER_AUDIENCE),
    Datum("wishlist-api-comment", VISIBILITIES, _share, _api_comment, ANSWER_AUDIENCE),
    Datum("wishlist-page-vote", VISIBILITIES, _share, _page_vote, ANSWER_AUDIENCE),
]


@pytest.mark.parametrize(("datum", "visibility", "role", "expected"), datum_cases(DATA))
def test_who_sees_a_wishlist(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_the_owners_view_carries_no_claim_until_revealed(world, visibility):
    wishlist = _share(world, visibility)

    before = selectors.wishlist_shown(viewer=world.owner, wishlist=wishlist)
    services.wishlist_reveal(wishlist=wishlist)
    after = selectors.wishlist_shown(viewer=world.owner, wishlist=wishlist)

    assert [(i.taken, i.claims) for i in before.items] == [(None, [])]
    assert [c.name for c in after.items[0].claims] == ["Cleo Claimer"]
